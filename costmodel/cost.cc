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

std::array<std::array<int64_t, kNumTensors>, 2> buffer_bytes_of(const model::Geometry& g) {
  std::array<std::array<int64_t, kNumTensors>, 2> need{};
  for (Tensor t : kAllTensors) {
    need[0][idx(t)] = 2 * word_bytes(t) * model::tile_volume(g, t, g.t1);
    need[1][idx(t)] = 2 * word_bytes(t) * model::tile_volume(g, t, g.t2);
  }
  return need;
}

}  // namespace

std::array<std::array<int64_t, kNumTensors>, 2> required_buffer_bytes(const Layer& layer,
                                                                       const HwConfig& hw,
                                                                       const Mapping& mapping) {
  return buffer_bytes_of(model::make_geometry(layer, hw, mapping));
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

}  // namespace

Cost evaluate(const Layer& layer, const HwConfig& hw, const Mapping& mapping, const Tech& tech,
              const Calibration* calibration) {
  Cost cost;
  cost.pes = hw.pes();
  cost.area = area_of(hw, tech);
  cost.status = check_structure(layer, hw, mapping);
  if (!cost.status.ok()) return cost;

  const model::Geometry g = model::make_geometry(layer, hw, mapping);
  cost.buffer_bytes = buffer_bytes_of(g);
  for (int level = 0; level < 2; ++level) {
    for (Tensor t : kAllTensors) {
      const int64_t cap = level == 0 ? hw.l1_bytes[idx(t)] : hw.l2_bytes[idx(t)];
      if (cost.buffer_bytes[level][idx(t)] > cap) {
        cost.status.code = EvalCode::kBufferOverflow;
        cost.status.level = static_cast<int8_t>(level + 1);
        cost.status.tensor = static_cast<int8_t>(idx(t));
        cost.status.needed = cost.buffer_bytes[level][idx(t)];
        cost.status.allowed = cap;
        return cost;
      }
    }
  }

  cost.macs = model::count_accesses(g, cost.accesses);
  cost.breakdown = model::layer_cycles(g, hw);
  const int64_t raw_cycles = cost.breakdown.total();
  cost.cycles = raw_cycles;
  if (calibration && !calibration->is_identity()) {
    const CycleBreakdown& b = cost.breakdown;
    const double c = calibration->compute * b.compute + calibration->input_wait * b.input_wait +
                     calibration->output_wait * b.output_wait +
                     calibration->dram_stall * b.dram_stall +
                     calibration->fill_drain * b.fill_drain + calibration->offset_cycles;
    cost.cycles = std::max<int64_t>(1, std::llround(c));
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
  return cost;
}

}  // namespace af
