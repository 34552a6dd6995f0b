// Brute-force walker of docs/template.md (schedule v1). See walker.h.
//
// Written from the page alone, not from costmodel/: every count below comes from stepping
// through tiles, steps and PEs and keeping explicit state (what each PE holds, which output words
// have been touched at each level), never from a closed form.
//
// Questions on docs/template.md (the reading implemented here is given after each):
//
// Q1. (Settled.) There is one schedule, the RTL's: period j overlaps compute of step j with the
//     distribution of step j+1 and the collection of step j-1; the last collection is the L1
//     drain. Likewise at L2: period i stores tile i-1 and loads tile i+1; the last store is the
//     DMA drain. The cost model is exact for this schedule.
// Q2. Section 4, table: L1 `drains` of O are "sum over PEs" but the page does not say which PEs.
//     Reading: every PE that holds a partial-sum tile (it received it at the output visit's first
//     step, by psum fill or by starting at zero) sends it into the adder tree when the outputs
//     leave, so L1 drains(O) = sum over those PEs of their output tile words, while L2
//     updates(O) counts each distinct output word once (after reduction). A PE idle for the
//     whole output visit holds nothing and drains nothing.
// Q3. Section 4, multicast: PEs whose tiles are the same in every relevant dim share a transfer.
//     For inputs the comparison is on the (y, r) / (x, s) coordinates, not on the resulting h / w
//     window: two PEs with different (y, r) but the same rows of the stored input receive two
//     transfers (this is what "overlapping windows are not shared" suggests). The reload rule
//     likewise compares (y, r, x, s) coordinates.
// Q4. (Settled in docs section 4.) Fresh outputs are cleared through the same path at the same
//     rate as a psum fill: the psum-O bus and the DMA take the same time, but nothing is read
//     from the parent and nothing is counted.
// Q5. Section 5, the period is max(c_j, d_{j+1}, u) with d_{j+1} = 0 for the last step of an L2
//     tile (the next tile's first distribution is its own L1 fill d_0, not overlapped), and the
//     RTL's u_{j-1} = 0 for j = 0.
// Q6. Section 5, cause table: a period where c_j is (one of) the longest terms adds nothing to
//     the wait counters (period - c_j = 0). Between d and u, ties go to input_wait.
// Q7. Section 5, DMA runs for inputs: "spans completely" is judged against the stored (padded)
//     extents Hp, Wp: the tile spans h fully only when its ((y-1)*sy + r) equals Hp.
//
// The walker also checks the page's own consistency as it goes and throws std::logic_error if a
// PE is about to compute on a tile it was not sent (i.e. the reload rule would have skipped a
// transfer a newly active PE needed), or if a psum fill finds an output tile only partly touched.
#include "tests/support/walker.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/template_constants.h"

namespace af::test {
namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

// A box in the 8-dim iteration space: offset and extent per dim.
struct Box {
  DimArray off{};
  DimArray ext{};
};

int64_t at(const DimArray& a, Dim d) { return a[idx(d)]; }

// Words of a tensor tile with extents `e` (docs/template.md section 3).
int64_t tile_words(Tensor t, const DimArray& e, const Layer& layer) {
  using D = Dim;
  switch (t) {
    case Tensor::W:
      return at(e, D::G) * at(e, D::K) * at(e, D::C) * at(e, D::R) * at(e, D::S);
    case Tensor::I:
      return at(e, D::N) * at(e, D::G) * at(e, D::C) *
             ((at(e, D::Y) - 1) * layer.stride_y + at(e, D::R)) *
             ((at(e, D::X) - 1) * layer.stride_x + at(e, D::S));
    case Tensor::O:
      return at(e, D::N) * at(e, D::G) * at(e, D::K) * at(e, D::Y) * at(e, D::X);
  }
  return 0;
}

// The coordinates of a box in the dims relevant to a tensor (others blanked).
using Key = std::array<int64_t, 2 * kNumDims>;
Key key_of(Tensor t, const Box& b) {
  Key k;
  for (int d = 0; d < kNumDims; ++d) {
    const bool rel = relevant(t, static_cast<Dim>(d));
    k[2 * d] = rel ? b.off[d] : -1;
    k[2 * d + 1] = rel ? b.ext[d] : -1;
  }
  return k;
}
bool same_relevant(Tensor t, const Box& a, const Box& b) { return key_of(t, a) == key_of(t, b); }

// DRAM beats to move one tile of tensor t (section 5, DMA): contiguous runs along the layout.
int64_t dma_beats(Tensor t, const Box& b, const Layer& layer, int64_t bytes_per_cycle) {
  using D = Dim;
  const DimArray& e = b.ext;
  std::array<int64_t, 5> ext{}, full{};
  switch (t) {
    case Tensor::W:
      ext = {at(e, D::G), at(e, D::K), at(e, D::C), at(e, D::R), at(e, D::S)};
      full = {layer[D::G], layer[D::K], layer[D::C], layer[D::R], layer[D::S]};
      break;
    case Tensor::I:
      ext = {at(e, D::N), at(e, D::G), at(e, D::C),
             (at(e, D::Y) - 1) * layer.stride_y + at(e, D::R),
             (at(e, D::X) - 1) * layer.stride_x + at(e, D::S)};
      full = {layer[D::N], layer[D::G], layer[D::C], layer.padded_h(), layer.padded_w()};
      break;
    case Tensor::O:
      ext = {at(e, D::N), at(e, D::G), at(e, D::K), at(e, D::Y), at(e, D::X)};
      full = {layer[D::N], layer[D::G], layer[D::K], layer[D::Y], layer[D::X]};
      break;
  }
  int k = 4;
  int64_t run = ext[4];
  while (k > 0 && ext[k] == full[k]) {
    --k;
    run *= ext[k];
  }
  int64_t volume = 1;
  for (int64_t x : ext) volume *= x;
  const int64_t runs = volume / run;
  return runs * ceil_div(run * word_bytes(t), bytes_per_cycle);
}

// One DMA phase: stores first (no wait), then loads.
int64_t dma_phase(int64_t write_beats, int64_t read_beats, const HwConfig& hw) {
  return write_beats + (read_beats > 0 ? hw.dram_latency_cycles + read_beats : 0);
}

int64_t dist_cycles(int64_t words, const HwConfig& hw) {
  return words == 0 ? 0 : ceil_div(words, hw.noc_words_per_cycle) + DIST_LATENCY_CYCLES;
}
int64_t collect_cycles(int64_t words, const HwConfig& hw) {
  return words == 0 ? 0 : ceil_div(words, hw.noc_words_per_cycle) + COLLECT_LATENCY_CYCLES;
}

// One bit per output word: has it been touched (loaded into this level) before?
class OutputBitmap {
 public:
  explicit OutputBitmap(const Layer& layer) : dims_(layer.dims) {
    bits_.assign(static_cast<size_t>(layer[Dim::N] * layer[Dim::G] * layer[Dim::K] *
                                     layer[Dim::Y] * layer[Dim::X]),
                 0);
  }
  // Number of words of the box already touched; marks them all touched.
  int64_t touch(const Box& b) {
    using D = Dim;
    int64_t seen = 0;
    const int64_t G = at(dims_, D::G), K = at(dims_, D::K), Y = at(dims_, D::Y),
                  X = at(dims_, D::X);
    for (int64_t n = at(b.off, D::N); n < at(b.off, D::N) + at(b.ext, D::N); ++n)
      for (int64_t g = at(b.off, D::G); g < at(b.off, D::G) + at(b.ext, D::G); ++g)
        for (int64_t k = at(b.off, D::K); k < at(b.off, D::K) + at(b.ext, D::K); ++k)
          for (int64_t y = at(b.off, D::Y); y < at(b.off, D::Y) + at(b.ext, D::Y); ++y)
            for (int64_t x = at(b.off, D::X); x < at(b.off, D::X) + at(b.ext, D::X); ++x) {
              uint8_t& bit = bits_[static_cast<size_t>((((n * G + g) * K + k) * Y + y) * X + x)];
              seen += bit;
              bit = 1;
            }
    return seen;
  }

 private:
  DimArray dims_;
  std::vector<uint8_t> bits_;
};

// Odometer over tile indices: order[0] outermost. Returns false after the last index.
bool next_index(DimArray& index, const DimArray& count, const DimOrder& order) {
  for (int p = kNumDims - 1; p >= 0; --p) {
    const int d = idx(order[p]);
    if (++index[d] < count[d]) return true;
    index[d] = 0;
  }
  return false;
}

bool is_permutation(const DimOrder& order) {
  std::array<bool, kNumDims> seen{};
  for (Dim d : order) {
    const int i = idx(d);
    if (i < 0 || i >= kNumDims || seen[i]) return false;
    seen[i] = true;
  }
  return true;
}

void check_inputs(const Layer& layer, const HwConfig& hw, const Mapping& m) {
  auto fail = [](const std::string& what) { throw std::invalid_argument("walk: " + what); };
  if (hw.rows < 1 || hw.cols < 1) fail("array axes must be >= 1");
  if (hw.row_dim == hw.col_dim) fail("row_dim == col_dim");
  if (hw.noc_words_per_cycle < 1) fail("noc_words_per_cycle < 1");
  if (hw.dram_bytes_per_cycle < 1) fail("dram_bytes_per_cycle < 1");
  if (hw.dram_latency_cycles < 0) fail("dram_latency_cycles < 0");
  if (layer.stride_y < 1 || layer.stride_x < 1) fail("stride < 1");
  if (!is_permutation(m.l2.order) || !is_permutation(m.l1.order)) fail("order not a permutation");
  for (int d = 0; d < kNumDims; ++d) {
    if (layer.dims[d] < 1) fail(std::string("layer extent < 1 in ") + dim_char(Dim(d)));
    if (m.l2.tile[d] < 1 || m.l2.tile[d] > layer.dims[d])
      fail(std::string("L2 tile out of range in ") + dim_char(Dim(d)));
    if (m.l1.tile[d] < 1 || m.l1.tile[d] > m.l2.tile[d])
      fail(std::string("L1 tile out of range in ") + dim_char(Dim(d)));
  }
}

// Per-PE L1 state.
struct PeState {
  bool active = false;   // has work in the current step
  Box tile;              // its L1 tile in the current step (when active)
  std::array<bool, kNumTensors> holds{};  // an L1 half holds a tile of this tensor
  std::array<Key, kNumTensors> held{};    // ... with these relevant coordinates
};

// The L1-level record of one array step, for the cycle schedules.
struct StepRecord {
  int64_t compute = 0;        // c_j
  int64_t distribute = 0;     // d_j
  int64_t collect_after = 0;  // collection of this step's outputs at the transition j -> j+1
};

// One L1 period; adds its causes to `b` and returns its length.
int64_t l1_period(int64_t c, int64_t d, int64_t u, CycleBreakdown& b) {
  const int64_t p = std::max({c, d, u});
  b.compute += c;
  if (p > c) {
    if (d >= u)
      b.input_wait += p - c;
    else
      b.output_wait += p - c;
  }
  return p;
}

class Walker {
 public:
  Walker(const Layer& layer, const HwConfig& hw, const Mapping& m)
      : layer_(layer), hw_(hw), m_(m), l2_touched_(layer), l1_touched_(layer) {
    rd_ = idx(hw.row_dim);
    cd_ = idx(hw.col_dim);
    step_ = m.l1.tile;
    step_[rd_] *= hw.rows;
    step_[cd_] *= hw.cols;
    pes_.resize(static_cast<size_t>(hw.rows * hw.cols));
  }

  WalkResult run() {
    DimArray count;
    for (int d = 0; d < kNumDims; ++d) count[d] = ceil_div(layer_.dims[d], m_.l2.tile[d]);

    // Per L2 tile: DMA beats to load it, beats to store its outputs at the transition to the
    // next tile (0 when the outputs stay), and its L1 pipeline length in both schedules.
    std::vector<int64_t> load_beats, store_after, c_tiles;

    DimArray index{};
    Box prev;
    bool first = true;
    do {
      Box t2;
      for (int d = 0; d < kNumDims; ++d) {
        t2.off[d] = index[d] * m_.l2.tile[d];
        t2.ext[d] = std::min(m_.l2.tile[d], layer_.dims[d] - t2.off[d]);
      }
      std::array<bool, kNumTensors> reload{};
      for (Tensor t : kAllTensors) reload[idx(t)] = first || !same_relevant(t, t2, prev);

      // Outputs of the previous L2 tile leave for DRAM when they change.
      if (!first) {
        int64_t beats = 0;
        if (reload[idx(Tensor::O)]) beats = store_l2_tile(prev);
        store_after.push_back(beats);
      }
      // Loads of this tile into L2.
      int64_t beats = 0;
      for (Tensor t : {Tensor::W, Tensor::I}) {
        if (!reload[idx(t)]) continue;
        const int64_t words = tile_words(t, t2.ext, layer_);
        acc(Level::L2, t).fills += words;
        acc(Level::DRAM, t).reads += words;
        beats += dma_beats(t, t2, layer_, hw_.dram_bytes_per_cycle);
      }
      if (reload[idx(Tensor::O)]) {
        const int64_t words = tile_words(Tensor::O, t2.ext, layer_);
        const int64_t touched = l2_touched_.touch(t2);
        if (touched != 0 && touched != words)
          throw std::logic_error("walk: L2 output tile partly touched");
        if (touched > 0) {
          acc(Level::L2, Tensor::O).fills += touched;
          acc(Level::DRAM, Tensor::O).reads += touched;
        }
        // A fresh tile is cleared at the same beat rate (docs section 4): same time, no read.
        beats += dma_beats(Tensor::O, t2, layer_, hw_.dram_bytes_per_cycle);
      }
      load_beats.push_back(beats);
      for (Tensor t : kAllTensors)
        note_buffer(1, t, tile_words(t, t2.ext, layer_));

      // The array steps of this L2 tile.
      const std::vector<StepRecord> steps = walk_l2_tile(t2);
      const int64_t u_last = collect();
      c_tiles.push_back(l1_pipeline(steps, u_last, result_.cycles));

      ++result_.l2_tiles;
      prev = t2;
      first = false;
    } while (next_index(index, count, m_.l2.order));
    const int64_t final_store = store_l2_tile(prev);

    // L2 pipeline (section 5).
    const size_t n = c_tiles.size();
    CycleBreakdown& b = result_.cycles;
    const std::vector<int64_t>& C = c_tiles;
    const CycleBreakdown l1_part = b;  // the L1 pipelines' causes, summed over the L2 tiles
    int64_t total = dma_phase(0, load_beats[0], hw_);
    b.fill_drain += dma_phase(0, load_beats[0], hw_);
    for (size_t i = 0; i < n; ++i) {
      // Period i: the DMA stores tile i-1's outputs (if they changed) and loads tile i+1.
      const int64_t loads = i + 1 < n ? load_beats[i + 1] : 0;
      const int64_t stores = i >= 1 ? store_after[i - 1] : 0;
      const int64_t M = dma_phase(stores, loads, hw_);
      b.dram_stall += std::max<int64_t>(0, M - C[i]) + L2_TILE_OVERHEAD_CYCLES;
      total += std::max(C[i], M) + L2_TILE_OVERHEAD_CYCLES;
    }
    b.fill_drain += dma_phase(final_store, 0, hw_);
    total += dma_phase(final_store, 0, hw_);
    // Self-check: the causes must add up to the schedule's length, and the L1 pipelines to
    // the sum of the C_i.
    int64_t sum_c = 0;
    for (int64_t c : C) sum_c += c;
    if (total != b.total() || sum_c != l1_part.total())
      throw std::logic_error("walk: cycle causes do not sum to the schedule length");
    return result_;
  }

 private:
  AccessCounts& acc(Level level, Tensor t) {
    return result_.accesses[static_cast<int>(level)][idx(t)];
  }
  void note_buffer(int level, Tensor t, int64_t words) {
    int64_t& b = result_.buffer_bytes[level][idx(t)];
    b = std::max(b, 2 * words * word_bytes(t));
  }

  // Stores an output L2 tile to DRAM; returns its DMA beats.
  int64_t store_l2_tile(const Box& t2) {
    const int64_t words = tile_words(Tensor::O, t2.ext, layer_);
    acc(Level::L2, Tensor::O).drains += words;
    acc(Level::DRAM, Tensor::O).updates += words;
    return dma_beats(Tensor::O, t2, layer_, hw_.dram_bytes_per_cycle);
  }

  // The outputs held by the PEs leave through the adder tree; returns the collection cycles.
  int64_t collect() {
    std::vector<std::pair<Key, int64_t>> tiles;
    for (PeState& pe : pes_) {
      if (!pe.holds[idx(Tensor::O)]) continue;
      const int64_t words = pe_output_words_.at(&pe - pes_.data());
      acc(Level::L1, Tensor::O).drains += words;
      tiles.emplace_back(pe.held[idx(Tensor::O)], words);
      pe.holds[idx(Tensor::O)] = false;
    }
    std::sort(tiles.begin(), tiles.end());
    tiles.erase(std::unique(tiles.begin(), tiles.end()), tiles.end());
    int64_t words = 0;
    for (const auto& kv : tiles) words += kv.second;
    acc(Level::L2, Tensor::O).updates += words;
    return collect_cycles(words, hw_);
  }

  // Steps through one L2 tile; leaves the last step's outputs in the PEs.
  std::vector<StepRecord> walk_l2_tile(const Box& t2) {
    std::vector<StepRecord> records;
    DimArray count;
    for (int d = 0; d < kNumDims; ++d) count[d] = ceil_div(t2.ext[d], step_[d]);
    pe_output_words_.assign(pes_.size(), 0);

    DimArray index{};
    Box prev;
    bool first = true;
    do {
      Box st;
      for (int d = 0; d < kNumDims; ++d) {
        st.off[d] = t2.off[d] + index[d] * step_[d];
        st.ext[d] = std::min(step_[d], t2.ext[d] - index[d] * step_[d]);
      }
      std::array<bool, kNumTensors> reload{};
      for (Tensor t : kAllTensors) reload[idx(t)] = first || !same_relevant(t, st, prev);

      // Outputs of the previous step leave when they change.
      if (!first && reload[idx(Tensor::O)]) records.back().collect_after = collect();
      if (first) {  // L1 contents never carry over between L2 tiles
        for (PeState& pe : pes_) pe.holds = {false, false, false};
      }

      // PE tiles of this step.
      for (int64_t r = 0; r < hw_.rows; ++r) {
        for (int64_t c = 0; c < hw_.cols; ++c) {
          PeState& pe = pes_[static_cast<size_t>(r * hw_.cols + c)];
          pe.tile = st;
          const int64_t ro = r * m_.l1.tile[rd_], co = c * m_.l1.tile[cd_];
          pe.active = ro < st.ext[rd_] && co < st.ext[cd_];
          if (!pe.active) continue;
          pe.tile.off[rd_] += ro;
          pe.tile.ext[rd_] = std::min(m_.l1.tile[rd_], st.ext[rd_] - ro);
          pe.tile.off[cd_] += co;
          pe.tile.ext[cd_] = std::min(m_.l1.tile[cd_], st.ext[cd_] - co);
        }
      }

      // Distribution (multicast: one transfer per distinct PE tile).
      StepRecord rec;
      for (Tensor t : {Tensor::W, Tensor::I}) {
        if (!reload[idx(t)]) continue;
        std::vector<std::pair<Key, int64_t>> tiles;
        for (PeState& pe : pes_) {
          if (!pe.active) continue;
          const int64_t words = tile_words(t, pe.tile.ext, layer_);
          acc(Level::L1, t).fills += words;
          pe.holds[idx(t)] = true;
          pe.held[idx(t)] = key_of(t, pe.tile);
          tiles.emplace_back(pe.held[idx(t)], words);
        }
        std::sort(tiles.begin(), tiles.end());
        tiles.erase(std::unique(tiles.begin(), tiles.end()), tiles.end());
        int64_t words = 0;
        for (const auto& kv : tiles) words += kv.second;
        acc(Level::L2, t).reads += words;
        rec.distribute = std::max(rec.distribute, dist_cycles(words, hw_));
      }
      if (reload[idx(Tensor::O)]) {
        // Each distinct output tile is psum-filled once (to index 0 of a reduced axis) unless
        // its words were never touched; the other PEs sharing it start at zero.
        std::vector<std::pair<Key, const Box*>> tiles;
        for (size_t p = 0; p < pes_.size(); ++p) {
          PeState& pe = pes_[p];
          if (!pe.active) continue;
          pe.holds[idx(Tensor::O)] = true;
          pe.held[idx(Tensor::O)] = key_of(Tensor::O, pe.tile);
          pe_output_words_[p] = tile_words(Tensor::O, pe.tile.ext, layer_);
          tiles.emplace_back(pe.held[idx(Tensor::O)], &pe.tile);
        }
        std::sort(tiles.begin(), tiles.end(),
                  [](const auto& a, const auto& b) { return a.first < b.first; });
        tiles.erase(std::unique(tiles.begin(), tiles.end(),
                                [](const auto& a, const auto& b) { return a.first == b.first; }),
                    tiles.end());
        int64_t words = 0, bus_words = 0;
        for (const auto& kv : tiles) {
          const int64_t tile = tile_words(Tensor::O, kv.second->ext, layer_);
          const int64_t touched = l1_touched_.touch(*kv.second);
          if (touched != 0 && touched != tile)
            throw std::logic_error("walk: L1 output tile partly touched");
          words += touched;
          bus_words += tile;  // fresh words are cleared at the same rate (docs section 4)
        }
        acc(Level::L2, Tensor::O).reads += words;
        acc(Level::L1, Tensor::O).fills += words;
        rec.distribute = std::max(rec.distribute, dist_cycles(bus_words, hw_));
      }

      // Compute: every active PE must hold the tiles it computes on.
      for (PeState& pe : pes_) {
        if (!pe.active) continue;
        for (Tensor t : kAllTensors) {
          if (!pe.holds[idx(t)] || pe.held[idx(t)] != key_of(t, pe.tile))
            throw std::logic_error(std::string("walk: a PE computes without its ") +
                                   tensor_name(t) + " tile (reload rule skipped a transfer)");
          note_buffer(0, t, tile_words(t, pe.tile.ext, layer_));
        }
        int64_t macs = 1;
        for (int d = 0; d < kNumDims; ++d) macs *= pe.tile.ext[d];
        result_.macs += macs;
        acc(Level::L1, Tensor::W).reads += macs;
        acc(Level::L1, Tensor::I).reads += macs;
        acc(Level::L1, Tensor::O).reads += macs;
        acc(Level::L1, Tensor::O).updates += macs;
      }
      rec.compute = 1;
      for (int d = 0; d < kNumDims; ++d)
        rec.compute *= (d == rd_ || d == cd_) ? std::min(m_.l1.tile[d], st.ext[d]) : st.ext[d];
      records.push_back(rec);
      ++result_.steps;
      prev = st;
      first = false;
    } while (next_index(index, count, m_.l1.order));
    return records;
  }

  // Length of one L2 tile's L1 pipeline (fill + periods + drain); adds its causes to `b`.
  static int64_t l1_pipeline(const std::vector<StepRecord>& s, int64_t u_last,
                             CycleBreakdown& b) {
    const size_t J = s.size();
    int64_t total = s[0].distribute + u_last;
    b.fill_drain += s[0].distribute + u_last;
    for (size_t j = 0; j < J; ++j) {
      // Period j: compute step j, distribute step j+1, collect step j-1's outputs.
      const int64_t d_next = j + 1 < J ? s[j + 1].distribute : 0;
      const int64_t u = j >= 1 ? s[j - 1].collect_after : 0;
      total += l1_period(s[j].compute, d_next, u, b);
    }
    return total;
  }

  const Layer& layer_;
  const HwConfig& hw_;
  const Mapping& m_;
  int rd_ = 0, cd_ = 0;
  DimArray step_{};
  std::vector<PeState> pes_;
  std::vector<int64_t> pe_output_words_;  // words of the output tile each PE holds
  OutputBitmap l2_touched_, l1_touched_;
  WalkResult result_;
};

}  // namespace

WalkResult walk(const Layer& layer, const HwConfig& hw, const Mapping& mapping) {
  check_inputs(layer, hw, mapping);
  return Walker(layer, hw, mapping).run();
}

}  // namespace af::test
