// evaluate(): legality checks, buffer needs, access counts, cycles, energy and area of one mapping
// of one layer on one hardware configuration (docs/template.md).
#include "costmodel/cost.h"

#include <algorithm>
#include <cmath>

#include "costmodel/counts.h"
#include "costmodel/tiling.h"
#include "costmodel/timing.h"

namespace af {

std::string EvalStatus::reason() const {
  auto dim_str = [&] { return std::string(1, dim >= 0 ? dim_char(static_cast<Dim>(dim)) : '?'); };
  const std::string lvl = level == 1 ? "L1" : level == 2 ? "L2" : "?";
  switch (code) {
    case EvalCode::kOk: return "ok";
    case EvalCode::kBadTile:
      return lvl + " tile of " + dim_str() + " is " + std::to_string(needed) + " (allowed: 1.." +
             std::to_string(allowed) + ")";
    case EvalCode::kBadOrder: return lvl + " loop order is not a permutation of NGKCYXRS";
    case EvalCode::kBadDataflow:
      return "dataflow: row_dim and col_dim must differ and rows, cols must be >= 1";
    case EvalCode::kBufferOverflow:
      return lvl + " " + tensor_name(static_cast<Tensor>(tensor)) + " buffer overflows: needs " +
             std::to_string(needed) + " bytes double-buffered (capacity " +
             std::to_string(allowed) + ")";
  }
  return "unknown";
}

namespace {

// Words of one tile of extents x (no spatial split): W and O are products of their dims' extents,
// I's rows and columns are input windows (tiling.h tile_volume, without a Geometry).
inline int64_t words_of_tile(Tensor t, const DimArray& x, int64_t sy, int64_t sx) {
  const int64_t ng = x[idx(Dim::N)] * x[idx(Dim::G)];
  switch (t) {
    case Tensor::W:
      return x[idx(Dim::G)] * x[idx(Dim::K)] * x[idx(Dim::C)] * x[idx(Dim::R)] * x[idx(Dim::S)];
    case Tensor::O: return ng * x[idx(Dim::K)] * x[idx(Dim::Y)] * x[idx(Dim::X)];
    case Tensor::I:
      return ng * x[idx(Dim::C)] * ((x[idx(Dim::Y)] - 1) * sy + x[idx(Dim::R)]) *
             ((x[idx(Dim::X)] - 1) * sx + x[idx(Dim::S)]);
  }
  return 0;
}

// Double-buffered bytes of the L1 (0) and L2 (1) tiles of each tensor.
std::array<std::array<int64_t, kNumTensors>, 2> buffer_bytes_of(const DimArray& t1,
                                                                const DimArray& t2, int64_t sy,
                                                                int64_t sx) {
  std::array<std::array<int64_t, kNumTensors>, 2> need{};
  for (Tensor t : kAllTensors) {
    need[0][idx(t)] = 2 * word_bytes(t) * words_of_tile(t, t1, sy, sx);
    need[1][idx(t)] = 2 * word_bytes(t) * words_of_tile(t, t2, sy, sx);
  }
  return need;
}
std::array<std::array<int64_t, kNumTensors>, 2> buffer_bytes_of(const model::Geometry& g) {
  return buffer_bytes_of(g.t1, g.t2, g.sy, g.sx);
}

}  // namespace

// The search calls this for every layer of every candidate it repairs: no Geometry.
std::array<std::array<int64_t, kNumTensors>, 2> required_buffer_bytes(const Layer& layer,
                                                                       const HwConfig&,
                                                                       const Mapping& mapping) {
  return buffer_bytes_of(mapping.l1.tile, mapping.l2.tile, layer.stride_y, layer.stride_x);
}

AreaBreakdown area_of(const HwConfig& hw, const Tech& tech) {
  AreaBreakdown a;
  int64_t l1 = 0, l2 = 0;
  for (Tensor t : kAllTensors) {
    l1 += hw.l1_bytes[idx(t)];
    l2 += hw.l2_bytes[idx(t)];
  }
  a.pe_um2 = static_cast<double>(hw.pes()) * tech.mac_um2;
  a.l1_um2 = static_cast<double>(hw.pes() * l1 * 8) * tech.sram_um2_per_bit;
  a.l2_um2 = static_cast<double>(l2 * 8) * tech.sram_um2_per_bit;
  return a;
}

namespace {

EvalStatus check_structure(const Layer& layer, const HwConfig& hw, const Mapping& m) {
  EvalStatus st;
  if (hw.rows < 1 || hw.cols < 1 || hw.row_dim == hw.col_dim) {
    st.code = EvalCode::kBadDataflow;
    return st;
  }
  for (int level = 1; level <= 2; ++level) {
    const LevelMapping& lm = level == 1 ? m.l1 : m.l2;
    uint32_t seen = 0;
    for (Dim d : lm.order) seen |= 1u << idx(d);
    if (seen != (1u << kNumDims) - 1) {
      st.code = EvalCode::kBadOrder;
      st.level = static_cast<int8_t>(level);
      return st;
    }
    for (int d = 0; d < kNumDims; ++d) {
      const int64_t limit = level == 2 ? layer.dims[d] : m.l2.tile[d];
      if (lm.tile[d] < 1 || lm.tile[d] > limit) {
        st.code = EvalCode::kBadTile;
        st.level = static_cast<int8_t>(level);
        st.dim = static_cast<int8_t>(d);
        st.needed = lm.tile[d];
        st.allowed = limit;
        return st;
      }
    }
  }
  return st;
}

double level_energy(const AccessCounts& a, Tensor t, double pj_per_byte) {
  return static_cast<double>((a.reads + a.fills + a.updates + a.drains) * word_bytes(t)) *
         pj_per_byte;
}

// The first buffer whose double-buffered need exceeds its capacity, as a status (ok when all fit).
EvalStatus capacity_status(const std::array<std::array<int64_t, kNumTensors>, 2>& need,
                           const HwConfig& hw) {
  EvalStatus st;
  for (int level = 0; level < 2; ++level) {
    for (Tensor t : kAllTensors) {
      const int64_t cap = level == 0 ? hw.l1_bytes[idx(t)] : hw.l2_bytes[idx(t)];
      if (need[level][idx(t)] > cap) {
        st.code = EvalCode::kBufferOverflow;
        st.level = static_cast<int8_t>(level + 1);
        st.tensor = static_cast<int8_t>(idx(t));
        st.needed = need[level][idx(t)];
        st.allowed = cap;
        return st;
      }
    }
  }
  return st;
}

// Calibration, utilization and energy of a legal point whose MACs, access counts, cycle
// breakdown and `pes` are filled in.
void finish(Cost& cost, const HwConfig& hw, const Tech& tech, const Calibration* calibration) {
  const int64_t raw_cycles = cost.breakdown.total();
  cost.cycles = raw_cycles;
  if (calibration && !calibration->is_identity()) {
    const CycleBreakdown& b = cost.breakdown;
    const double c = calibration->compute * b.compute + calibration->input_wait * b.input_wait +
                     calibration->output_wait * b.output_wait +
                     calibration->dram_stall * b.dram_stall +
                     calibration->fill_drain * b.fill_drain + calibration->offset_cycles;
    // A fit can undershoot what the array can do (extreme factors, a negative offset): the
    // calibrated cycles never go below MACs / PEs, so utilization stays <= 1; and never above
    // 2^62, so llround cannot overflow.
    const double floor_cycles = static_cast<double>((cost.macs + cost.pes - 1) / cost.pes);
    cost.cycles = std::llround(std::clamp(c, std::max(1.0, floor_cycles), 0x1p62));
  }
  cost.utilization = static_cast<double>(cost.macs) /
                     (static_cast<double>(cost.pes) * static_cast<double>(cost.cycles));

  // Energy: MACs, every buffer access at that buffer's per-byte energy, DRAM, and bus traffic.
  const AccessTable& a = cost.accesses;
  EnergyBreakdown& e = cost.energy;
  e.mac_pj = static_cast<double>(cost.macs) * tech.mac_pj;
  for (Tensor t : kAllTensors) {
    const int ti = idx(t);
    e.l1_pj += level_energy(a[2][ti], t, tech.sram_pj_per_byte(hw.l1_bytes[ti]));
    e.l2_pj += level_energy(a[1][ti], t, tech.sram_pj_per_byte(hw.l2_bytes[ti]));
    e.dram_pj += static_cast<double>((a[0][ti].reads + a[0][ti].updates) * word_bytes(t)) *
                 tech.dram_pj_per_byte;
    e.noc_pj += static_cast<double>((a[1][ti].reads + a[1][ti].updates) * word_bytes(t)) *
                tech.noc_pj_per_byte;
  }
}

}  // namespace

MappingCost evaluate_mapping(const Layer& layer, const HwConfig& hw, const Mapping& mapping) {
  MappingCost part;
  part.status = check_structure(layer, hw, mapping);
  if (!part.status.ok()) return part;
  const model::Geometry g = model::make_geometry(layer, hw, mapping);
  part.buffer_bytes = buffer_bytes_of(g);
  part.macs = model::count_accesses(g, part.accesses);
  part.breakdown = model::layer_cycles(g, hw);
  return part;
}

Cost finish_evaluation(const MappingCost& part, const HwConfig& hw, const Tech& tech,
                       const Calibration* calibration) {
  Cost cost;
  cost.pes = hw.pes();
  cost.area = area_of(hw, tech);
  cost.status = part.status;
  if (!cost.status.ok()) return cost;
  cost.buffer_bytes = part.buffer_bytes;
  cost.status = capacity_status(cost.buffer_bytes, hw);
  if (!cost.status.ok()) return cost;  // nothing measured is reported for an illegal point
  cost.macs = part.macs;
  cost.accesses = part.accesses;
  cost.breakdown = part.breakdown;
  finish(cost, hw, tech, calibration);
  return cost;
}

Cost evaluate(const Layer& layer, const HwConfig& hw, const Mapping& mapping, const Tech& tech,
              const Calibration* calibration) {
  // finish_evaluation(evaluate_mapping(...)) without the copy, and a point whose buffers overflow
  // stops before the counts and cycles.
  Cost cost;
  cost.pes = hw.pes();
  cost.area = area_of(hw, tech);
  cost.status = check_structure(layer, hw, mapping);
  if (!cost.status.ok()) return cost;
  const model::Geometry g = model::make_geometry(layer, hw, mapping);
  cost.buffer_bytes = buffer_bytes_of(g);
  cost.status = capacity_status(cost.buffer_bytes, hw);
  if (!cost.status.ok()) return cost;
  cost.macs = model::count_accesses(g, cost.accesses);
  cost.breakdown = model::layer_cycles(g, hw);
  finish(cost, hw, tech, calibration);
  return cost;
}

}  // namespace af
