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

// How one dimension contributes to one product term, as an index into Values below.
enum Factor : uint8_t {
  kExtent,            // relevant: sum of extents (distinct PE tiles summed)
  kCount,             // relevant: number of distinct tiles
  kExtentMinusCount,  // relevant: the input window's (y - 1) part
  kTrips,             // irrelevant: trip count of the loop (once per distinct transfer)
  kFirstPes,          // irrelevant, beyond the reload position: PEs receiving the first step
  kOne,
  kNumFactors
};
using Values = std::array<int64_t, kNumFactors>;

// A product term: its factor at positions <= p (a) and > p (b) for every dim.
struct Term {
  int64_t coef = 1;
  Factor a[kNumDims], b[kNumDims];
};

// One level's loops in order (outermost first), with every parent-tile state's factor values
// computed once for all tensors and terms.
struct Level {
  struct Pos {
    int dim;
    int n;  // parent-tile states
    int64_t weight[2];
    bool loops[2];  // the child loop has more than one iteration
    Values v[2];
  } pos[kNumDims];
};

Level make_level(const DimOrder& order, const std::array<DimStates, kNumDims>& states) {
  Level L;
  for (int p = 0; p < kNumDims; ++p) {
    Level::Pos& lp = L.pos[p];
    lp.dim = idx(order[p]);
    const DimStates& ds = states[lp.dim];
    lp.n = ds.n;
    for (int k = 0; k < ds.n; ++k) {
      const State& st = ds.s[k];
      lp.weight[k] = st.weight;
      lp.loops[k] = st.trips > 1;
      lp.v[k] = {st.extent, st.tiles, st.extent - st.tiles, st.trips, st.first_pes, 1};
    }
  }
  return L;
}

// Bit d set: tensor t depends on dim d.
uint32_t relevant_dims(Tensor t) {
  uint32_t bits = 0;
  for (int d = 0; d < kNumDims; ++d)
    if (relevant(t, static_cast<Dim>(d))) bits |= 1u << d;
  return bits;
}

// Sums of several product terms of one tensor over all its loads (see file comment), in one pass
// over the loop positions: the terms share the tensor's reload positions, so only the factors
// differ between lanes.
template <int kLanes>
void sum_over_loads(const Level& level, Tensor t, const Term (&terms)[kLanes],
                    int64_t (&out)[kLanes]) {
  const uint32_t rel = relevant_dims(t);
  int64_t not_found[kLanes], found[kLanes];
  for (int i = 0; i < kLanes; ++i) {
    not_found[i] = 1;
    found[i] = 0;
  }
  for (int p = kNumDims - 1; p >= 0; --p) {
    const Level::Pos& lp = level.pos[p];
    const int d = lp.dim;
    int64_t nf[kLanes] = {}, f[kLanes] = {};
    for (int k = 0; k < lp.n; ++k) {
      const Values& v = lp.v[k];
      const int64_t w = lp.weight[k];
      if (((rel >> d) & 1) && lp.loops[k]) {  // reloads here: every load counts this loop
        for (int i = 0; i < kLanes; ++i) f[i] += w * v[terms[i].a[d]] * (not_found[i] + found[i]);
      } else {
        for (int i = 0; i < kLanes; ++i) {
          f[i] += w * v[terms[i].a[d]] * found[i];
          nf[i] += w * v[terms[i].b[d]] * not_found[i];
        }
      }
    }
    for (int i = 0; i < kLanes; ++i) {
      not_found[i] = nf[i];
      found[i] = f[i];
    }
  }
  for (int i = 0; i < kLanes; ++i) out[i] = terms[i].coef * (not_found[i] + found[i]);
}

// The same sums when every dim has one parent state of weight 1 (DRAM -> L2: the whole layer).
// Then the reload position p is the innermost loop the tensor depends on that has more than one
// iteration, and the sum is one product: factor a up to p, b after it (b everywhere without p).
template <int kLanes>
void sum_over_loads_single(const Level& level, Tensor t, const Term (&terms)[kLanes],
                           int64_t (&out)[kLanes]) {
  const uint32_t rel = relevant_dims(t);
  int p = -1;
  for (int q = kNumDims - 1; q >= 0 && p < 0; --q)
    if (((rel >> level.pos[q].dim) & 1) && level.pos[q].loops[0]) p = q;
  for (int i = 0; i < kLanes; ++i) {
    int64_t product = terms[i].coef;
    for (int q = 0; q < kNumDims; ++q) {
      const Level::Pos& lp = level.pos[q];
      product *= lp.v[0][q <= p ? terms[i].a[lp.dim] : terms[i].b[lp.dim]];
    }
    out[i] = product;
  }
}

// The term of tensor t's volume (W, O: one product). per_pe: count once per receiving PE
// (irrelevant array axes multiply by the number of active PEs) instead of once per distinct tile.
Term product_term(Tensor t, bool per_pe) {
  Term term;
  for (int d = 0; d < kNumDims; ++d) {
    if (relevant(t, static_cast<Dim>(d))) {
      term.a[d] = term.b[d] = kExtent;
    } else {
      term.a[d] = per_pe ? kCount : kTrips;
      term.b[d] = per_pe ? kFirstPes : kOne;
    }
  }
  return term;
}

// The four terms of the input volume: rows sy*(Y - cntY)*cntR + cntY*R times cols likewise.
void input_terms(const Geometry& g, bool per_pe, Term* terms) {
  const int y = idx(Dim::Y), r = idx(Dim::R), x = idx(Dim::X), s = idx(Dim::S);
  const Term base = product_term(Tensor::I, per_pe);
  for (int row_term = 0; row_term < 2; ++row_term) {
    for (int col_term = 0; col_term < 2; ++col_term) {
      Term& term = terms[2 * row_term + col_term];
      term = base;
      term.coef = (row_term == 0 ? g.sy : 1) * (col_term == 0 ? g.sx : 1);
      term.a[y] = term.b[y] = row_term == 0 ? kExtentMinusCount : kCount;
      term.a[r] = term.b[r] = row_term == 0 ? kCount : kExtent;
      term.a[x] = term.b[x] = col_term == 0 ? kExtentMinusCount : kCount;
      term.a[s] = term.b[s] = col_term == 0 ? kCount : kExtent;
    }
  }
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

  // DRAM <-> L2 over the L2 tiles, and L2 <-> L1 over the array steps (distinct transfers and
  // per receiving PE at once).
  const Term w_term[1] = {product_term(Tensor::W, false)};
  const Term w_terms[2] = {w_term[0], product_term(Tensor::W, true)};
  const Term o_term[1] = {product_term(Tensor::O, false)};
  const Term o_terms[2] = {o_term[0], product_term(Tensor::O, true)};
  Term i_term[4], i_terms[8];
  input_terms(g, false, i_term);
  input_terms(g, false, i_terms);
  input_terms(g, true, i_terms + 4);
  int64_t w_top[1], i_top[4], o_top[1], w_l1[2], i_l1[8], o_l1[2];
  const Level dram_level = make_level(g.o2, top), l1_level = make_level(g.o1, l2_states);
  sum_over_loads_single(dram_level, Tensor::W, w_term, w_top);
  sum_over_loads_single(dram_level, Tensor::I, i_term, i_top);
  sum_over_loads_single(dram_level, Tensor::O, o_term, o_top);
  sum_over_loads(l1_level, Tensor::W, w_terms, w_l1);
  sum_over_loads(l1_level, Tensor::I, i_terms, i_l1);
  sum_over_loads(l1_level, Tensor::O, o_terms, o_l1);

  acc[dram][W].reads = acc[l2][W].fills = w_top[0];
  acc[l2][W].reads = w_l1[0];
  acc[l1][W].fills = w_l1[1];
  acc[l1][W].reads = macs;
  acc[dram][I].reads = acc[l2][I].fills = i_top[0] + i_top[1] + i_top[2] + i_top[3];
  acc[l2][I].reads = i_l1[0] + i_l1[1] + i_l1[2] + i_l1[3];
  acc[l1][I].fills = i_l1[4] + i_l1[5] + i_l1[6] + i_l1[7];
  acc[l1][I].reads = macs;
  const int64_t l2_visits = o_top[0];
  acc[dram][O].updates = l2_visits;
  acc[dram][O].reads = l2_visits - out_words;
  acc[l2][O].fills = l2_visits - out_words;
  acc[l2][O].drains = l2_visits;
  const int64_t l1_visits = o_l1[0];
  acc[l2][O].updates = l1_visits;
  acc[l2][O].reads = l1_visits - out_words;
  acc[l1][O].fills = l1_visits - out_words;
  acc[l1][O].drains = o_l1[1];
  acc[l1][O].reads = macs;
  acc[l1][O].updates = macs;
  return macs;
}

}  // namespace af::model
