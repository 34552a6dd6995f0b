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
#include "costmodel/timing.h"

#include <algorithm>
#include <cstring>

#include "core/template_constants.h"

namespace af::model {
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

// The states (0/1 bytes) as a bit set, bit d = st[d]: one multiply gathers the eight low bits.
inline uint32_t state_bits(const States& st) {
  uint64_t v;
  std::memcpy(&v, st.data(), sizeof v);
  return static_cast<uint32_t>((v * 0x0102040810204080ull) >> 56);
}

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

// One dimension of the L1 pipeline inside an L2 tile of extent `extent` along d.
DimInfo l1_dim(const Geometry& g, int d, int64_t extent) {
  const Split s = split(extent, g.step[d]);
  DimInfo di;
  di.count = s.count;
  di.ext[0] = s.full;
  di.ext[1] = s.last;
  di.ragged = s.ragged();
  for (int k = 0; k < 2; ++k) {
    di.pe[k] = pe_extent(g, d, di.ext[k]);
    di.act[k] = active_pes(g, d, di.ext[k]);
  }
  return di;
}

// The L1 pipeline of one L2 tile whose L1 loops are `di`: fill, one period
// max(c_j, d_{j+1}, u_{j-1}) per step, drain (docs section 5). The compute term is the same
// whatever bounds the periods: the sum over steps of a product of per-dim extents, which is the
// product of the per-dim sums; only the waits need the steps' neighbours.
CycleBreakdown l1_pipeline(const Geometry& g, const DimInfos& di, const BusWidths& bus) {
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
  int64_t compute = 1;
  for (int d = 0; d < kNumDims; ++d) {
    first[d] = di[d].first();
    last[d] = 1;
    compute *= (di[d].count - 1) * di[d].pe[0] + di[d].pe[1];
  }
  out.compute = compute;
  out.fill_drain += dist_of(kAllTensorsMask, first) + bus.collect(volume(g, di, Tensor::O, last));
  // No waits when the shortest step computes longer than the largest transfer takes.
  States full{};
  if (compute_cycles(di, last) >=
      std::max(dist_of(kAllTensorsMask, full), collect_of(kAllTensorsMask, full)))
    return out;
  for_each_group(di, g.o1, [&](const Group& grp) {
    // No waits in a group whose shortest compute covers its longest transfers.
    States p, s, n;
    extreme_states(grp, /*largest=*/true, p, s, n);
    const int64_t hi = std::max(dist_of(grp.next_reload, n), collect_of(grp.prev_reload, p));
    extreme_states(grp, /*largest=*/false, p, s, n);
    if (compute_cycles(di, s) >= hi) return;
    for_each_case(di, grp, [&](int64_t w, const States& prev, const States& st,
                               const States& next) {
      const int64_t c = compute_cycles(di, st);
      const int64_t dist = dist_of(grp.next_reload, next);
      const int64_t collect = collect_of(grp.prev_reload, prev);
      const int64_t period = std::max(c, std::max(dist, collect));
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

  // The L1 loops of each dim inside a full L2 tile (state 0) and the last one (state 1); they
  // differ only along ragged dims.
  DimInfo l1[kNumDims][2];
  uint32_t ragged_mask = 0;  // bit d: dim d is ragged at L2
  int64_t tiles = 1;
  for (int d = 0; d < kNumDims; ++d) {
    l1[d][1] = l1_dim(g, d, di[d].ext[1]);
    l1[d][0] = di[d].ragged ? l1_dim(g, d, di[d].ext[0]) : l1[d][1];
    if (di[d].ragged) ragged_mask |= 1u << d;
    tiles *= di[d].count;
  }
  // An L2-tile shape is keyed by the set of ragged dims at their edge tile (bit d = dim d), so a
  // key is a submask of ragged_mask. Tables below are indexed by key; only submasks are touched.
  auto key_of = [&](const States& st) { return state_bits(st) & ragged_mask; };
  constexpr int kMaxShapes = 1 << kNumDims;
  // The L1 pipeline of every shape. Every L2 period adds its L1 pipeline's cycles cause by cause,
  // so those sums only need how many tiles have each shape; only the DRAM stall depends on the
  // neighbours.
  int64_t busy[kMaxShapes];
  int64_t beats_cache[kNumTensors][kMaxShapes];  // DMA beats per tensor and shape, when needed
  int64_t min_busy = INT64_MAX;
  for (uint32_t key = ragged_mask;; key = (key - 1) & ragged_mask) {
    DimInfos shape;
    int64_t mult = 1;
    for (int d = 0; d < kNumDims; ++d) {
      const int k = (key >> d) & 1;
      shape[d] = l1[d][k];
      mult *= !di[d].ragged ? di[d].count : k ? 1 : di[d].count - 1;
    }
    const CycleBreakdown c = l1_pipeline(g, shape, bus);
    out.compute += mult * c.compute;
    out.input_wait += mult * c.input_wait;
    out.output_wait += mult * c.output_wait;
    out.fill_drain += mult * c.fill_drain;
    busy[key] = c.total();
    min_busy = std::min(min_busy, busy[key]);
    for (auto& per_tensor : beats_cache) per_tensor[key] = -1;
    if (key == 0) break;
  }
  out.dram_stall = tiles * L2_TILE_OVERHEAD_CYCLES;
  auto beats = [&](Tensor t, const States& st) {
    int64_t& b = beats_cache[idx(t)][key_of(st)];
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
  // No stall anywhere when the least busy L2 tile outlasts the largest DMA phase.
  const States full{};
  int64_t dma_max = hw.dram_latency_cycles + beats(Tensor::O, full);
  for (Tensor t : kAllTensors) dma_max += beats(t, full);
  if (min_busy >= dma_max) {
    out.fill_drain += dma_fill + dma_drain;
    return out;
  }
  for_each_group(di, g.o2, [&](const Group& grp) {
    States p, s, n;
    extreme_states(grp, /*largest=*/true, p, s, n);
    const int64_t dma_hi = dma_phase(grp, p, n);
    if (min_busy >= dma_hi) return;
    for_each_case(di, grp, [&](int64_t w, const States& prev, const States& st,
                               const States& next) {
      const int64_t b = busy[key_of(st)];
      if (b >= dma_hi) return;
      out.dram_stall += w * std::max<int64_t>(0, dma_phase(grp, prev, next) - b);
    });
  });
  out.fill_drain += dma_fill + dma_drain;
  return out;
}

}  // namespace af::model
