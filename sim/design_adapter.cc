// Per-design adapter: compiled together with the Verilated af_top of one design directory into a
// shared module that exports af_design_api() (sim/design_abi.h). Not part of af_sim: sim/design.cc
// builds it with Verilator for each design. Port widths of the data buses depend on DRAM_B, so the
// copies go through width-generic helpers.
#include <cstring>
#include <memory>
#include <type_traits>

#include "Vaf_top.h"
#include "design_abi.h"
#include "verilated.h"
#if VM_TRACE
#include "verilated_fst_c.h"
#endif

namespace {

template <typename T>
void put_bytes(T& port, const uint8_t* b, unsigned n) {
  using U = std::remove_reference_t<T>;
  U v = 0;
  for (unsigned i = 0; i < n && i < sizeof(U); ++i) v |= static_cast<U>(static_cast<U>(b[i]) << (8 * i));
  port = v;
}
template <std::size_t W>
void put_bytes(VlWide<W>& port, const uint8_t* b, unsigned n) {
  for (std::size_t w = 0; w < W; ++w) {
    uint32_t v = 0;
    for (unsigned i = 0; i < 4; ++i) {
      const unsigned k = static_cast<unsigned>(w) * 4 + i;
      if (k < n) v |= static_cast<uint32_t>(b[k]) << (8 * i);
    }
    port[w] = v;
  }
}
template <typename T>
void get_bytes(const T& port, uint8_t* b, unsigned n) {
  using U = std::remove_cv_t<std::remove_reference_t<T>>;
  const U v = port;
  for (unsigned i = 0; i < n && i < sizeof(U); ++i) b[i] = static_cast<uint8_t>(v >> (8 * i));
}
template <std::size_t W>
void get_bytes(const VlWide<W>& port, uint8_t* b, unsigned n) {
  for (unsigned k = 0; k < n && k < 4 * W; ++k)
    b[k] = static_cast<uint8_t>(port[k / 4] >> (8 * (k % 4)));
}

constexpr unsigned kBeatBytes = AF_DESIGN_BEAT_BYTES;  // -D from the build

struct Model {
  std::unique_ptr<VerilatedContext> ctx;
  std::unique_ptr<Vaf_top> top;
#if VM_TRACE
  std::unique_ptr<VerilatedFstC> tfp;
#endif
  uint64_t time = 0;
};

void apply_inputs(Vaf_top& t, const AfPins& p) {
  t.rst = p.rst;
  t.cfg_wr = p.cfg_wr;
  t.cfg_addr = p.cfg_addr;
  t.cfg_wdata = p.cfg_wdata;
  t.mem_rd_req_ready = p.mem_rd_req_ready;
  t.mem_rd_valid = p.mem_rd_valid;
  t.mem_wr_ready = p.mem_wr_ready;
  put_bytes(t.mem_rd_data, p.mem_rd_data, kBeatBytes);
}

void read_outputs(Vaf_top& t, AfPins& p) {
  p.cfg_rdata = t.cfg_rdata;
  p.busy = t.busy;
  p.done = t.done;
  p.mem_rd_req_valid = t.mem_rd_req_valid;
  p.mem_rd_req_addr = t.mem_rd_req_addr;
  p.mem_rd_req_bytes = t.mem_rd_req_bytes;
  p.mem_rd_ready = t.mem_rd_ready;
  p.mem_wr_valid = t.mem_wr_valid;
  p.mem_wr_addr = t.mem_wr_addr;
  p.mem_wr_bytes = static_cast<uint16_t>(t.mem_wr_bytes);
  get_bytes(t.mem_wr_data, p.mem_wr_data, kBeatBytes);
}

void* create(const char* trace_path, int* traced) {
  auto* m = new Model;
  m->ctx = std::make_unique<VerilatedContext>();
  if (traced) *traced = 0;
#if VM_TRACE
  if (trace_path && *trace_path) m->ctx->traceEverOn(true);
#else
  (void)trace_path;
#endif
  m->top = std::make_unique<Vaf_top>(m->ctx.get(), "af_top");
#if VM_TRACE
  if (trace_path && *trace_path) {
    m->tfp = std::make_unique<VerilatedFstC>();
    m->top->trace(m->tfp.get(), 99);
    m->tfp->open(trace_path);
    if (traced) *traced = 1;
  }
#endif
  m->top->clk = 0;
  m->top->eval();
  return m;
}

void destroy(void* p) {
  auto* m = static_cast<Model*>(p);
  m->top->final();
#if VM_TRACE
  if (m->tfp) m->tfp->close();
#endif
  delete m;
}

void step(void* p, AfPins* pins) {
  auto* m = static_cast<Model*>(p);
  Vaf_top& t = *m->top;
  t.clk = 0;
  apply_inputs(t, *pins);
  t.eval();
#if VM_TRACE
  if (m->tfp) m->tfp->dump(m->time);
#endif
  read_outputs(t, *pins);
  t.clk = 1;
  t.eval();
#if VM_TRACE
  if (m->tfp) m->tfp->dump(m->time + 1);
#endif
  m->time += 2;
}

void peek(void* p, AfPins* pins) {
  auto* m = static_cast<Model*>(p);
  Vaf_top& t = *m->top;
  apply_inputs(t, *pins);
  t.eval();
  read_outputs(t, *pins);
}

const AfDesignApi kApi = {AF_DESIGN_ABI_VERSION, kBeatBytes, create, destroy, step, peek};

}  // namespace

extern "C" __attribute__((visibility("default"))) const AfDesignApi* af_design_api(void) {
  return &kApi;
}

// Verilator's runtime wants this symbol when the design uses $time (it does not); keep it local.
double sc_time_stamp() { return 0; }
