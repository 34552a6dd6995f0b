// A frozen copy of the cost model as it was before the speed work (commit f946e01: tiling.cc,
// counts.cc, timing.cc and evaluate()), kept as the oracle of costmodel_fastpath_test: the
// optimized evaluate() must return exactly what this returns, field by field, on real layers too
// large for the brute-force walker. Do not "fix" or speed up this file; it is the specification.
#pragma once
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>

#include "core/dims.h"
#include "core/hw_config.h"
#include "core/layer.h"
#include "core/mapping.h"
#include "core/template_constants.h"
#include "costmodel/cost.h"

namespace af::test::ref {
namespace {
// Per-dimension tiling arithmetic shared by the cost model's counting and timing code:
// how one level's loop over a dimension splits an extent into full and edge (clipped) tiles, and
// the tile volumes of each tensor (docs/template.md sections 3 and 4).




inline constexpr int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

// A loop over one dimension: `count` tiles of `full` extent, the last one clipped to `last`.
struct Split {
  int64_t count = 1;
  int64_t full = 1;
  int64_t last = 1;
  int64_t first() const { return count > 1 ? full : last; }
  bool ragged() const { return count > 1 && last != full; }
};

inline Split split(int64_t extent, int64_t tile) {
  Split s;
  s.count = ceil_div(extent, tile);
  s.full = tile < extent ? tile : extent;
  s.last = extent - (s.count - 1) * tile;
  return s;
}

// Everything about the mapping that does not depend on which tile is being looked at.
struct Geometry {
  DimArray extent{};       // layer extents
  DimArray t2{}, t1{};     // L2 tile, per-PE L1 tile
  DimArray step{};         // array step extent A[d] = T1[d] * (rows | cols | 1)
  std::array<bool, kNumDims> spatial{};  // d is row_dim or col_dim
  DimOrder o2{}, o1{};
  int64_t sy = 1, sx = 1;
};

Geometry make_geometry(const Layer& layer, const HwConfig& hw, const Mapping& mapping);

// Number of distinct PE tiles along dim d for a step of extent x (1 unless d is an array axis).
inline int64_t active_pes(const Geometry& g, int d, int64_t x) {
  return g.spatial[d] ? ceil_div(x, g.t1[d]) : 1;
}
// Largest PE extent along d in a step of extent x (what the lockstep array iterates over).
inline int64_t pe_extent(const Geometry& g, int d, int64_t x) {
  return g.spatial[d] && g.t1[d] < x ? g.t1[d] : x;
}

// Words of the union of distinct PE tiles of tensor t in a step with extents x (docs section 4:
// PEs with identical coordinates share a transfer; O is reduced over reduction axes).
int64_t step_volume(const Geometry& g, Tensor t, const DimArray& x);

// Words of one tile of extents x of tensor t at a level without spatial split (DRAM <-> L2, and
// the per-PE L1 tile).
int64_t tile_volume(const Geometry& g, Tensor t, const DimArray& x);

// Declarations of the original counts.h and timing.h.
int64_t count_accesses(const Geometry& g, AccessTable& accesses);
CycleBreakdown layer_cycles(const Geometry& g, const HwConfig& hw);
int64_t dma_beats(const Geometry& g, const HwConfig& hw, Tensor t, const DimArray& x);



// Tiling arithmetic: geometry of a mapping and tile/step volumes (see tiling.h).



Geometry make_geometry(const Layer& layer, const HwConfig& hw, const Mapping& mapping) {
  Geometry g;
  g.extent = layer.dims;
  g.t2 = mapping.l2.tile;
  g.t1 = mapping.l1.tile;
  g.o2 = mapping.l2.order;
  g.o1 = mapping.l1.order;
  g.sy = layer.stride_y;
  g.sx = layer.stride_x;
  for (int d = 0; d < kNumDims; ++d) {
    int64_t mult = 1;
    if (d == idx(hw.row_dim)) mult = hw.rows;
    if (d == idx(hw.col_dim)) mult = hw.cols;
    g.spatial[d] = mult > 1 || d == idx(hw.row_dim) || d == idx(hw.col_dim);
    g.step[d] = g.t1[d] * mult;
  }
  return g;
}

namespace {

// Sum over the distinct PE tiles along one axis of the input's row (or column) footprint
// (y-1)*s + r, where y and r may each be split over an array axis:
//   sum_{p,q} ((y_p - 1)*s + r_q) = s*(Y - cntY)*cntR + cntY*R
// with Y, R the summed extents and cntY, cntR the number of distinct PE tiles along each.
int64_t window_sum(int64_t stride, int64_t out_sum, int64_t out_cnt, int64_t filt_sum,
                   int64_t filt_cnt) {
  return stride * (out_sum - out_cnt) * filt_cnt + out_cnt * filt_sum;
}

}  // namespace

int64_t step_volume(const Geometry& g, Tensor t, const DimArray& x) {
  switch (t) {
    case Tensor::W:
      return x[idx(Dim::G)] * x[idx(Dim::K)] * x[idx(Dim::C)] * x[idx(Dim::R)] * x[idx(Dim::S)];
    case Tensor::O:
      return x[idx(Dim::N)] * x[idx(Dim::G)] * x[idx(Dim::K)] * x[idx(Dim::Y)] * x[idx(Dim::X)];
    case Tensor::I: {
      const int y = idx(Dim::Y), r = idx(Dim::R), xx = idx(Dim::X), s = idx(Dim::S);
      const int64_t rows = window_sum(g.sy, x[y], active_pes(g, y, x[y]), x[r],
                                      active_pes(g, r, x[r]));
      const int64_t cols = window_sum(g.sx, x[xx], active_pes(g, xx, x[xx]), x[s],
                                      active_pes(g, s, x[s]));
      return x[idx(Dim::N)] * x[idx(Dim::G)] * x[idx(Dim::C)] * rows * cols;
    }
  }
  return 0;
}

int64_t tile_volume(const Geometry& g, Tensor t, const DimArray& x) {
  if (t != Tensor::I) return step_volume(g, t, x);
  const int64_t rows = (x[idx(Dim::Y)] - 1) * g.sy + x[idx(Dim::R)];
  const int64_t cols = (x[idx(Dim::X)] - 1) * g.sx + x[idx(Dim::S)];
  return x[idx(Dim::N)] * x[idx(Dim::G)] * x[idx(Dim::C)] * rows * cols;
}



// Closed-form access counts (docs/template.md section 4).
//
// At one level, a tensor is (re)loaded at every combination of the loop indices at positions up to
// p, the innermost loop with more than one iteration that the tensor depends on; loops inside p do
// not cause reloads. Summed over every load, the volume is a product over loop positions:
//   positions <= p : relevant dim -> sum of its tile extents, irrelevant dim -> its trip count
//   positions  > p : relevant dim -> its single extent,         irrelevant dim -> 1
// Edge tiles make p depend on which parent tile we are in (an edge parent tile may need one
// iteration where a full one needs two), so the sum runs as a tiny dynamic programme from the
// innermost position outward, carrying "has p been found yet", over the (at most two) parent-tile
// states of every dimension, each weighted by how many parent tiles are in that state.
//
// Input volumes are not products: a row footprint is (y-1)*stride + r. It is expanded into two
// product terms per axis (see tiling.cc window_sum), each summed with the same programme.


namespace {

// How one dimension contributes to one product term.
enum class Factor : uint8_t {
  kExtent,       // relevant: sum of extents (distinct PE tiles summed)
  kCount,        // relevant: number of distinct tiles
  kExtentMinusCount,
  kTrips,        // irrelevant: trip count of the loop (once per distinct transfer)
  kReceivers,    // irrelevant: once per receiving PE (L1 fills / per-PE drains)
};

// One parent-tile state of a dimension and the child loop over it.
struct State {
  int64_t weight;     // parent tiles in this state
  int64_t extent;     // parent extent
  int64_t trips;      // iterations of the child loop over that extent
  int64_t tiles;      // distinct child tiles (PE tiles on an array axis, else = trips)
  int64_t first_pes;  // active PEs in the first child step (1 off the array axes)
};
struct DimStates {
  State s[2];
  int n = 1;
};

struct Term {
  int64_t coef = 1;
  std::array<Factor, kNumDims> factor{};
  std::array<bool, kNumDims> rel{};
};

// Sum over all loads of the term's product (see file comment).
int64_t sum_over_loads(const DimOrder& order,
                       const std::array<DimStates, kNumDims>& states, const Term& term) {
  int64_t not_found = 1, found = 0;
  for (int pos = kNumDims - 1; pos >= 0; --pos) {
    const int d = idx(order[pos]);
    int64_t nf = 0, f = 0;
    for (int k = 0; k < states[d].n; ++k) {
      const State& st = states[d].s[k];
      const int64_t trips = st.trips;
      int64_t a = 0, b = 0;  // factor at positions <= p, and > p
      switch (term.factor[d]) {
        case Factor::kExtent: a = b = st.extent; break;
        case Factor::kCount: a = b = st.tiles; break;
        case Factor::kExtentMinusCount: a = b = st.extent - st.tiles; break;
        case Factor::kTrips: a = trips; b = 1; break;
        case Factor::kReceivers:
          a = st.tiles;
          b = st.first_pes;
          break;
      }
      const int64_t w = st.weight;
      if (term.rel[d] && trips > 1) {
        f += w * a * (not_found + found);
      } else {
        f += w * a * found;
        nf += w * b * not_found;
      }
    }
    not_found = nf;
    found = f;
  }
  return term.coef * (not_found + found);
}

// Volume of tensor t summed over its loads. per_pe: count once per receiving PE (irrelevant array
// axes multiply by the number of active PEs) instead of once per distinct tile.
int64_t tensor_loads(const Geometry& g, const DimOrder& order,
                     const std::array<DimStates, kNumDims>& states, Tensor t, bool per_pe) {
  Term base;
  for (int d = 0; d < kNumDims; ++d) {
    base.rel[d] = relevant(t, static_cast<Dim>(d));
    base.factor[d] = base.rel[d] ? Factor::kExtent : per_pe ? Factor::kReceivers : Factor::kTrips;
  }
  if (t != Tensor::I) return sum_over_loads(order, states, base);
  // rows: sy*(Y - cntY)*cntR + cntY*R ; cols likewise; the total is the product of both sums.
  const int y = idx(Dim::Y), r = idx(Dim::R), x = idx(Dim::X), s = idx(Dim::S);
  int64_t total = 0;
  for (int row_term = 0; row_term < 2; ++row_term) {
    for (int col_term = 0; col_term < 2; ++col_term) {
      Term term = base;
      term.coef = (row_term == 0 ? g.sy : 1) * (col_term == 0 ? g.sx : 1);
      term.factor[y] = row_term == 0 ? Factor::kExtentMinusCount : Factor::kCount;
      term.factor[r] = row_term == 0 ? Factor::kCount : Factor::kExtent;
      term.factor[x] = col_term == 0 ? Factor::kExtentMinusCount : Factor::kCount;
      term.factor[s] = col_term == 0 ? Factor::kCount : Factor::kExtent;
      total += sum_over_loads(order, states, term);
    }
  }
  return total;
}

}  // namespace

int64_t count_accesses(const Geometry& g, AccessTable& acc) {
  // DRAM -> L2: one parent state per dim (the whole layer); the child loop is over L2 tiles. No
  // array axes at this level.
  std::array<DimStates, kNumDims> top{}, l2_states{};
  int64_t macs = 1;
  auto l1_state = [&](int d, int64_t weight, int64_t extent) {
    const Split steps = split(extent, g.step[d]);
    const bool sp = g.spatial[d];
    return State{weight, extent, steps.count, sp ? ceil_div(extent, g.t1[d]) : steps.count,
                 sp ? ceil_div(steps.first(), g.t1[d]) : 1};
  };
  for (int d = 0; d < kNumDims; ++d) {
    const Split tiles = split(g.extent[d], g.t2[d]);
    top[d].s[0] = {1, g.extent[d], tiles.count, tiles.count, 1};
    top[d].n = 1;
    // Parent states of the L1 level: full L2 tiles and the edge L2 tile.
    DimStates& ls = l2_states[d];
    ls.n = 0;
    const int64_t full_count = tiles.ragged() ? tiles.count - 1 : tiles.count;
    const int64_t full_extent = tiles.ragged() ? tiles.full : tiles.last;
    ls.s[ls.n++] = l1_state(d, full_count, full_extent);
    if (tiles.ragged()) ls.s[ls.n++] = l1_state(d, 1, tiles.last);
    int64_t covered = 0;
    for (int k = 0; k < ls.n; ++k) covered += ls.s[k].weight * ls.s[k].extent;
    macs *= covered;
  }

  const int64_t out_words = g.extent[idx(Dim::N)] * g.extent[idx(Dim::G)] *
                            g.extent[idx(Dim::K)] * g.extent[idx(Dim::Y)] * g.extent[idx(Dim::X)];
  const int dram = 0, l2 = 1, l1 = 2;
  const int W = idx(Tensor::W), I = idx(Tensor::I), O = idx(Tensor::O);
  acc = AccessTable{};

  for (Tensor t : {Tensor::W, Tensor::I}) {
    const int ti = idx(t);
    const int64_t dram_reads = tensor_loads(g, g.o2, top, t, false);
    acc[dram][ti].reads = dram_reads;
    acc[l2][ti].fills = dram_reads;
    acc[l2][ti].reads = tensor_loads(g, g.o1, l2_states, t, false);
    acc[l1][ti].fills = tensor_loads(g, g.o1, l2_states, t, true);
    acc[l1][ti].reads = macs;
  }
  const int64_t l2_visits = tensor_loads(g, g.o2, top, Tensor::O, false);
  acc[dram][O].updates = l2_visits;
  acc[dram][O].reads = l2_visits - out_words;
  acc[l2][O].fills = l2_visits - out_words;
  acc[l2][O].drains = l2_visits;
  const int64_t l1_visits = tensor_loads(g, g.o1, l2_states, Tensor::O, false);
  acc[l2][O].updates = l1_visits;
  acc[l2][O].reads = l1_visits - out_words;
  acc[l1][O].fills = l1_visits - out_words;
  acc[l1][O].drains = tensor_loads(g, g.o1, l2_states, Tensor::O, true);
  acc[l1][O].reads = macs;
  acc[l1][O].updates = macs;
  (void)W;
  (void)I;
  return macs;
}



// Cycle model (docs/template.md section 5), exact for the schedule the RTL runs.
//
// Both pipelines (array steps inside an L2 tile; L2 tiles over the layer) cost one period per
// element, and a period depends on an element, its predecessor and its successor: what the element
// computes, what the transition from the predecessor drains (outputs leaving) and what the
// transition to the successor loads. A transition is identified by the loop position that
// increments. With m the innermost loop position that has more than one iteration, the elements
// fall into a few groups in which the neighbours' states follow from the element's own:
//   (a) the first element;                       (e) the last element;
//   (b) next transition at l < m: the predecessor differs only at m (index n-2, a full tile);
//   (c) next transition at m, index at m >= 1: the predecessor differs only at m (full);
//   (d) next transition at m, index at m == 0: the predecessor came through the transition at
//       some q < m, so it is last at every position after q.
// Inside a group, only dimensions whose last tile is clipped ("ragged") have two extents; the
// others contribute their trip count as a multiplicity. The cost is the number of (group,
// ragged-state) combinations, not the number of steps, and a group whose shortest compute covers
// its longest transfers is summed in closed form.




namespace {

using TensorMask = uint8_t;  // bit t set: tensor t reloads at a transition
inline constexpr TensorMask kAllTensorsMask = 0b111;
inline bool has(TensorMask m, Tensor t) { return (m >> idx(t)) & 1; }

// Per-dimension facts of one pipeline level, indexed by tile state: 0 = a full tile, 1 = the last
// (possibly clipped) tile.
struct DimInfo {
  int64_t count = 1;
  int64_t ext[2] = {1, 1};
  int64_t pe[2] = {1, 1};   // largest PE extent (lockstep compute) at L1
  int64_t act[2] = {1, 1};  // distinct PE tiles at L1
  bool ragged = false;
  uint8_t first() const { return count > 1 ? 0 : 1; }
};
using DimInfos = std::array<DimInfo, kNumDims>;
using States = std::array<uint8_t, kNumDims>;

DimInfos dim_infos(const Geometry& g, const DimArray& extent, const DimArray& tile, bool array) {
  DimInfos info;
  for (int d = 0; d < kNumDims; ++d) {
    const Split s = split(extent[d], tile[d]);
    DimInfo& di = info[d];
    di.count = s.count;
    di.ext[0] = s.full;
    di.ext[1] = s.last;
    di.ragged = s.ragged();
    for (int k = 0; k < 2; ++k) {
      di.pe[k] = array ? pe_extent(g, d, di.ext[k]) : di.ext[k];
      di.act[k] = array ? active_pes(g, d, di.ext[k]) : 1;
    }
  }
  return info;
}

// Distinct-PE-tile volume of tensor t in a step whose dims are in states st (see step_volume).
int64_t volume(const Geometry& g, const DimInfos& di, Tensor t, const States& st) {
  auto e = [&](Dim d) { return di[idx(d)].ext[st[idx(d)]]; };
  auto a = [&](Dim d) { return di[idx(d)].act[st[idx(d)]]; };
  switch (t) {
    case Tensor::W: return e(Dim::G) * e(Dim::K) * e(Dim::C) * e(Dim::R) * e(Dim::S);
    case Tensor::O: return e(Dim::N) * e(Dim::G) * e(Dim::K) * e(Dim::Y) * e(Dim::X);
    case Tensor::I: {
      const int64_t rows = g.sy * (e(Dim::Y) - a(Dim::Y)) * a(Dim::R) + a(Dim::Y) * e(Dim::R);
      const int64_t cols = g.sx * (e(Dim::X) - a(Dim::X)) * a(Dim::S) + a(Dim::X) * e(Dim::S);
      return e(Dim::N) * e(Dim::G) * e(Dim::C) * rows * cols;
    }
  }
  return 0;
}

// The same volume from plain per-dim step extents and distinct-PE-tile counts.
int64_t volume_of(const Geometry& g, Tensor t, const DimArray& e, const DimArray& a) {
  const int n = idx(Dim::N), gg = idx(Dim::G), k = idx(Dim::K), c = idx(Dim::C);
  const int y = idx(Dim::Y), x = idx(Dim::X), r = idx(Dim::R), s = idx(Dim::S);
  switch (t) {
    case Tensor::W: return e[gg] * e[k] * e[c] * e[r] * e[s];
    case Tensor::O: return e[n] * e[gg] * e[k] * e[y] * e[x];
    case Tensor::I:
      return e[n] * e[gg] * e[c] * (g.sy * (e[y] - a[y]) * a[r] + a[y] * e[r]) *
             (g.sx * (e[x] - a[x]) * a[s] + a[x] * e[s]);
  }
  return 0;
}

int64_t compute_cycles(const DimInfos& di, const States& st) {
  int64_t c = 1;
  for (int d = 0; d < kNumDims; ++d) c *= di[d].pe[st[d]];
  return c;
}

// A group of elements (see the file comment). `s`, `prev`, `next` are the states of the element
// and its neighbours with every free dim at "full"; a free dim takes the same state in all three
// (weight count-1 when full, 1 when last). `var` is a dim with explicit options for the element
// and its successor (the predecessor keeps prev[var]).
struct Group {
  int64_t base = 1;
  States s{}, prev{}, next{};
  TensorMask prev_reload = 0;  // what the predecessor's transition reloads (0: no predecessor)
  TensorMask next_reload = 0;  // what the successor's transition reloads (0: no successor)
  int free[kNumDims];
  int num_free = 0;
  int var = -1;
  int num_options = 0;
  struct Option {
    int64_t weight;
    uint8_t s, next;
  } options[2];
};

// Sets dims at positions [from, to) of `st` to v, or to their first state when v < 0.
void fill_states(const DimInfos& di, const DimOrder& order, int from, int to, int v, States& st) {
  for (int p = from; p < to; ++p) {
    const int d = idx(order[p]);
    st[d] = v < 0 ? di[d].first() : static_cast<uint8_t>(v);
  }
}

// Makes the dims at positions [0, to) free (ragged) or multiplies base by their trip counts.
void add_outer(const DimInfos& di, const DimOrder& order, int to, Group& g) {
  for (int p = 0; p < to; ++p) {
    const int d = idx(order[p]);
    if (di[d].ragged) {
      g.free[g.num_free++] = d;
      g.s[d] = g.prev[d] = g.next[d] = 0;
    } else {
      g.s[d] = g.prev[d] = g.next[d] = di[d].first();
      g.base *= di[d].count;
    }
  }
}

// Options of an index that runs over [lo, count-1] at dim d: full tiles and, possibly, the last.
// `shift` = 1 describes the successor's index instead (index + 1).
void add_index_options(const DimInfo& di, int64_t lo, int64_t hi, int shift, Group& g,
                       uint8_t element_state_if_same) {
  // Element indices lo..hi; the state that matters is that of index + shift.
  const int64_t last_index = di.count - 1;
  const int64_t n = hi - lo + 1;
  if (n <= 0) return;
  const bool includes_last = hi + shift == last_index;
  const int64_t full = includes_last ? n - 1 : n;
  if (full > 0) g.options[g.num_options++] = {full, element_state_if_same, 0};
  if (includes_last) g.options[g.num_options++] = {1, element_state_if_same, 1};
}

// Calls visit(group) for every group of the pipeline over loops `order` with per-dim facts `di`.
template <typename Visit>
void for_each_group(const DimInfos& di, const DimOrder& order, Visit&& visit) {
  std::array<TensorMask, kNumDims> reload{};  // reload[p]: tensors reloading when p increments
  TensorMask inner = 0;
  int m = -1;
  for (int pos = kNumDims - 1; pos >= 0; --pos) {
    const Dim d = order[pos];
    if (di[idx(d)].count > 1) {
      if (m < 0) m = pos;
      for (Tensor t : kAllTensors)
        if (relevant(t, d)) inner |= static_cast<TensorMask>(1u << idx(t));
    }
    reload[pos] = inner;
  }
  States first{}, last{};
  for (int d = 0; d < kNumDims; ++d) {
    first[d] = di[d].first();
    last[d] = 1;
  }
  if (m < 0) {  // a single element
    Group g;
    g.s = g.prev = g.next = last;
    visit(g);
    return;
  }
  const int dm = idx(order[m]);
  const int64_t nm = di[dm].count;

  {  // (a) the first element; its successor has index 1 at m.
    Group g;
    g.s = g.prev = g.next = first;
    g.next[dm] = nm == 2 ? 1 : 0;
    g.next_reload = reload[m];
    visit(g);
  }
  for (int l = 0; l < m; ++l) {  // (b) next transition at l < m
    const int dl = idx(order[l]);
    if (di[dl].count <= 1) continue;
    Group g;
    add_outer(di, order, l, g);
    fill_states(di, order, l + 1, kNumDims, 1, g.s);
    fill_states(di, order, l + 1, kNumDims, -1, g.next);
    g.prev = g.s;
    g.prev[dm] = 0;
    g.s[dl] = g.prev[dl] = g.next[dl] = 0;
    g.var = dl;
    add_index_options(di[dl], 0, di[dl].count - 2, 1, g, 0);
    g.prev_reload = reload[m];
    g.next_reload = reload[l];
    visit(g);
  }
  if (nm >= 3) {  // (c) next transition at m, index at m in [1, nm-2]
    Group g;
    add_outer(di, order, m, g);
    fill_states(di, order, m, kNumDims, 1, g.s);  // positions > m have one tile
    g.s[dm] = 0;
    g.prev = g.next = g.s;
    g.var = dm;
    add_index_options(di[dm], 1, nm - 2, 1, g, 0);
    g.prev_reload = g.next_reload = reload[m];
    visit(g);
  }
  for (int q = 0; q < m; ++q) {  // (d) index 0 at m, predecessor came through q < m
    const int dq = idx(order[q]);
    if (di[dq].count <= 1) continue;
    Group g;
    add_outer(di, order, q, g);
    fill_states(di, order, q + 1, kNumDims, -1, g.s);  // index 0 after q (positions > m: one tile)
    g.next = g.s;
    g.next[dm] = nm == 2 ? 1 : 0;
    g.prev = g.s;
    fill_states(di, order, q + 1, kNumDims, 1, g.prev);  // predecessor: last after q
    g.prev[dq] = 0;                                       // and index - 1 at q: a full tile
    g.var = dq;
    add_index_options(di[dq], 1, di[dq].count - 1, 0, g, 0);
    for (int k = 0; k < g.num_options; ++k) g.options[k].s = g.options[k].next;
    g.prev_reload = reload[q];
    g.next_reload = reload[m];
    visit(g);
  }
  {  // (e) the last element; its predecessor differs at m (index nm-2, a full tile).
    Group g;
    g.s = g.next = last;
    g.prev = last;
    g.prev[dm] = 0;
    g.prev_reload = reload[m];
    visit(g);
  }
}

// Calls visit(weight, prev, s, next) for every ragged-state combination of a group.
template <typename Visit>
void for_each_case(const DimInfos& di, const Group& g, Visit&& visit) {
  States s = g.s, prev = g.prev, next = g.next;
  for (uint32_t mask = 0; mask < (1u << g.num_free); ++mask) {
    int64_t w = g.base;
    for (int i = 0; i < g.num_free; ++i) {
      const int d = g.free[i];
      const uint8_t last = (mask >> i) & 1;
      s[d] = prev[d] = next[d] = last;
      w *= last ? 1 : di[d].count - 1;
    }
    if (g.var < 0) {
      visit(w, prev, s, next);
      continue;
    }
    for (int k = 0; k < g.num_options; ++k) {
      s[g.var] = g.options[k].s;
      next[g.var] = g.options[k].next;
      visit(w * g.options[k].weight, prev, s, next);
    }
  }
}

// States of a group with every free dim and the variable dim at its largest extent (volumes and
// compute only grow with extents) or at its smallest.
void extreme_states(const Group& g, bool largest, States& prev, States& s, States& next) {
  prev = g.prev;
  s = g.s;
  next = g.next;
  const uint8_t v = largest ? 0 : 1;
  for (int i = 0; i < g.num_free; ++i) s[g.free[i]] = prev[g.free[i]] = next[g.free[i]] = v;
  if (g.var >= 0) {
    for (int k = 0; k < g.num_options; ++k) {
      const uint8_t sk = g.options[k].s, nk = g.options[k].next;
      if (k == 0 || (largest ? sk < s[g.var] : sk > s[g.var])) s[g.var] = sk;
      if (k == 0 || (largest ? nk < next[g.var] : nk > next[g.var])) next[g.var] = nk;
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

// The L1 pipeline of one L2 tile of extents e: fill, one period max(c_j, d_{j+1}, u_{j-1}) per
// step, drain (docs section 5).
CycleBreakdown l1_pipeline(const Geometry& g, const DimArray& e, const BusWidths& bus) {
  const DimInfos di = dim_infos(g, e, g.step, true);
  CycleBreakdown out;
  auto dist_of = [&](TensorMask reload, const States& next) {
    int64_t dist = 0;
    for (Tensor t : kAllTensors)
      if (has(reload, t)) dist = std::max(dist, bus.dist(volume(g, di, t, next)));
    return dist;
  };
  auto collect_of = [&](TensorMask reload, const States& prev) {
    return has(reload, Tensor::O) ? bus.collect(volume(g, di, Tensor::O, prev)) : 0;
  };
  States first{}, last{};
  for (int d = 0; d < kNumDims; ++d) {
    first[d] = di[d].first();
    last[d] = 1;
  }
  out.fill_drain += dist_of(kAllTensorsMask, first) + bus.collect(volume(g, di, Tensor::O, last));
  // Fast path: the shortest step computes longer than the largest transfer takes, so every period
  // is its compute and the sum is a product of per-dimension sums.
  States full{};
  if (compute_cycles(di, last) >=
      std::max(dist_of(kAllTensorsMask, full), collect_of(kAllTensorsMask, full))) {
    int64_t sum = 1;
    for (int d = 0; d < kNumDims; ++d) sum *= (di[d].count - 1) * di[d].pe[0] + di[d].pe[1];
    out.compute += sum;
    return out;
  }
  for_each_group(di, g.o1, [&](const Group& grp) {
    // Fast path per group: its shortest compute covers its longest transfers.
    States p, s, n;
    extreme_states(grp, /*largest=*/true, p, s, n);
    const int64_t hi = std::max(dist_of(grp.next_reload, n), collect_of(grp.prev_reload, p));
    extreme_states(grp, /*largest=*/false, p, s, n);
    if (compute_cycles(di, s) >= hi) {
      int64_t sum = grp.base;
      for (int d = 0; d < kNumDims; ++d) {
        bool is_free = false;
        for (int i = 0; i < grp.num_free; ++i) is_free |= grp.free[i] == d;
        if (is_free) {
          sum *= (di[d].count - 1) * di[d].pe[0] + di[d].pe[1];
        } else if (d == grp.var) {
          int64_t options = 0;
          for (int k = 0; k < grp.num_options; ++k)
            options += grp.options[k].weight * di[d].pe[grp.options[k].s];
          sum *= options;
        } else {
          sum *= di[d].pe[grp.s[d]];
        }
      }
      out.compute += sum;
      return;
    }
    for_each_case(di, grp, [&](int64_t w, const States& prev, const States& st,
                               const States& next) {
      const int64_t c = compute_cycles(di, st);
      const int64_t dist = dist_of(grp.next_reload, next);
      const int64_t collect = collect_of(grp.prev_reload, prev);
      const int64_t period = std::max(c, std::max(dist, collect));
      out.compute += w * c;
      if (period > c) {
        if (dist >= collect) out.input_wait += w * (period - c);
        else out.output_wait += w * (period - c);
      }
    });
  });
  return out;
}

// The whole layer when both pipelines are compute-bound everywhere (checked with cheap bounds:
// the shortest array step outlasts the largest bus transfer, and the least compute of any L2
// tile outlasts the largest DMA phase). Then every period is its compute and only the fills and
// drains depend on the tile shapes. Returns false, leaving `out` alone, when the bounds fail.
bool compute_bound_layer(const Geometry& g, const HwConfig& hw, const DimInfos& l2,
                         const BusWidths& bus, CycleBreakdown& out) {
  // Per dim, per L2 state present (0 full, 1 last): the L1 loop over that extent.
  struct L1Dim {
    int64_t weight, count, ext[2], pe[2], act[2];
  };
  L1Dim l1[kNumDims][2];
  int num_states[kNumDims];
  int64_t c_min = 1, tile_compute_min = 1, total_compute = 1, tiles = 1;
  DimArray big_ext{}, big_act{}, big_l2{};
  for (int d = 0; d < kNumDims; ++d) {
    const DimInfo& di = l2[d];
    tiles *= di.count;
    num_states[d] = 0;
    const int first_state = di.ragged ? 0 : di.first();
    int64_t step_min = INT64_MAX, tile_min = INT64_MAX, tile_sum = 0;
    big_ext[d] = big_act[d] = 0;
    big_l2[d] = di.ext[first_state];
    for (int k = first_state; k <= (di.ragged ? 1 : first_state); ++k) {
      const Split s = split(di.ext[k], g.step[d]);
      L1Dim& e = l1[d][num_states[d]++];
      e.weight = di.ragged ? (k == 0 ? di.count - 1 : 1) : di.count;
      e.count = s.count;
      e.ext[0] = s.full;
      e.ext[1] = s.last;
      for (int j = 0; j < 2; ++j) {
        e.pe[j] = pe_extent(g, d, e.ext[j]);
        e.act[j] = active_pes(g, d, e.ext[j]);
      }
      const int64_t per_tile = (e.count - 1) * e.pe[0] + e.pe[1];
      step_min = std::min(step_min, e.pe[1]);
      tile_min = std::min(tile_min, per_tile);
      tile_sum += e.weight * per_tile;
      const int fs = e.count > 1 ? 0 : 1;
      if (e.ext[fs] > big_ext[d]) {
        big_ext[d] = e.ext[fs];
        big_act[d] = e.act[fs];
      }
    }
    c_min *= step_min;
    tile_compute_min *= tile_min;
    total_compute *= tile_sum;
  }
  int64_t transfer_max = bus.collect(volume_of(g, Tensor::O, big_ext, big_act));
  for (Tensor t : kAllTensors)
    transfer_max = std::max(transfer_max, bus.dist(volume_of(g, t, big_ext, big_act)));
  if (c_min < transfer_max) return false;
  int64_t dma_max = hw.dram_latency_cycles + dma_beats(g, hw, Tensor::O, big_l2);
  for (Tensor t : kAllTensors) dma_max += dma_beats(g, hw, t, big_l2);
  if (tile_compute_min < dma_max) return false;

  // L1 fill and drain of every L2 tile shape, weighted by how many tiles have that shape.
  int var[kNumDims];
  int num_var = 0;
  for (int d = 0; d < kNumDims; ++d)
    if (num_states[d] == 2) var[num_var++] = d;
  int64_t l1_fill_drain = 0;
  for (uint32_t mask = 0; mask < (1u << num_var); ++mask) {
    DimArray fe, fa, le, la;
    int64_t w = 1;
    int vi = 0;
    for (int d = 0; d < kNumDims; ++d) {
      const int k = (vi < num_var && var[vi] == d) ? ((mask >> vi++) & 1) : 0;
      const L1Dim& e = l1[d][k];
      w *= e.weight;
      const int fs = e.count > 1 ? 0 : 1;
      fe[d] = e.ext[fs];
      fa[d] = e.act[fs];
      le[d] = e.ext[1];
      la[d] = e.act[1];
    }
    int64_t fill = 0;
    for (Tensor t : kAllTensors) fill = std::max(fill, bus.dist(volume_of(g, t, fe, fa)));
    l1_fill_drain += w * (fill + bus.collect(volume_of(g, Tensor::O, le, la)));
  }
  out.compute = total_compute;
  out.input_wait = out.output_wait = 0;
  out.dram_stall = tiles * L2_TILE_OVERHEAD_CYCLES;
  out.fill_drain = l1_fill_drain;
  return true;
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
  const DimInfos di = dim_infos(g, g.extent, g.t2, false);
  auto extents = [&](const States& st) {
    DimArray x;
    for (int d = 0; d < kNumDims; ++d) x[d] = di[d].ext[st[d]];
    return x;
  };
  States first{}, last{};
  for (int d = 0; d < kNumDims; ++d) {
    first[d] = di[d].first();
    last[d] = 1;
  }
  CycleBreakdown out;
  int64_t dma_fill = hw.dram_latency_cycles;
  for (Tensor t : kAllTensors) dma_fill += dma_beats(g, hw, t, extents(first));
  const int64_t dma_drain = dma_beats(g, hw, Tensor::O, extents(last));
  if (compute_bound_layer(g, hw, di, bus, out)) {
    out.fill_drain += dma_fill + dma_drain;
    return out;
  }

  // L1 pipeline per distinct L2-tile shape, keyed by which ragged dims are at their edge tile.
  int ragged_bit[kNumDims];
  int num_ragged = 0;
  for (int d = 0; d < kNumDims; ++d) ragged_bit[d] = di[d].ragged ? num_ragged++ : -1;
  constexpr int kMaxShapes = 1 << kNumDims;
  struct Slot {  // left uninitialized: only the 2^num_ragged slots in use are ever touched
    union {
      CycleBreakdown value;
    };
    Slot() {}
  };
  Slot cache[kMaxShapes];
  bool cached[kMaxShapes];
  for (int i = 0; i < (1 << num_ragged); ++i) cached[i] = false;
  auto l1_of = [&](const States& st) -> const CycleBreakdown& {
    uint32_t key = 0;
    for (int d = 0; d < kNumDims; ++d)
      if (ragged_bit[d] >= 0 && st[d] == 1) key |= 1u << ragged_bit[d];
    if (!cached[key]) {
      cache[key].value = l1_pipeline(g, extents(st), bus);
      cached[key] = true;
    }
    return cache[key].value;
  };
  // DMA beats per tensor and tile shape, cached like the L1 pipelines.
  int64_t beats_cache[kNumTensors][kMaxShapes];
  for (auto& per_tensor : beats_cache)
    for (int i = 0; i < (1 << num_ragged); ++i) per_tensor[i] = -1;
  auto beats = [&](Tensor t, const States& st) {
    uint32_t key = 0;
    for (int d = 0; d < kNumDims; ++d)
      if (ragged_bit[d] >= 0 && st[d] == 1) key |= 1u << ragged_bit[d];
    int64_t& b = beats_cache[idx(t)][key];
    if (b < 0) b = dma_beats(g, hw, t, extents(st));
    return b;
  };
  // DMA phase of a period: store the predecessor's outputs (when they changed), then load what
  // the successor reloads. Fresh output tiles are cleared at the same rate (docs section 4).
  auto dma_phase = [&](const Group& grp, const States& prev, const States& next) {
    int64_t load = 0;
    for (Tensor t : kAllTensors)
      if (has(grp.next_reload, t)) load += beats(t, next);
    int64_t dma = has(grp.prev_reload, Tensor::O) ? beats(Tensor::O, prev) : 0;
    if (load > 0) dma += hw.dram_latency_cycles + load;
    return dma;
  };

  for_each_group(di, g.o2, [&](const Group& grp) {
    States p, s, n;
    extreme_states(grp, /*largest=*/true, p, s, n);
    const int64_t dma_hi = dma_phase(grp, p, n);
    for_each_case(di, grp, [&](int64_t w, const States& prev, const States& st,
                               const States& next) {
      const CycleBreakdown& c = l1_of(st);
      const int64_t busy = c.total();
      const int64_t dma = busy >= dma_hi ? 0 : dma_phase(grp, prev, next);
      out.compute += w * c.compute;
      out.input_wait += w * c.input_wait;
      out.output_wait += w * c.output_wait;
      out.fill_drain += w * c.fill_drain;
      out.dram_stall += w * (std::max<int64_t>(0, dma - busy) + L2_TILE_OVERHEAD_CYCLES);
    });
  });
  out.fill_drain += dma_fill + dma_drain;
  return out;
}



std::array<std::array<int64_t, kNumTensors>, 2> required_buffer_bytes_ref(const Layer& layer,
                                                                       const HwConfig& hw,
                                                                       const Mapping& mapping) {
  const Geometry g = make_geometry(layer, hw, mapping);
  std::array<std::array<int64_t, kNumTensors>, 2> need{};
  for (Tensor t : kAllTensors) {
    need[0][idx(t)] = 2 * word_bytes(t) * tile_volume(g, t, g.t1);
    need[1][idx(t)] = 2 * word_bytes(t) * tile_volume(g, t, g.t2);
  }
  return need;
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

Cost evaluate_reference(const Layer& layer, const HwConfig& hw, const Mapping& mapping, const Tech& tech,
              const Calibration* calibration = nullptr) {
  Cost cost;
  cost.pes = hw.pes();
  cost.area = area_of(hw, tech);
  cost.status = check_structure(layer, hw, mapping);
  if (!cost.status.ok()) return cost;

  cost.buffer_bytes = required_buffer_bytes_ref(layer, hw, mapping);
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

  const Geometry g = make_geometry(layer, hw, mapping);
  cost.macs = count_accesses(g, cost.accesses);
  cost.breakdown = layer_cycles(g, hw);
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


}  // namespace
}  // namespace af::test::ref
