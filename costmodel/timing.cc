// Cycle model (docs/template.md section 5).
//
// Both pipelines (array steps inside an L2 tile; L2 tiles over the layer) cost one period per
// element, and a period depends only on an element and its successor: what the element computes
// and what the transition to the successor reloads. A transition is identified by the loop
// position l that increments (inner loops wrap to index 0, outer ones stay). So the sum of periods
// is enumerated per l over the states of the loops that can differ:
//   element j : positions < l any index; position l not last;   positions > l last
//   element j+1: positions < l same;      position l index >= 1; positions > l first
// Only dimensions whose last tile is clipped ("ragged") have two distinct extents; the others
// contribute their trip count as a multiplicity. The cost is the number of (l, ragged-state)
// combinations, not the number of steps.
#include "costmodel/timing.h"

#include <algorithm>

#include "core/template_constants.h"

namespace af::model {
namespace {

using Splits = std::array<Split, kNumDims>;
using TensorMask = uint8_t;  // bit t set: tensor t reloads

inline bool has(TensorMask m, Tensor t) { return (m >> idx(t)) & 1; }

// reload[l]: tensors that reload when loop position l increments (docs section 4).
std::array<TensorMask, kNumDims> reload_masks(const Splits& sp, const DimOrder& order) {
  std::array<TensorMask, kNumDims> reload{};
  TensorMask inner = 0;
  for (int pos = kNumDims - 1; pos >= 0; --pos) {
    const Dim d = order[pos];
    if (sp[idx(d)].count > 1) {
      for (Tensor t : kAllTensors)
        if (relevant(t, d)) inner |= static_cast<TensorMask>(1u << idx(t));
    }
    reload[pos] = inner;
  }
  return reload;
}

// Calls visit(weight, x_j, x_next, reload mask) for every distinct kind of transition.
template <typename Visit>
void for_each_transition(const Splits& sp, const DimOrder& order, Visit&& visit) {
  const std::array<TensorMask, kNumDims> reload = reload_masks(sp, order);
  for (int l = 0; l < kNumDims; ++l) {
    const int dl = idx(order[l]);
    const Split& sl = sp[dl];
    if (sl.count <= 1) continue;
    DimArray xj{}, xn{};
    int64_t base = 1;
    int ragged[kNumDims];
    int num_ragged = 0;
    for (int p = 0; p < l; ++p) {
      const int d = idx(order[p]);
      if (sp[d].ragged()) {
        ragged[num_ragged++] = d;
      } else {
        xj[d] = xn[d] = sp[d].first();
        base *= sp[d].count;
      }
    }
    for (int p = l + 1; p < kNumDims; ++p) {
      const int d = idx(order[p]);
      xj[d] = sp[d].last;
      xn[d] = sp[d].first();
    }
    xj[dl] = sl.full;
    int64_t next_ext[2], next_weight[2];
    int num_next = 0;
    if (sl.ragged()) {
      next_ext[num_next] = sl.last;
      next_weight[num_next++] = 1;
      if (sl.count >= 3) {
        next_ext[num_next] = sl.full;
        next_weight[num_next++] = sl.count - 2;
      }
    } else {
      next_ext[num_next] = sl.full;
      next_weight[num_next++] = sl.count - 1;
    }
    for (uint32_t mask = 0; mask < (1u << num_ragged); ++mask) {
      int64_t w = base;
      for (int i = 0; i < num_ragged; ++i) {
        const int d = ragged[i];
        if ((mask >> i) & 1) {
          xj[d] = xn[d] = sp[d].last;
        } else {
          xj[d] = xn[d] = sp[d].full;
          w *= sp[d].count - 1;
        }
      }
      for (int k = 0; k < num_next; ++k) {
        xn[dl] = next_ext[k];
        visit(w * next_weight[k], xj, xn, reload[l]);
      }
    }
  }
}

struct BusWidths {
  int64_t words;
  int64_t dist(int64_t v) const { return v > 0 ? ceil_div(v, words) + DIST_LATENCY_CYCLES : 0; }
  int64_t collect(int64_t v) const {
    return v > 0 ? ceil_div(v, words) + COLLECT_LATENCY_CYCLES : 0;
  }
};

// The L1 pipeline of one L2 tile of extents e (docs section 5).
CycleBreakdown l1_pipeline(const Geometry& g, const DimArray& e, const BusWidths& bus) {
  Splits sp;
  for (int d = 0; d < kNumDims; ++d) sp[d] = split(e[d], g.step[d]);
  CycleBreakdown out;
  auto compute_of = [&](const DimArray& x) {
    int64_t c = 1;
    for (int d = 0; d < kNumDims; ++d) c *= pe_extent(g, d, x[d]);
    return c;
  };
  for_each_transition(sp, g.o1, [&](int64_t w, const DimArray& xj, const DimArray& xn,
                                    TensorMask reload) {
    const int64_t c = compute_of(xj);
    int64_t dist = 0;
    for (Tensor t : kAllTensors)
      if (has(reload, t)) dist = std::max(dist, bus.dist(step_volume(g, t, xn)));
    const int64_t collect = has(reload, Tensor::O) ? bus.collect(step_volume(g, Tensor::O, xj)) : 0;
    const int64_t period = std::max(c, std::max(dist, collect));
    out.compute += w * c;
    if (period > c) {
      if (dist >= collect) out.input_wait += w * (period - c);
      else out.output_wait += w * (period - c);
    }
  });
  DimArray first{}, last{};
  for (int d = 0; d < kNumDims; ++d) {
    first[d] = sp[d].first();
    last[d] = sp[d].last;
  }
  out.compute += compute_of(last);
  int64_t fill = 0;
  for (Tensor t : kAllTensors) fill = std::max(fill, bus.dist(step_volume(g, t, first)));
  out.fill_drain += fill + bus.collect(step_volume(g, Tensor::O, last));
  return out;
}

}  // namespace

int64_t dma_beats(const Geometry& g, const HwConfig& hw, Tensor t, const DimArray& x) {
  // Layout dims innermost first: (tile extent, tensor extent).
  int64_t ext[5], full[5];
  const DimArray& D = g.extent;
  auto set = [&](int i, Dim d) {
    ext[i] = x[idx(d)];
    full[i] = D[idx(d)];
  };
  switch (t) {
    case Tensor::W:
      set(0, Dim::S), set(1, Dim::R), set(2, Dim::C), set(3, Dim::K), set(4, Dim::G);
      break;
    case Tensor::O:
      set(0, Dim::X), set(1, Dim::Y), set(2, Dim::K), set(3, Dim::G), set(4, Dim::N);
      break;
    case Tensor::I:
      ext[0] = (x[idx(Dim::X)] - 1) * g.sx + x[idx(Dim::S)];
      full[0] = (D[idx(Dim::X)] - 1) * g.sx + D[idx(Dim::S)];
      ext[1] = (x[idx(Dim::Y)] - 1) * g.sy + x[idx(Dim::R)];
      full[1] = (D[idx(Dim::Y)] - 1) * g.sy + D[idx(Dim::R)];
      set(2, Dim::C), set(3, Dim::G), set(4, Dim::N);
      break;
  }
  int64_t run = 1, volume = 1;
  bool merging = true;
  for (int i = 0; i < 5; ++i) {
    volume *= ext[i];
    if (merging) run *= ext[i];
    if (ext[i] != full[i]) merging = false;
  }
  const int64_t runs = volume / run;
  return runs * ceil_div(run * word_bytes(t), hw.dram_bytes_per_cycle);
}

CycleBreakdown layer_cycles(const Geometry& g, const HwConfig& hw) {
  const BusWidths bus{hw.noc_words_per_cycle};
  Splits sp;
  for (int d = 0; d < kNumDims; ++d) sp[d] = split(g.extent[d], g.t2[d]);

  // L1 pipeline per distinct L2-tile shape, keyed by which ragged dims are at their edge tile.
  CycleBreakdown cache[1 << kNumDims];
  bool cached[1 << kNumDims] = {};
  auto l1_of = [&](const DimArray& e) -> const CycleBreakdown& {
    uint32_t key = 0;
    for (int d = 0; d < kNumDims; ++d)
      if (sp[d].ragged() && e[d] == sp[d].last) key |= 1u << d;
    if (!cached[key]) {
      cache[key] = l1_pipeline(g, e, bus);
      cached[key] = true;
    }
    return cache[key];
  };

  CycleBreakdown out;
  auto add_tile = [&](int64_t w, const CycleBreakdown& c, int64_t dma) {
    const int64_t busy = c.total();
    out.compute += w * c.compute;
    out.input_wait += w * c.input_wait;
    out.output_wait += w * c.output_wait;
    out.fill_drain += w * c.fill_drain;
    out.dram_stall += w * (std::max<int64_t>(0, dma - busy) + L2_TILE_OVERHEAD_CYCLES);
  };
  for_each_transition(sp, g.o2, [&](int64_t w, const DimArray& xj, const DimArray& xn,
                                    TensorMask reload) {
    int64_t load = 0;
    for (Tensor t : kAllTensors)
      if (has(reload, t)) load += dma_beats(g, hw, t, xn);
    int64_t dma = has(reload, Tensor::O) ? dma_beats(g, hw, Tensor::O, xj) : 0;
    if (load > 0) dma += hw.dram_latency_cycles + load;
    add_tile(w, l1_of(xj), dma);
  });
  DimArray first{}, last{};
  for (int d = 0; d < kNumDims; ++d) {
    first[d] = sp[d].first();
    last[d] = sp[d].last;
  }
  add_tile(1, l1_of(last), 0);
  int64_t fill = hw.dram_latency_cycles;
  for (Tensor t : kAllTensors) fill += dma_beats(g, hw, t, first);
  out.fill_drain += fill + dma_beats(g, hw, Tensor::O, last);
  return out;
}

}  // namespace af::model
