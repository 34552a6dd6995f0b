// The testbench around one Verilated design: register port, DRAM model, and the run of one
// (layer, mapping) compared bit for bit with the golden convolution and term by term with the
// analytical cost model (docs/template.md). The testbench only writes registers, serves memory
// and reads results; the loop nest, addresses and DMA are in the RTL.
#pragma once
#include <cstdint>
#include <memory>
#include <string>

#include "core/hw_config.h"
#include "core/layer.h"
#include "core/mapping.h"
#include "costmodel/cost.h"
#include "sim/design.h"
#include "sim/rtl_regs.h"

namespace af::sim {

// One model instance of a loaded design (it may run any number of layers, one after another).
class RtlModel {
 public:
  explicit RtlModel(std::shared_ptr<DesignModule> module, const std::string& trace_path = "");
  ~RtlModel();
  RtlModel(const RtlModel&) = delete;
  RtlModel& operator=(const RtlModel&) = delete;

  bool traced() const { return traced_ != 0; }
  int beat_bytes() const { return static_cast<int>(api_.beat_bytes); }
  void reset(int cycles = 4);
  void write_reg(uint8_t addr, uint32_t value);
  uint32_t read_reg(uint8_t addr);
  uint64_t read_counter(int k);
  // One clock cycle with the given memory-side inputs already in pins(); returns the outputs.
  AfPins& pins() { return pins_; }
  void step();
  int64_t cycle() const { return cycle_; }

 private:
  std::shared_ptr<DesignModule> module_;
  const AfDesignApi& api_;
  void* model_ = nullptr;
  int traced_ = 0;
  AfPins pins_{};
  int64_t cycle_ = 0;
};

struct SimOptions {
  uint64_t seed = 1;             // test data
  bool corrupt_weight = false;   // flip one weight in DRAM after the golden is computed
  int64_t max_cycles = 0;        // 0: 50 x the model's cycles + 1e6
  int backpressure_percent = 0;  // test aid: the memory withholds ready / read beats this often
  Tech tech;
};

struct SimReport {
  bool finished = false;         // the RTL raised done
  std::string error;             // non-empty: the run could not be judged
  bool outputs_match = false;
  int64_t output_words = 0, mismatches = 0, first_mismatch = -1;
  int32_t first_expected = 0, first_got = 0;
  int64_t macs_layer = 0, macs_rtl = 0;
  int64_t cycles_rtl = 0, cycles_model = 0;
  double cycles_error = 0;       // (rtl - model) / model
  bool accesses_match = false;
  AccessTable rtl_accesses{}, model_accesses{};
  CycleBreakdown rtl_breakdown, model_breakdown;
  EvalStatus model_status;
  int64_t sim_cycles = 0;        // clock cycles simulated (including programming)
  double sim_seconds = 0;        // CPU seconds in the simulation loop
  bool ok() const { return error.empty() && finished && outputs_match && accesses_match; }
};

SimReport simulate_layer(RtlModel& model, const HwConfig& hw, const Layer& layer,
                         const Mapping& mapping, const SimOptions& options = {});

// What the RTL's fixed field widths can represent (docs/template.md section 8): the HwConfig's
// limits (validate(hw)) and those of the layer and mapping: extents, strides, L2 tiles and padded
// input rows/columns < 2^16, all tensors inside a 32-bit DRAM address space.
Status check_rtl_limits(const Layer& layer, const HwConfig& hw, const Mapping& mapping);

// Reads the RTL access counters into the cost model's table layout.
AccessTable access_table_from_counters(const std::array<uint64_t, regs::kNumCounters>& c);

}  // namespace af::sim
