// The C ABI between af_sim (the testbench, memory model and checks, linked into accelforge and
// the tests) and one Verilated design, built as a shared module per design directory
// (sim/design_adapter.cc + the Verilated af_top). Only pins cross this boundary, so the
// testbench is compiled once and every design build is just Verilator's output plus a thin
// adapter.
#pragma once
#include <cstdint>

extern "C" {

#define AF_DESIGN_ABI_VERSION 1u
#define AF_DESIGN_MAX_BEAT_BYTES 256

// Top-level pins of af_top (rtl-templates/INTERFACES.md section 3).
struct AfPins {
  // inputs
  uint8_t rst;
  uint8_t cfg_wr;
  uint8_t cfg_addr;
  uint32_t cfg_wdata;
  uint8_t mem_rd_req_ready;
  uint8_t mem_rd_valid;
  uint8_t mem_wr_ready;
  uint8_t mem_rd_data[AF_DESIGN_MAX_BEAT_BYTES];
  // outputs (valid after af_design_api::step: the values during the cycle just simulated)
  uint32_t cfg_rdata;
  uint8_t busy;
  uint8_t done;
  uint8_t mem_rd_req_valid;
  uint32_t mem_rd_req_addr;
  uint32_t mem_rd_req_bytes;
  uint8_t mem_rd_ready;
  uint8_t mem_wr_valid;
  uint32_t mem_wr_addr;
  uint16_t mem_wr_bytes;
  uint8_t mem_wr_data[AF_DESIGN_MAX_BEAT_BYTES];
};

struct AfDesignApi {
  uint32_t abi_version;      // AF_DESIGN_ABI_VERSION
  uint32_t beat_bytes;       // DRAM_B of this build (width of mem_*_data)
  // Creates a model (own VerilatedContext). trace_path: FST file or null (only when built with
  // tracing; otherwise ignored and *traced = 0).
  void* (*create)(const char* trace_path, int* traced);
  void (*destroy)(void* model);
  // One clock cycle: applies the inputs with the clock low, settles, copies the outputs of this
  // cycle into `pins`, then raises the clock (the registers take the values of this cycle).
  void (*step)(void* model, AfPins* pins);
  // Evaluates the combinational outputs for the current inputs without a clock edge
  // (register reads: cfg_addr -> cfg_rdata).
  void (*peek)(void* model, AfPins* pins);
};

// Exported by every design module.
const AfDesignApi* af_design_api(void);
}
