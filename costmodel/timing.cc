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
// ragged-state) combinations, not the number of steps, and a pipeline whose shortest compute
// covers its longest transfers needs no enumeration. Groups have one or two cases on average, so
// a per-group bound costs more than the cases it would skip: every case is costed, branch-free.
//
// Speed (this runs millions of times per search): a state vector is a bit set (bit d: dim d is at
// its last tile), and since only ragged dims have two extents, every compute and transfer time of
// an L1 pipeline is a table lookup keyed by the state bits of its ragged dims, filled once per L2
// tile shape. Sums that do not depend on neighbours (compute, and every L1 pipeline's cycles
// within the L2 pipeline) are products or shape-weighted sums, never enumerated.
#include "costmodel/timing.h"

#include <algorithm>

#include "core/template_constants.h"

namespace af::model {
namespace {

using TensorMask = uint8_t;  // bit t set: tensor t reloads at a transition
inline constexpr TensorMask kAllTensorsMask = 0b111;
inline bool has(TensorMask m, Tensor t) { return (m >> idx(t)) & 1; }

// State of every dim of an element: bit d set when dim d is at its last (possibly clipped) tile,
// clear at a full tile.
using StateBits = uint32_t;
inline constexpr StateBits kAllLast = (1u << kNumDims) - 1;
inline int bit(StateBits s, int d) { return (s >> d) & 1; }

// Per-dimension facts of one pipeline level, indexed by tile state: 0 = a full tile, 1 = the last
// (possibly clipped) tile. No default values: arrays of them are built per evaluation, and
// dim_info() sets every field.
struct DimInfo {
  int64_t count;
  int64_t ext[2];
  int64_t pe[2];   // largest PE extent (lockstep compute) at L1
  int64_t act[2];  // distinct PE tiles at L1
  bool ragged;
};
using DimInfos = std::array<DimInfo, kNumDims>;
// The dims of one pipeline, by reference: an L2-tile shape picks each dim's L1 loop from two
// candidates without copying them.
using DimRefs = std::array<const DimInfo*, kNumDims>;

// One dim of a loop over `extent` in tiles (L1: array steps) of `tile`.
DimInfo dim_info(const Geometry& g, int d, int64_t extent, int64_t tile, bool array) {
  const Split s = split(extent, tile);
  DimInfo di;
  di.count = s.count;
  di.ext[0] = s.full;
  di.ext[1] = s.last;
  di.ragged = s.ragged();
  for (int k = 0; k < 2; ++k) {
    di.pe[k] = array ? pe_extent(g, d, di.ext[k]) : di.ext[k];
    di.act[k] = array ? active_pes(g, d, di.ext[k]) : 1;
  }
  return di;
}

// kTensorsOf[d]: the tensors that depend on dim d.
constexpr std::array<TensorMask, kNumDims> tensors_of_dims() {
  std::array<TensorMask, kNumDims> m{};
  for (int d = 0; d < kNumDims; ++d)
    for (int t = 0; t < kNumTensors; ++t)
      if (relevant(static_cast<Tensor>(t), static_cast<Dim>(d))) m[d] |= 1u << t;
  return m;
}
inline constexpr std::array<TensorMask, kNumDims> kTensorsOf = tensors_of_dims();

// kTensorsOfSet[dims]: the tensors that depend on any dim of the set `dims` (state bits).
constexpr std::array<TensorMask, 1 << kNumDims> tensors_of_sets() {
  std::array<TensorMask, 1 << kNumDims> m{};
  for (uint32_t s = 0; s < m.size(); ++s)
    for (int d = 0; d < kNumDims; ++d)
      if ((s >> d) & 1) m[s] |= kTensorsOf[d];
  return m;
}
inline constexpr std::array<TensorMask, 1 << kNumDims> kTensorsOfSet = tensors_of_sets();

// kDimsOf[t]: the dims tensor t depends on, as state bits.
constexpr std::array<uint32_t, kNumTensors> dims_of_tensors() {
  std::array<uint32_t, kNumTensors> m{};
  for (int d = 0; d < kNumDims; ++d)
    for (int t = 0; t < kNumTensors; ++t)
      if (relevant(static_cast<Tensor>(t), static_cast<Dim>(d))) m[t] |= 1u << d;
  return m;
}
inline constexpr std::array<uint32_t, kNumTensors> kDimsOf = dims_of_tensors();

// A loop order as bit sets: the dim at each position and the dims at positions >= p. It depends
// only on the order, so it is built once per evaluation and shared by every L1 pipeline.
struct OrderBits {
  uint8_t dim[kNumDims];
  StateBits suffix[kNumDims + 1];
};

OrderBits order_bits(const DimOrder& order) {
  OrderBits o;
  o.suffix[kNumDims] = 0;
  for (int pos = kNumDims - 1; pos >= 0; --pos) {
    o.dim[pos] = static_cast<uint8_t>(idx(order[pos]));
    o.suffix[pos] = o.suffix[pos + 1] | 1u << o.dim[pos];
  }
  return o;
}

// Loop structure of one pipeline level: what the groups of the file comment need. Per-position
// facts (what a transition reloads, the trip products of the outer loops) are derived where the
// groups need them rather than tabulated, since only positions up to m are ever asked for.
struct Loops {
  const DimRefs* di;
  const OrderBits* order;
  StateBits first = 0;          // the first element's states: last tile where count == 1
  StateBits ragged = 0;         // dims with two extents
  int m = -1;                   // innermost position with more than one iteration
  // Per submask of the ragged dims: the product of count - 1 over its dims, the number of
  // elements whose free dims in that set are at a full tile.
  int64_t full_weight[1 << kNumDims];
  // Tensors reloading when position p increments: those depending on a looping dim at >= p.
  TensorMask reload(int p) const { return kTensorsOfSet[order->suffix[p] & ~first]; }
};

// `ragged` and `first` are the pipeline's ragged dims and the dims with one tile, which the callers
// already have as bit sets; every other fact follows from them and the order.
Loops make_loops(const DimRefs& di, const OrderBits& order, StateBits ragged, StateBits first) {
  Loops L;
  L.di = &di;
  L.order = &order;
  L.first = first;
  L.ragged = ragged;
  for (int pos = kNumDims - 1; pos >= 0; --pos)
    if (!(first >> order.dim[pos] & 1)) {
      L.m = pos;
      break;
    }
  // Built from the lowest dim up: every submask is a smaller submask plus its top dim.
  L.full_weight[0] = 1;
  for (StateBits sub = (0 - L.ragged) & L.ragged; sub != 0; sub = (sub - L.ragged) & L.ragged) {
    const int top = 31 - __builtin_clz(sub);
    L.full_weight[sub] = L.full_weight[sub & ~(1u << top)] * (di[top]->count - 1);
  }
  return L;
}

// A group of elements (see the file comment): the states of the element and its neighbours with
// every free dim at a full tile. A free dim (a ragged dim outside the transition) takes the same
// state in all three, with weight count-1 when full and 1 when last. Groups (b)-(d) also have a
// transition dim with two options for the element and its successor (the predecessor keeps its
// bit of `prev`): `many` elements where both sit at a full tile there, and one element whose
// successor is at the last tile (bit `next_var`; `s_var`: the element's own bit). The other
// groups are that one element alone (many = 0, no free dims, no bits).
struct Group {
  int64_t base = 1;
  StateBits s = 0, prev = 0, next = 0, free = 0;
  TensorMask prev_reload = 0;  // what the predecessor's transition reloads (0: no predecessor)
  TensorMask next_reload = 0;  // what the successor's transition reloads (0: no successor)
  int64_t many = 0;
  StateBits s_var = 0, next_var = 0;
};

// The dims at positions < p become free (ragged) or multiply the base by their trip counts
// (`trips`: the product of the counts of the non-ragged dims at positions < p); they sit at their
// first state (ragged dims have count > 1, so that is a full tile).
Group outer_group(const Loops& L, int p, int64_t trips) {
  Group g;
  const StateBits outer = kAllLast & ~L.order->suffix[p];
  g.free = outer & L.ragged;
  g.base = trips;
  g.s = g.prev = g.next = L.first & outer;
  return g;
}

// Calls visit(group) for every group of the pipeline.
template <typename Visit>
void for_each_group(const Loops& L, Visit&& visit) {
  const DimRefs& di = *L.di;
  const OrderBits& order = *L.order;
  const int m = L.m;
  if (m < 0) {  // a single element
    Group g;
    g.s = g.prev = g.next = kAllLast;
    visit(g);
    return;
  }
  const int dm = order.dim[m];
  const int64_t nm = di[dm]->count;
  const StateBits bm = 1u << dm;
  const TensorMask reload_m = L.reload(m);
  // Trip products of the outer loops, advanced past each position < m with more than one
  // iteration (the others multiply by 1).
  auto advance = [&](int64_t trips, int d, int64_t n) { return bit(L.ragged, d) ? trips : trips * n; };

  {  // (a) the first element; its successor has index 1 at m.
    Group g;
    g.s = g.prev = g.next = L.first;
    if (nm == 2) g.next |= bm;
    g.next_reload = reload_m;
    visit(g);
  }
  // (b) and (d) for every position l < m with more than one iteration; they share the outer loops.
  int64_t trips = 1;
  for (int l = 0; l < m; ++l) {
    const int dl = order.dim[l];
    const int64_t n = di[dl]->count;
    if (n <= 1) continue;
    const Group outer = outer_group(L, l, trips);
    trips = advance(trips, dl, n);
    const StateBits after = order.suffix[l + 1];
    const TensorMask reload_l = L.reload(l);
    {  // (b) next transition at l; the element is last after l
      Group g = outer;
      g.s |= after;
      g.next |= L.first & after;
      g.prev = g.s & ~bm;
      g.many = n - 2;  // element index 0..n-2 at l, successor index + 1
      g.next_var = 1u << dl;
      g.prev_reload = reload_m;
      g.next_reload = reload_l;
      visit(g);
    }
    {  // (d) index 0 at m, predecessor came through l
      Group g = outer;
      g.s |= L.first & after;  // index 0 after l (positions > m: one tile)
      g.next = g.s;
      if (nm == 2) g.next |= bm;
      g.prev |= after;  // predecessor: last after l, index - 1 at l (a full tile)
      g.many = n - 2;   // element index 1..n-1 at l
      g.s_var = g.next_var = 1u << dl;
      g.prev_reload = reload_l;
      g.next_reload = reload_m;
      visit(g);
    }
  }
  if (nm >= 3) {  // (c) next transition at m, index at m in [1, nm-2]; one tile after m
    Group g = outer_group(L, m, trips);
    g.s |= order.suffix[m + 1];
    g.prev = g.next = g.s;
    g.many = nm - 3;
    g.next_var = bm;
    g.prev_reload = g.next_reload = reload_m;
    visit(g);
  }
  {  // (e) the last element; its predecessor differs at m (index nm-2, a full tile).
    Group g;
    g.s = g.next = kAllLast;
    g.prev = kAllLast & ~bm;
    g.prev_reload = reload_m;
    visit(g);
  }
}

// Calls visit(weight, prev, s, next) for every ragged-state combination of a group.
template <typename Visit>
void for_each_case(const Loops& L, const Group& g, Visit&& visit) {
  // Every submask `last` of the free dims: those at their last tile, the others full.
  for (StateBits last = 0;; last = (last - g.free) & g.free) {
    const int64_t w = g.base * L.full_weight[g.free & ~last];
    if (g.many > 0) visit(w * g.many, g.prev | last, g.s | last, g.next | last);
    visit(w, g.prev | last, g.s | last | g.s_var, g.next | last | g.next_var);
    if (last == g.free) break;
  }
}

struct BusWidths {
  int64_t words;
  int64_t dist(int64_t v) const { return v > 0 ? ceil_div(v, words) + DIST_LATENCY_CYCLES : 0; }
  int64_t collect(int64_t v) const {
    return v > 0 ? ceil_div(v, words) + COLLECT_LATENCY_CYCLES : 0;
  }
};

// Compute and transfer times of one array step of an L1 pipeline in one ragged state.
struct StepTimes {
  int64_t compute;
  // Distribution of each set of tensors (indexed by TensorMask; the buses run in parallel, so the
  // longest of the set), so that a period's distribution is one lookup.
  int64_t dist[1 << kNumTensors];
  int64_t collect;  // collection of the outputs
};

// Step times of the state `st` (per dim 0 = full, 1 = last) of the L1 loops `di`, written into
// `t` in place (the struct is a dozen words).
void step_times(const Geometry& g, const DimRefs& di, StateBits st, const BusWidths& bus,
                StepTimes& t) {
  int64_t e[kNumDims], a[kNumDims], c = 1;
  for (int d = 0; d < kNumDims; ++d) {
    const int k = bit(st, d);
    e[d] = di[d]->ext[k];
    a[d] = di[d]->act[k];
    c *= di[d]->pe[k];
  }
  const int n = idx(Dim::N), gg = idx(Dim::G), k = idx(Dim::K), ch = idx(Dim::C);
  const int y = idx(Dim::Y), x = idx(Dim::X), r = idx(Dim::R), s = idx(Dim::S);
  // Distinct-PE-tile volumes (tiling.h step_volume).
  const int64_t w_words = e[gg] * e[k] * e[ch] * e[r] * e[s];
  const int64_t o_words = e[n] * e[gg] * e[k] * e[y] * e[x];
  const int64_t i_words = e[n] * e[gg] * e[ch] * (g.sy * (e[y] - a[y]) * a[r] + a[y] * e[r]) *
                          (g.sx * (e[x] - a[x]) * a[s] + a[x] * e[s]);
  t.compute = c;
  static_assert(idx(Tensor::W) == 0 && idx(Tensor::I) == 1 && idx(Tensor::O) == 2);
  const int64_t d_w = bus.dist(w_words), d_i = bus.dist(i_words), d_o = bus.dist(o_words);
  const int64_t d_wi = std::max(d_w, d_i);
  t.dist[0] = 0;
  t.dist[1] = d_w;
  t.dist[2] = d_i;
  t.dist[3] = d_wi;
  t.dist[4] = d_o;
  t.dist[5] = std::max(d_w, d_o);
  t.dist[6] = std::max(d_i, d_o);
  t.dist[7] = std::max(d_wi, d_o);
  t.collect = bus.collect(o_words);
}

// The L1 pipeline of one L2 tile whose L1 loops are `di`: fill, one period
// max(c_j, d_{j+1}, u_{j-1}) per step, drain (docs section 5). The compute term is the same
// whatever bounds the periods: the sum over steps of a product of per-dim extents, which is the
// product of the per-dim sums; only the waits need the steps' neighbours.
// `ragged`, `first` are as in Loops (which only the slow path needs), `compute` the sum over all
// steps of their compute cycles.
CycleBreakdown l1_pipeline(const Geometry& g, const DimRefs& di, const OrderBits& o1,
                           StateBits ragged, StateBits first, int64_t compute,
                           const BusWidths& bus) {
  CycleBreakdown out;
  // Step times keyed by the state bits of the ragged dims (the others have one extent), filled
  // for every submask of the ragged dims.
  constexpr int kMaxStates = 1 << kNumDims;
  StepTimes times[kMaxStates];
  for (StateBits key = ragged;; key = (key - 1) & ragged) {
    step_times(g, di, key, bus, times[key]);
    if (key == 0) break;
  }
  auto at = [&](StateBits st) -> const StepTimes& { return times[st & ragged]; };
  auto dist_of = [&](TensorMask reload, StateBits next) { return at(next).dist[reload]; };
  out.compute = compute;
  out.fill_drain = dist_of(kAllTensorsMask, first) + at(kAllLast).collect;
  // No waits when the shortest step computes longer than the largest transfer takes. Only
  // tensors depending on a dim with more than one step are ever reloaded (and outputs only leave
  // between steps when O is one of them), so the others do not count (this skips about one
  // pipeline in ten of the enumerated ones).
  const TensorMask reloaded = kTensorsOfSet[kAllLast & ~first];
  const int64_t longest_transfer =
      std::max(dist_of(reloaded, 0), has(reloaded, Tensor::O) ? at(0).collect : 0);
  if (at(kAllLast).compute >= longest_transfer) return out;
  const Loops L = make_loops(di, o1, ragged, first);
  for_each_group(L, [&](const Group& grp) {
    // Branch-free, with the outputs leaving as an all-ones mask.
    const TensorMask next_reload = grp.next_reload;
    const int64_t mc = -static_cast<int64_t>(has(grp.prev_reload, Tensor::O));
    int64_t input_wait = 0, output_wait = 0;
    for_each_case(L, grp, [&](int64_t w, StateBits prev, StateBits st, StateBits next) {
      const int64_t c = at(st).compute;
      const int64_t dist = at(next).dist[next_reload];
      const int64_t collect = at(prev).collect & mc;
      const int64_t wait = w * std::max<int64_t>(0, std::max(dist, collect) - c);
      const bool input = dist >= collect;  // ties go to input (docs section 5)
      input_wait += input ? wait : 0;
      output_wait += input ? 0 : wait;
    });
    out.input_wait += input_wait;
    out.output_wait += output_wait;
  });
  return out;
}

}  // namespace

namespace {

// Layout dims of each tensor, innermost first (docs section 1). I's two innermost entries are the
// input window rows: X (with S) and Y (with R).
inline constexpr Dim kLayout[kNumTensors][5] = {
    {Dim::S, Dim::R, Dim::C, Dim::K, Dim::G},  // W
    {Dim::X, Dim::Y, Dim::C, Dim::G, Dim::N},  // I
    {Dim::X, Dim::Y, Dim::K, Dim::G, Dim::N},  // O
};

// Beats of one tile with layout extents `ext` of a tensor with layout extents `full`.
int64_t beats_of(const int64_t (&ext)[5], const int64_t (&full)[5], Tensor t, const HwConfig& hw) {
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

// Layout extents of tensor t for the per-dim extents `x(d)`.
template <typename Extent>
void layout_extents(const Geometry& g, Tensor t, Extent&& x, int64_t (&ext)[5]) {
  for (int i = 0; i < 5; ++i) ext[i] = x(idx(kLayout[idx(t)][i]));
  if (t == Tensor::I) {
    ext[0] = (ext[0] - 1) * g.sx + x(idx(Dim::S));
    ext[1] = (ext[1] - 1) * g.sy + x(idx(Dim::R));
  }
}

}  // namespace

int64_t dma_beats(const Geometry& g, const HwConfig& hw, Tensor t, const DimArray& x) {
  int64_t ext[5], full[5];
  layout_extents(g, t, [&](int d) { return x[d]; }, ext);
  layout_extents(g, t, [&](int d) { return g.extent[d]; }, full);
  return beats_of(ext, full, t, hw);
}

CycleBreakdown layer_cycles(const Geometry& g, const HwConfig& hw) {
  const BusWidths bus{hw.noc_words_per_cycle};
  DimInfos di;
  // The L1 loops of each dim inside a full L2 tile (state 0) and the last one (state 1); they
  // differ only along ragged dims.
  DimInfo l1[kNumDims][2];
  int64_t tiles = 1, fixed_tiles = 1;  // all L2 tiles; the product of the non-ragged dims' counts
  // Per L2 state: the L1 dims that are ragged, that have one step, and the compute sum per dim
  // (the compute of a pipeline is a product of per-dim sums over its steps).
  StateBits l1_ragged[2] = {0, 0}, l1_first[2] = {0, 0};
  int64_t l1_compute[kNumDims][2];
  for (int d = 0; d < kNumDims; ++d) {
    di[d] = dim_info(g, d, g.extent[d], g.t2[d], false);
    const DimInfo last = dim_info(g, d, di[d].ext[1], g.step[d], true);
    l1[d][1] = last;
    l1[d][0] = di[d].ragged ? dim_info(g, d, di[d].ext[0], g.step[d], true) : last;
    tiles *= di[d].count;
    fixed_tiles *= di[d].ragged ? 1 : di[d].count;
    for (int k = 0; k < 2; ++k) {
      const DimInfo& x = l1[d][k];
      l1_ragged[k] |= x.ragged ? 1u << d : 0;
      l1_first[k] |= x.count <= 1 ? 1u << d : 0;
      l1_compute[d][k] = (x.count - 1) * x.pe[0] + x.pe[1];
    }
  }
  DimRefs refs;
  for (int d = 0; d < kNumDims; ++d) refs[d] = &di[d];
  StateBits l2_ragged = 0, l2_first = 0;
  for (int d = 0; d < kNumDims; ++d) {
    l2_ragged |= di[d].ragged ? 1u << d : 0;
    l2_first |= di[d].count <= 1 ? 1u << d : 0;
  }
  const OrderBits o1 = order_bits(g.o1), o2 = order_bits(g.o2);
  const Loops L = make_loops(refs, o2, l2_ragged, l2_first);
  CycleBreakdown out;
  // DMA beats of each tensor per L2-tile shape, keyed by the state bits of the ragged dims the
  // tensor depends on (the others do not change its tile), all computed up front so that every
  // DMA phase below is a few lookups.
  constexpr int kMaxShapes = 1 << kNumDims;
  int64_t beats[kNumTensors][kMaxShapes];
  StateBits beat_keys[kNumTensors];
  for (Tensor t : kAllTensors) {
    const StateBits keys = L.ragged & kDimsOf[idx(t)];
    beat_keys[idx(t)] = keys;
    int64_t full[5];
    layout_extents(g, t, [&](int d) { return g.extent[d]; }, full);
    for (StateBits key = keys;; key = (key - 1) & keys) {
      int64_t ext[5];
      layout_extents(g, t, [&](int d) { return di[d].ext[bit(key, d)]; }, ext);
      beats[idx(t)][key] = beats_of(ext, full, t, hw);
      if (key == 0) break;
    }
  }
  const int64_t* beats_w = beats[idx(Tensor::W)];
  const int64_t* beats_i = beats[idx(Tensor::I)];
  const int64_t* beats_o = beats[idx(Tensor::O)];
  const StateBits keys_w = beat_keys[idx(Tensor::W)], keys_i = beat_keys[idx(Tensor::I)],
                  keys_o = beat_keys[idx(Tensor::O)];
  // The first L2 tile is full in every ragged dim (they have more than one tile).
  const int64_t dma_fill = hw.dram_latency_cycles + beats_w[0] + beats_i[0] + beats_o[0];
  const int64_t dma_drain = beats_o[keys_o];

  // An L2-tile shape is keyed by the state bits of the ragged dims (a submask of L.ragged);
  // tables below are indexed by key and only submasks are touched.
  // The L1 pipeline of every shape: every L2 period adds its L1 pipeline's cycles cause by cause,
  // so those sums only need how many tiles have each shape; only the DRAM stall depends on the
  // neighbours.
  int64_t busy[kMaxShapes];
  int64_t min_busy = INT64_MAX;
  for (StateBits key = L.ragged;; key = (key - 1) & L.ragged) {
    DimRefs shape;
    int64_t compute = 1;
    for (int d = 0; d < kNumDims; ++d) {
      shape[d] = &l1[d][bit(key, d)];
      compute *= l1_compute[d][bit(key, d)];
    }
    // Tiles of this shape: every non-ragged dim's count, times count - 1 for each ragged dim
    // at a full tile.
    const int64_t mult = fixed_tiles * L.full_weight[L.ragged & ~key];
    const CycleBreakdown c =
        l1_pipeline(g, shape, o1, (l1_ragged[0] & ~key) | (l1_ragged[1] & key),
                    (l1_first[0] & ~key) | (l1_first[1] & key), compute, bus);
    out.compute += mult * c.compute;
    out.input_wait += mult * c.input_wait;
    out.output_wait += mult * c.output_wait;
    out.fill_drain += mult * c.fill_drain;
    busy[key] = c.total();
    min_busy = std::min(min_busy, busy[key]);
    if (key == 0) break;
  }
  out.dram_stall = tiles * L2_TILE_OVERHEAD_CYCLES;
  out.fill_drain += dma_fill + dma_drain;
  // DMA phase of a period: store the predecessor's outputs (when they changed), then load what
  // the successor reloads. Fresh output tiles are cleared at the same rate (docs section 4).
  const int64_t latency = hw.dram_latency_cycles;
  // No stall anywhere when the least busy L2 tile outlasts the largest DMA phase.
  const int64_t dma_max = latency + 2 * beats_o[0] + beats_w[0] + beats_i[0];
  if (min_busy >= dma_max) return out;
  // The load part of a phase per successor shape and reload set (TensorMask), so that a case is
  // two lookups.
  int64_t load_phase[kMaxShapes][1 << kNumTensors];
  for (StateBits key = L.ragged;; key = (key - 1) & L.ragged) {
    const int64_t b_w = beats_w[key & keys_w], b_i = beats_i[key & keys_i],
                  b_o = beats_o[key & keys_o];
    const int64_t load[1 << kNumTensors] = {0,   b_w,       b_i,       b_w + b_i,
                                            b_o, b_w + b_o, b_i + b_o, b_w + b_i + b_o};
    for (int m = 0; m < (1 << kNumTensors); ++m)
      load_phase[key][m] = load[m] > 0 ? latency + load[m] : 0;
    if (key == 0) break;
  }
  for_each_group(L, [&](const Group& grp) {
    // Branch-free, with the predecessor's outputs leaving as an all-ones mask.
    const TensorMask next_reload = grp.next_reload;
    const int64_t store = -static_cast<int64_t>(has(grp.prev_reload, Tensor::O));
    int64_t stall = 0;
    for_each_case(L, grp, [&](int64_t w, StateBits prev, StateBits st, StateBits next) {
      const int64_t phase =
          (beats_o[prev & keys_o] & store) + load_phase[next & L.ragged][next_reload];
      stall += w * std::max<int64_t>(0, phase - busy[st & L.ragged]);
    });
    out.dram_stall += stall;
  });
  return out;
}

}  // namespace af::model
