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
// states of every dimension, each weighted by how many parent tiles are in that state. The
// programme is linear, so each dim's states enter only through weighted sums (DimSums), formed
// once per dim; the programme itself is then three multiplications per position and term.
//
// Input volumes are not products: a row footprint is (y-1)*stride + r. It is expanded into two
// product terms per axis (see tiling.cc window_sum), summed together in one partial pass of the
// same programme (input_sums).
#include "costmodel/counts.h"

namespace af::model {
namespace {

// One dim of a level: the sums over its parent-tile states (each weighted by how many parent
// tiles are in that state) of what the child loop over the parent tile contributes. The DP below
// only ever needs these sums, so they are formed once per dim instead of per state, tensor and
// term (ring arithmetic: the regrouping gives bit-identical results).
struct DimSums {
  int64_t ext = 0;    // sum of child extents (distinct PE tiles summed)
  int64_t cnt = 0;    // distinct child tiles (PE tiles on an array axis, else trips)
  int64_t trips = 0;  // iterations of the child loop
  int64_t pes = 0;    // active PEs in the first child step (1 off the array axes)
  int64_t one = 0;    // parent tiles
  // ext and cnt over the states whose child loop has more than one iteration (where a tensor
  // depending on the dim reloads).
  int64_t ext_loop = 0, cnt_loop = 0;
  void add(int64_t weight, int64_t extent, int64_t trips_, int64_t tiles, int64_t first_pes) {
    ext += weight * extent;
    cnt += weight * tiles;
    trips += weight * trips_;
    pes += weight * first_pes;
    one += weight;
    if (trips_ > 1) {
      ext_loop += weight * extent;
      cnt_loop += weight * tiles;
    }
  }
};
using LevelSums = std::array<DimSums, kNumDims>;

// How a dim enters a product term. Relevant dims: the sum of extents, the number of distinct
// tiles, or the input window's (y - 1) part; irrelevant dims: the loop's trips (once per distinct
// transfer) or, per receiving PE, the distinct PE tiles (and beyond the reload position the PEs
// of the first step).
enum Kind : uint8_t { kExtent, kCount, kExtentMinusCount, kTrips, kPerPe, kNumKinds };

// The DP step of one dim for one kind (see sum_over_loads): found' = all * found + loop *
// not_found, not_found' = rest * not_found.
struct Step {
  int64_t all, loop, rest;
};
using LevelSteps = std::array<std::array<Step, kNumKinds>, kNumDims>;

LevelSteps level_steps(const LevelSums& sums) {
  LevelSteps steps;
  for (int d = 0; d < kNumDims; ++d) {
    const DimSums& x = sums[d];
    const int64_t e = x.ext, c = x.cnt, el = x.ext_loop, cl = x.cnt_loop;
    steps[d][kExtent] = {e, el, e - el};
    steps[d][kCount] = {c, cl, c - cl};
    steps[d][kExtentMinusCount] = {e - c, el - cl, (e - c) - (el - cl)};
    steps[d][kTrips] = {x.trips, 0, x.one};
    steps[d][kPerPe] = {x.cnt, 0, x.pes};
  }
  return steps;
}

// A product term of a tensor's volume: a coefficient and the kind of every dim.
struct Term {
  int64_t coef;
  Kind kind[kNumDims];
};

// Sums over every load at one level of several product terms (see the file comment), in one
// pass over the loop positions from the innermost outward: `not_found` carries the loads whose
// reload position is further out, `found` those whose reload position has been passed.
template <int kLanes>
int64_t sum_over_loads(const LevelSteps& steps, const DimOrder& order,
                       const Term (&terms)[kLanes]) {
  int64_t not_found[kLanes], found[kLanes];
  for (int i = 0; i < kLanes; ++i) {
    not_found[i] = 1;
    found[i] = 0;
  }
  for (int p = kNumDims - 1; p >= 0; --p) {
    const int d = idx(order[p]);
    for (int i = 0; i < kLanes; ++i) {
      const Step& st = steps[d][terms[i].kind[d]];
      found[i] = st.all * found[i] + st.loop * not_found[i];
      not_found[i] = st.rest * not_found[i];
    }
  }
  int64_t total = 0;
  for (int i = 0; i < kLanes; ++i) total += terms[i].coef * (not_found[i] + found[i]);
  return total;
}

// The product term of tensor t's volume (W, O).
Term product_term(Tensor t, bool per_pe) {
  Term term;
  term.coef = 1;
  for (int d = 0; d < kNumDims; ++d)
    term.kind[d] = relevant(t, static_cast<Dim>(d)) ? kExtent : per_pe ? kPerPe : kTrips;
  return term;
}

// The input volume at one level, per distinct transfer and per receiving PE: four product terms,
// rows sy*(Y - cntY)*cntR + cntY*R times columns likewise (tiling.cc window_sum), which differ only
// at Y, R, X and S, while the two sums differ only at K (trips or PE tiles; kTrips, kPerPe).
// Every other dim is relevant to I, and a relevant dim's step keeps the DP's total proportional:
// with u = (1, 1), u . (not_found', found') = all * u . (not_found, found), since loop + rest = all.
// So the positions outside K only multiply each term's total by their `all`, and
//   total = (product of `all` over positions outside K) * (rest_K * not_found + all_K * found)
// where (not_found, found) is the DP state over the positions inside K: one partial pass serves
// both sums, and the outer positions cost one multiplication per term.
struct InputSums {
  int64_t plain, per_pe;
};

// kInputKind[term][d]: the kind of dim d in input term 2 * row_term + col_term (K: unused).
constexpr std::array<std::array<Kind, kNumDims>, 4> input_kinds() {
  std::array<std::array<Kind, kNumDims>, 4> kinds{};
  for (int t = 0; t < 4; ++t) {
    const bool row0 = t / 2 == 0, col0 = t % 2 == 0;
    for (int d = 0; d < kNumDims; ++d) kinds[t][d] = kExtent;
    kinds[t][idx(Dim::Y)] = row0 ? kExtentMinusCount : kCount;
    kinds[t][idx(Dim::R)] = row0 ? kCount : kExtent;
    kinds[t][idx(Dim::X)] = col0 ? kExtentMinusCount : kCount;
    kinds[t][idx(Dim::S)] = col0 ? kCount : kExtent;
  }
  return kinds;
}
inline constexpr std::array<std::array<Kind, kNumDims>, 4> kInputKind = input_kinds();

InputSums input_sums(const LevelSteps& steps, const DimOrder& order, int64_t sy, int64_t sx) {
  const int k = idx(Dim::K);
  int pk = 0;
  while (idx(order[pk]) != k) ++pk;
  int64_t not_found[4] = {1, 1, 1, 1}, found[4] = {0, 0, 0, 0}, outer[4] = {1, 1, 1, 1};
  for (int p = kNumDims - 1; p > pk; --p) {
    const int d = idx(order[p]);
    for (int i = 0; i < 4; ++i) {
      const Step& st = steps[d][kInputKind[i][d]];
      found[i] = st.all * found[i] + st.loop * not_found[i];
      not_found[i] = st.rest * not_found[i];
    }
  }
  for (int p = 0; p < pk; ++p) {
    const int d = idx(order[p]);
    for (int i = 0; i < 4; ++i) outer[i] *= steps[d][kInputKind[i][d]].all;
  }
  const Step& trips = steps[k][kTrips];
  const Step& per_pe = steps[k][kPerPe];
  const int64_t coef[4] = {sy * sx, sy, sx, 1};
  InputSums sums{0, 0};
  for (int i = 0; i < 4; ++i) {
    sums.plain += coef[i] * (outer[i] * (trips.rest * not_found[i] + trips.all * found[i]));
    sums.per_pe += coef[i] * (outer[i] * (per_pe.rest * not_found[i] + per_pe.all * found[i]));
  }
  return sums;
}

}  // namespace

int64_t count_accesses(const Geometry& g, AccessTable& acc) {
  // DRAM -> L2: one parent state per dim (the whole layer); the child loop is over L2 tiles. No
  // array axes at this level. L2 -> L1: full L2 tiles and the edge L2 tile; the child loop is
  // over array steps.
  LevelSums top, l2;
  int64_t macs = 1;
  auto add_l1_state = [&](int d, int64_t weight, int64_t extent) {
    const Split steps = split(extent, g.step[d]);
    const bool sp = g.spatial[d];
    l2[d].add(weight, extent, steps.count, sp ? ceil_div(extent, g.t1[d]) : steps.count,
              sp ? ceil_div(steps.first(), g.t1[d]) : 1);
  };
  for (int d = 0; d < kNumDims; ++d) {
    const Split tiles = split(g.extent[d], g.t2[d]);
    top[d].add(1, g.extent[d], tiles.count, tiles.count, 1);
    if (tiles.ragged()) {
      add_l1_state(d, tiles.count - 1, tiles.full);
      add_l1_state(d, 1, tiles.last);
    } else {
      add_l1_state(d, tiles.count, tiles.last);
    }
    macs *= l2[d].ext;
  }

  const int64_t out_words = g.extent[idx(Dim::N)] * g.extent[idx(Dim::G)] *
                            g.extent[idx(Dim::K)] * g.extent[idx(Dim::Y)] * g.extent[idx(Dim::X)];
  const int dram = 0, l2_level = 1, l1 = 2;
  const int W = idx(Tensor::W), I = idx(Tensor::I), O = idx(Tensor::O);
  acc = AccessTable{};
  // DRAM <-> L2 over the L2 tiles, and L2 <-> L1 over the array steps (distinct transfers, and
  // per receiving PE).
  const LevelSteps top_steps = level_steps(top), l1_steps = level_steps(l2);
  const InputSums i_dram = input_sums(top_steps, g.o2, g.sy, g.sx);
  const InputSums i_l2 = input_sums(l1_steps, g.o1, g.sy, g.sx);
  auto dram_side = [&](const auto& terms) { return sum_over_loads(top_steps, g.o2, terms); };
  auto l2_side = [&](const auto& terms) { return sum_over_loads(l1_steps, g.o1, terms); };

  const Term w_term[1] = {product_term(Tensor::W, false)};
  const Term w_pe_term[1] = {product_term(Tensor::W, true)};
  const Term o_term[1] = {product_term(Tensor::O, false)};
  const Term o_pe_term[1] = {product_term(Tensor::O, true)};
  acc[dram][W].reads = acc[l2_level][W].fills = dram_side(w_term);
  acc[l2_level][W].reads = l2_side(w_term);
  acc[l1][W].fills = l2_side(w_pe_term);
  acc[l1][W].reads = macs;
  acc[dram][I].reads = acc[l2_level][I].fills = i_dram.plain;
  acc[l2_level][I].reads = i_l2.plain;
  acc[l1][I].fills = i_l2.per_pe;
  acc[l1][I].reads = macs;
  const int64_t l2_visits = dram_side(o_term);
  acc[dram][O].updates = l2_visits;
  acc[dram][O].reads = l2_visits - out_words;
  acc[l2_level][O].fills = l2_visits - out_words;
  acc[l2_level][O].drains = l2_visits;
  const int64_t l1_visits = l2_side(o_term);
  acc[l2_level][O].updates = l1_visits;
  acc[l2_level][O].reads = l1_visits - out_words;
  acc[l1][O].fills = l1_visits - out_words;
  acc[l1][O].drains = l2_side(o_pe_term);
  acc[l1][O].reads = macs;
  acc[l1][O].updates = macs;
  return macs;
}

}  // namespace af::model
