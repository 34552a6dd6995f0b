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
#include "costmodel/counts.h"

namespace af::model {
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

}  // namespace af::model
