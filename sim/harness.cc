// Testbench (see harness.h).
#include "sim/harness.h"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <cstring>

#include "core/template_constants.h"
#include "sim/golden.h"
#include "sim/memory.h"
#include "sim/program.h"

namespace af::sim {

// The pins of sim/design_abi.h hold a beat of every legal HwConfig.
static_assert(MAX_DRAM_BYTES_PER_CYCLE <= AF_DESIGN_MAX_BEAT_BYTES);

RtlModel::RtlModel(std::shared_ptr<DesignModule> module, const std::string& trace_path)
    : module_(std::move(module)), api_(module_->api()) {
  model_ = api_.create(trace_path.empty() ? nullptr : trace_path.c_str(), &traced_);
  reset();
}

RtlModel::~RtlModel() {
  if (model_) api_.destroy(model_);
}

void RtlModel::step() {
  api_.step(model_, &pins_);
  ++cycle_;
}

void RtlModel::reset(int cycles) {
  std::memset(&pins_, 0, sizeof pins_);
  pins_.rst = 1;
  for (int i = 0; i < cycles; ++i) step();
  pins_.rst = 0;
  step();
}

void RtlModel::write_reg(uint8_t addr, uint32_t value) {
  pins_.cfg_wr = 1;
  pins_.cfg_addr = addr;
  pins_.cfg_wdata = value;
  step();
  pins_.cfg_wr = 0;
}

uint32_t RtlModel::read_reg(uint8_t addr) {
  pins_.cfg_wr = 0;
  pins_.cfg_addr = addr;
  api_.peek(model_, &pins_);
  return pins_.cfg_rdata;
}

uint64_t RtlModel::read_counter(int k) {
  const uint8_t a = static_cast<uint8_t>(regs::kCounter0 + 2 * k);
  const uint64_t lo = read_reg(a);
  const uint64_t hi = read_reg(static_cast<uint8_t>(a + 1));
  return lo | (hi << 32);
}

AccessTable access_table_from_counters(const std::array<uint64_t, regs::kNumCounters>& c) {
  using namespace regs;
  AccessTable t{};
  auto v = [&](int k) { return static_cast<int64_t>(c[static_cast<size_t>(k)]); };
  const int W = idx(Tensor::W), I = idx(Tensor::I), O = idx(Tensor::O);
  t[0][W].reads = v(kDramWReads);
  t[0][I].reads = v(kDramIReads);
  t[0][O].reads = v(kDramOReads);
  t[0][O].updates = v(kDramOUpdates);
  t[1][W].fills = v(kL2WFills);
  t[1][W].reads = v(kL2WReads);
  t[1][I].fills = v(kL2IFills);
  t[1][I].reads = v(kL2IReads);
  t[1][O].fills = v(kL2OFills);
  t[1][O].reads = v(kL2OReads);
  t[1][O].updates = v(kL2OUpdates);
  t[1][O].drains = v(kL2ODrains);
  t[2][W].fills = v(kL1WFills);
  t[2][W].reads = v(kL1WReads);
  t[2][I].fills = v(kL1IFills);
  t[2][I].reads = v(kL1IReads);
  t[2][O].fills = v(kL1OFills);
  t[2][O].reads = v(kL1OReads);
  t[2][O].updates = v(kL1OUpdates);
  t[2][O].drains = v(kL1ODrains);
  return t;
}

Status check_rtl_limits(const Layer& layer, const HwConfig& hw, const Mapping& m) {
  // The hardware limits are part of HwConfig validation; the rest depend on the layer and mapping.
  if (Status s = validate(hw); !s.ok()) return Status::Error("rtl: " + s.message());
  auto too_big = [](const std::string& what, int64_t v, int64_t max) {
    return Status::Error("rtl: " + what + " = " + std::to_string(v) + " exceeds the template's " +
                         std::to_string(max) + " (docs/template.md section 8)");
  };
  for (int d = 0; d < kNumDims; ++d) {
    const std::string n(1, dim_char(static_cast<Dim>(d)));
    if (layer.dims[d] > MAX_EXTENT) return too_big("extent " + n, layer.dims[d], MAX_EXTENT);
    if (m.l2.tile[d] > MAX_EXTENT) return too_big("L2 tile " + n, m.l2.tile[d], MAX_EXTENT);
  }
  if (layer.stride_y > MAX_EXTENT || layer.stride_x > MAX_EXTENT)
    return too_big("stride", std::max(layer.stride_y, layer.stride_x), MAX_EXTENT);
  if (layer.padded_h() > MAX_EXTENT || layer.padded_w() > MAX_EXTENT)
    return too_big("padded input extent", std::max(layer.padded_h(), layer.padded_w()),
                   MAX_EXTENT);
  if (layout_for(layer).total_bytes > uint64_t{MAX_DRAM_BYTES})
    return too_big("DRAM bytes", static_cast<int64_t>(layout_for(layer).total_bytes),
                   MAX_DRAM_BYTES);
  return Status();
}

SimReport simulate_layer(RtlModel& model, const HwConfig& hw, const Layer& layer,
                         const Mapping& mapping, const SimOptions& o) {
  SimReport rep;
  rep.macs_layer = layer.macs();
  if (Status s = check_rtl_limits(layer, hw, mapping); !s.ok()) {
    rep.error = s.message();
    return rep;
  }
  const Cost cost = evaluate(layer, hw, mapping, o.tech);
  rep.model_status = cost.status;
  if (!cost.status.ok()) {
    rep.error = "the cost model rejects this mapping: " + cost.status.reason();
    return rep;
  }
  rep.cycles_model = cost.cycles;
  rep.model_breakdown = cost.breakdown;
  rep.model_accesses = cost.accesses;

  // Test data, golden outputs, memory image.
  const LayerData data = make_layer_data(layer, o.seed);
  const std::vector<int32_t> expected = golden_conv(layer, data);
  const MemLayout mem = layout_for(layer);
  DramModel dram(static_cast<size_t>(mem.total_bytes), hw.dram_latency_cycles,
                 model.beat_bytes());
  std::memcpy(dram.bytes().data() + mem.base_w, data.weights.data(), data.weights.size());
  std::memcpy(dram.bytes().data() + mem.base_i, data.inputs.data(), data.inputs.size());
  // Poison the outputs: the RTL must never read an output it has not written.
  std::fill(dram.bytes().begin() + mem.base_o, dram.bytes().end(), uint8_t{0xA5});
  if (o.corrupt_weight) dram.bytes()[mem.base_w] ^= 0x5A;
  if (o.backpressure_percent > 0) dram.set_backpressure(o.backpressure_percent, o.seed);

  const std::clock_t c0 = std::clock();
  const int64_t start_cycle = model.cycle();
  model.reset();
  if (model.read_reg(regs::kMagic) != regs::kMagicValue) {
    rep.error = "register port: bad MAGIC (not an AccelForge v1 design?)";
    return rep;
  }
  const uint32_t info = model.read_reg(regs::kHwInfo0);
  if (static_cast<int64_t>(info & 0xFF) != hw.rows ||
      static_cast<int64_t>((info >> 8) & 0xFF) != hw.cols ||
      static_cast<int>((info >> 16) & 0xF) != idx(hw.row_dim) ||
      static_cast<int>((info >> 20) & 0xF) != idx(hw.col_dim) ||
      static_cast<int64_t>(info >> 24) != hw.noc_words_per_cycle ||
      static_cast<int64_t>(model.read_reg(regs::kHwInfo1)) != hw.dram_bytes_per_cycle) {
    rep.error = "the design's HWINFO registers do not match its HwConfig";
    return rep;
  }
  for (const auto& [addr, value] : register_writes(layer, mapping, mem))
    model.write_reg(addr, value);
  model.write_reg(regs::kCtrl, 1);

  const int64_t limit = o.max_cycles > 0 ? o.max_cycles : 50 * cost.cycles + 1000000;
  int64_t run_cycles = 0;
  AfPins& p = model.pins();
  for (;;) {
    dram.drive(p, model.cycle());
    model.step();
    if (!dram.observe(p, model.cycle() - 1)) {
      rep.error = dram.error();
      break;
    }
    ++run_cycles;
    if (p.done && !p.busy) {
      rep.finished = true;
      break;
    }
    if (run_cycles >= limit) {  // --max-cycles N runs at most N cycles
      rep.error = "no done after " + std::to_string(run_cycles) + " cycles (hang)";
      break;
    }
  }
  rep.sim_cycles = model.cycle() - start_cycle;
  rep.sim_seconds = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
  if (!rep.finished) return rep;
  if (!dram.idle()) rep.error = "memory reads still outstanding at done";

  std::array<uint64_t, regs::kNumCounters> c{};
  for (int k = 0; k < regs::kNumCounters; ++k) c[static_cast<size_t>(k)] = model.read_counter(k);
  rep.cycles_rtl = static_cast<int64_t>(c[regs::kCycles]);
  rep.rtl_breakdown.compute = static_cast<int64_t>(c[regs::kCompute]);
  rep.rtl_breakdown.input_wait = static_cast<int64_t>(c[regs::kInputWait]);
  rep.rtl_breakdown.output_wait = static_cast<int64_t>(c[regs::kOutputWait]);
  rep.rtl_breakdown.dram_stall = static_cast<int64_t>(c[regs::kDramStall]);
  rep.rtl_breakdown.fill_drain = static_cast<int64_t>(c[regs::kFillDrain]);
  rep.macs_rtl = static_cast<int64_t>(c[regs::kMacs]);
  rep.rtl_accesses = access_table_from_counters(c);
  rep.accesses_match = rep.rtl_accesses == rep.model_accesses;
  rep.cycles_error = rep.cycles_model > 0
                         ? static_cast<double>(rep.cycles_rtl - rep.cycles_model) /
                               static_cast<double>(rep.cycles_model)
                         : 0.0;

  rep.output_words = static_cast<int64_t>(expected.size());
  const uint8_t* out = dram.bytes().data() + mem.base_o;
  for (size_t i = 0; i < expected.size(); ++i) {
    int32_t got;
    std::memcpy(&got, out + 4 * i, 4);  // little-endian host
    if (got != expected[i]) {
      if (rep.mismatches == 0) {
        rep.first_mismatch = static_cast<int64_t>(i);
        rep.first_expected = expected[i];
        rep.first_got = got;
      }
      ++rep.mismatches;
    }
  }
  rep.outputs_match = rep.mismatches == 0;
  return rep;
}

}  // namespace af::sim
