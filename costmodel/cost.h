// The analytical cost model of the template (docs/template.md): evaluate(layer, hw, mapping, tech,
// calibration) -> Cost. This is the hot path of the search: no exceptions, no allocation; an
// illegal point returns a status code with the offending level/tensor and sizes.
#pragma once
#include <array>
#include <cstdint>
#include <string>

#include "core/dims.h"
#include "core/hw_config.h"
#include "core/layer.h"
#include "core/mapping.h"
#include "core/tech.h"

namespace af {

enum class EvalCode : uint8_t {
  kOk = 0,
  kBadTile,          // tile < 1, or L1 tile > L2 tile, or L2 tile > layer extent
  kBadOrder,         // a loop order is not a permutation of the 8 dims
  kBadDataflow,      // row_dim == col_dim, or an array axis < 1
  kBufferOverflow,   // a double-buffered tile does not fit its buffer
};

struct EvalStatus {
  EvalCode code = EvalCode::kOk;
  int8_t level = -1;     // 1 = L1, 2 = L2 (for kBufferOverflow); the level of a bad tile
  int8_t tensor = -1;    // Tensor index for kBufferOverflow
  int8_t dim = -1;       // Dim index for kBadTile
  int64_t needed = 0;    // bytes needed (overflow) or the offending tile size
  int64_t allowed = 0;   // capacity in bytes or the largest allowed tile
  bool ok() const { return code == EvalCode::kOk; }
  std::string reason() const;  // human-readable; not for the hot path
};

enum class Level : uint8_t { DRAM = 0, L2 = 1, L1 = 2 };
inline constexpr int kNumLevels = 3;
inline constexpr const char* level_name(int level) {
  return level == 0 ? "DRAM" : level == 1 ? "L2" : "L1";
}

// Words moved, per level and tensor (docs/template.md section 4).
struct AccessCounts {
  int64_t reads = 0;    // out of this level toward the child (L1: MAC operand reads)
  int64_t fills = 0;    // into this level from the parent
  int64_t updates = 0;  // into this level from the child (outputs)
  int64_t drains = 0;   // out of this level to the parent (outputs)
  bool operator==(const AccessCounts& o) const {
    return reads == o.reads && fills == o.fills && updates == o.updates && drains == o.drains;
  }
};
using AccessTable = std::array<std::array<AccessCounts, kNumTensors>, kNumLevels>;

struct CycleBreakdown {
  int64_t compute = 0, input_wait = 0, output_wait = 0, dram_stall = 0, fill_drain = 0;
  int64_t total() const { return compute + input_wait + output_wait + dram_stall + fill_drain; }
};

struct EnergyBreakdown {
  double mac_pj = 0, l1_pj = 0, l2_pj = 0, dram_pj = 0, noc_pj = 0;
  double total() const { return mac_pj + l1_pj + l2_pj + dram_pj + noc_pj; }
};

struct AreaBreakdown {
  double pe_um2 = 0, l1_um2 = 0, l2_um2 = 0;
  double total() const { return pe_um2 + l1_um2 + l2_um2; }
};

// Fitted per-cause cycle multipliers and an offset (one file per template version); the identity
// by default. Calibrated cycles = sum_c scale[c] * breakdown[c] + offset.
struct Calibration {
  double compute = 1, input_wait = 1, output_wait = 1, dram_stall = 1, fill_drain = 1;
  double offset_cycles = 0;
  bool is_identity() const {
    return compute == 1 && input_wait == 1 && output_wait == 1 && dram_stall == 1 &&
           fill_drain == 1 && offset_cycles == 0;
  }
};

struct Cost {
  EvalStatus status;
  int64_t macs = 0;            // counted by the model over every (clipped) tile
  int64_t pes = 0;
  int64_t cycles = 0;          // calibrated when a calibration is given
  CycleBreakdown breakdown;    // uncalibrated, sums to the uncalibrated cycles
  double utilization = 0;      // macs / (pes * cycles)
  AccessTable accesses{};
  // Bytes each buffer needs for this mapping (double-buffered), per level (0 = L1, 1 = L2).
  std::array<std::array<int64_t, kNumTensors>, 2> buffer_bytes{};
  EnergyBreakdown energy;
  AreaBreakdown area;
  double energy_pj() const { return energy.total(); }
  double area_um2() const { return area.total(); }
};

// Buffer needs only (double-buffered tile bytes), per level (0 = L1, 1 = L2) and tensor. Cheap;
// the search sizes buffers from it.
std::array<std::array<int64_t, kNumTensors>, 2> required_buffer_bytes(const Layer& layer,
                                                                       const HwConfig& hw,
                                                                       const Mapping& mapping);

// Area of a hardware configuration (independent of the mapping).
AreaBreakdown area_of(const HwConfig& hw, const Tech& tech);

Cost evaluate(const Layer& layer, const HwConfig& hw, const Mapping& mapping, const Tech& tech,
              const Calibration* calibration = nullptr);

// evaluate() in two parts, so that a caller that meets the same mapping again (the search, whose
// children repeat most of their parents' layers) can keep the expensive part:
//   evaluate(l, hw, m, tech, cal) == finish_evaluation(evaluate_mapping(l, hw, m), hw, tech, cal)
// field for field. The mapping part does not depend on the buffer capacities, the tech table or
// the calibration; it depends on the rest of the HwConfig (array, dataflow, interfaces).
struct MappingCost {
  EvalStatus status;  // structural problems only; capacities are checked when finishing
  int64_t macs = 0;
  CycleBreakdown breakdown;
  AccessTable accesses{};
  std::array<std::array<int64_t, kNumTensors>, 2> buffer_bytes{};
};
MappingCost evaluate_mapping(const Layer& layer, const HwConfig& hw, const Mapping& mapping);
Cost finish_evaluation(const MappingCost& part, const HwConfig& hw, const Tech& tech,
                       const Calibration* calibration = nullptr);

}  // namespace af
