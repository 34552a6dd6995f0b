// Problem construction, the genome's hardware, and repair (docs/search.md, "Encoding").
#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "core/io.h"
#include "core/template_constants.h"
#include "costmodel/cost.h"
#include "search/problem.h"

namespace af::search {

const char* objective_name(Objective o) {
  switch (o) {
    case Objective::Latency: return "latency";
    case Objective::Energy: return "energy";
    case Objective::Edp: return "edp";
    case Objective::Area: return "area";
    case Objective::Pareto: return "pareto";
  }
  return "?";
}
const char* mode_name(Mode m) { return m == Mode::Layer ? "layer" : "model"; }

Expected<Objective> parse_objective(const std::string& t) {
  if (t == "latency") return Objective::Latency;
  if (t == "energy") return Objective::Energy;
  if (t == "edp") return Objective::Edp;
  if (t == "area") return Objective::Area;
  if (t == "pareto") return Objective::Pareto;
  return Status::Error("--objective: unknown '" + t +
                       "' (allowed: latency, energy, edp, area, pareto)");
}
Expected<Mode> parse_mode(const std::string& t) {
  if (t == "layer") return Mode::Layer;
  if (t == "model") return Mode::Model;
  return Status::Error("--mode: unknown '" + t + "' (allowed: layer, model)");
}

namespace {
constexpr double kEdgeMm2 = 0.2, kCloudMm2 = 7.0;

Budget from_preset(const std::string& name, double mm2, const HwConfig& hw) {
  Budget b;
  b.name = name;
  b.area_um2 = mm2 * 1e6;
  b.noc_words_per_cycle = hw.noc_words_per_cycle;
  b.dram_bytes_per_cycle = hw.dram_bytes_per_cycle;
  b.dram_latency_cycles = hw.dram_latency_cycles;
  return b;
}
int64_t geo(int64_t a, int64_t b, double t) {
  const double v = std::exp((1 - t) * std::log(double(a)) + t * std::log(double(b)));
  return std::max<int64_t>(1, std::llround(v));
}
}  // namespace

Expected<Budget> parse_budget(const std::string& text) {
  auto edge = hw_preset("edge");
  auto cloud = hw_preset("cloud");
  if (!edge || !cloud) return Status::Error("budget: the edge/cloud hardware presets are missing");
  if (text == "edge") return from_preset("edge", kEdgeMm2, *edge);
  if (text == "cloud") return from_preset("cloud", kCloudMm2, *cloud);
  double mm2 = 0;
  if (!parse_number(text, &mm2) || mm2 <= 0 || mm2 > 1e6)
    return Status::Error("--budget: '" + text +
                         "' is not a budget (allowed: edge, cloud, or an area in mm2 in (0, 1e6])");
  // Interfaces scale geometrically with the area between the two presets, clamped at the ends.
  double t = std::log(mm2 / kEdgeMm2) / std::log(kCloudMm2 / kEdgeMm2);
  t = std::clamp(t, 0.0, 1.0);
  Budget b;
  b.name = text;
  b.area_um2 = mm2 * 1e6;
  b.noc_words_per_cycle = geo(edge->noc_words_per_cycle, cloud->noc_words_per_cycle, t);
  b.dram_bytes_per_cycle = geo(edge->dram_bytes_per_cycle, cloud->dram_bytes_per_cycle, t);
  b.dram_latency_cycles = geo(edge->dram_latency_cycles, cloud->dram_latency_cycles, t);
  return b;
}

std::vector<Dim> active_dims(const Layer& layer) {
  std::vector<Dim> out;
  for (Dim d : kAllDims)
    if (layer[d] > 1) out.push_back(d);
  return out;
}

HwConfig to_hw(const Problem& p, const Genome& g) {
  HwConfig hw;
  hw.name = "search";
  hw.rows = g.rows;
  hw.cols = g.cols;
  hw.row_dim = g.row_dim;
  hw.col_dim = g.col_dim;
  hw.l1_bytes = g.l1_bytes;
  hw.l2_bytes = g.l2_bytes;
  hw.noc_words_per_cycle = p.budget.noc_words_per_cycle;
  hw.dram_bytes_per_cycle = p.budget.dram_bytes_per_cycle;
  hw.dram_latency_cycles = p.budget.dram_latency_cycles;
  return hw;
}

double genome_area_um2(const Problem& p, const Genome& g) {
  return area_of(to_hw(p, g), p.tech).total();
}

bool Genome::same_design(const Genome& o) const {
  if (rows != o.rows || cols != o.cols || row_dim != o.row_dim || col_dim != o.col_dim ||
      maps.size() != o.maps.size())
    return false;
  for (size_t i = 0; i < maps.size(); ++i) {
    const Mapping& a = maps[i];
    const Mapping& b = o.maps[i];
    if (a.l2.tile != b.l2.tile || a.l1.tile != b.l1.tile || a.l2.order != b.l2.order ||
        a.l1.order != b.l1.order)
      return false;
  }
  return true;
}

uint64_t Genome::hash() const {
  uint64_t h = 1469598103934665603ULL;
  auto mix = [&h](uint64_t v) {
    h ^= v;
    h *= 1099511628211ULL;
  };
  mix(uint64_t(rows));
  mix(uint64_t(cols));
  mix(uint64_t(row_dim) * 8 + uint64_t(col_dim));
  for (const Mapping& m : maps) {
    for (const LevelMapping* lv : {&m.l2, &m.l1}) {
      for (int64_t t : lv->tile) mix(uint64_t(t));
      uint64_t o = 0;
      for (Dim d : lv->order) o = o * 8 + uint64_t(d);
      mix(o);
    }
  }
  return h;
}

namespace {

bool is_permutation(const DimOrder& order) {
  unsigned seen = 0;
  for (Dim d : order) {
    const int i = idx(d);
    if (i < 0 || i >= kNumDims || (seen >> i) & 1) return false;
    seen |= 1u << i;
  }
  return true;
}

bool is_candidate(const Problem& p, Dim d) {
  return std::find(p.par_dims.begin(), p.par_dims.end(), d) != p.par_dims.end();
}

// Needs per layer: [level 0 = L1, 1 = L2][tensor] bytes.
using Needs = std::array<std::array<int64_t, kNumTensors>, 2>;

// Shrinks a tile by about a quarter (at least 1).
int64_t shrink_tile(int64_t t) { return std::max<int64_t>(1, t - std::max<int64_t>(1, t / 4)); }

}  // namespace

bool repair(const Problem& p, Genome& g) {
  const size_t n = p.layers.size();
  if (g.maps.size() != n) g.maps.resize(n);
  // Dataflow: two different candidate dims.
  if (!is_candidate(p, g.row_dim)) g.row_dim = p.par_dims[0];
  if (!is_candidate(p, g.col_dim) || g.col_dim == g.row_dim) {
    for (Dim d : p.par_dims)
      if (d != g.row_dim) {
        g.col_dim = d;
        break;
      }
  }
  // Tiles and orders.
  for (size_t i = 0; i < n; ++i) {
    Mapping& m = g.maps[i];
    for (int d = 0; d < kNumDims; ++d) {
      m.l2.tile[d] = std::clamp<int64_t>(m.l2.tile[d], 1, p.layers[i].dims[d]);
      m.l1.tile[d] = std::clamp<int64_t>(m.l1.tile[d], 1, m.l2.tile[d]);
    }
    if (!is_permutation(m.l2.order)) m.l2.order = kAllDims;
    if (!is_permutation(m.l1.order)) m.l1.order = kAllDims;
  }
  // Array: no more rows (cols) than the largest extent of the dim spread over them (more would
  // always idle), than the template allows, and no more PEs than the area allows.
  const int64_t max_rows = std::clamp<int64_t>(p.max_extent[idx(g.row_dim)], 1, MAX_ARRAY_SIDE);
  const int64_t max_cols = std::clamp<int64_t>(p.max_extent[idx(g.col_dim)], 1, MAX_ARRAY_SIDE);
  g.rows = std::clamp<int64_t>(g.rows, 1, max_rows);
  g.cols = std::clamp<int64_t>(g.cols, 1, max_cols);
  if (g.rows * g.cols > p.pe_limit) {
    if (g.cols > p.pe_limit) g.cols = p.pe_limit;
    g.rows = std::max<int64_t>(1, std::min(g.rows, p.pe_limit / g.cols));
  }

  // Buffers sized to the largest need; shrink until every buffer is within the template's limits
  // (core/template_constants.h) and the area fits.
  auto buffer_max = [](int lv, int t) {
    return lv == 0 ? 2 * word_bytes(kAllTensors[t]) * MAX_L1_WORDS_PER_HALF
                   : 2 * MAX_L2_BYTES_PER_HALF;
  };
  std::vector<Needs> needs(n);
  HwConfig hw = to_hw(p, g);
  for (size_t i = 0; i < n; ++i) needs[i] = required_buffer_bytes(p.layers[i], hw, g.maps[i]);
  const double bit_um2 = 8.0 * p.tech.sram_um2_per_bit;
  for (int iter = 0;; ++iter) {
    std::array<std::array<int64_t, kNumTensors>, 2> mx{};
    std::array<std::array<size_t, kNumTensors>, 2> arg{};
    for (size_t i = 0; i < n; ++i)
      for (int lv = 0; lv < 2; ++lv)
        for (int t = 0; t < kNumTensors; ++t)
          if (needs[i][lv][t] > mx[lv][t]) {
            mx[lv][t] = needs[i][lv][t];
            arg[lv][t] = i;
          }
    g.l1_bytes = mx[0];
    g.l2_bytes = mx[1];
    hw = to_hw(p, g);
    bool over_limit = false;
    for (int lv = 0; lv < 2; ++lv)
      for (int t = 0; t < kNumTensors; ++t) over_limit |= mx[lv][t] > buffer_max(lv, t);
    const double area = area_of(hw, p.tech).total();
    if (!over_limit && area <= p.budget.area_um2) return true;

    // A buffer over the template's limit first; else the largest shrinkable contributor to the
    // area: the PE array, or one buffer (level, tensor).
    const double pes = double(g.rows * g.cols);
    double best = -1;
    int best_lv = -1, best_t = -1;  // -1: the PE array
    if (!over_limit && g.rows * g.cols > 1) best = pes * p.tech.mac_um2;
    Dim best_dim = Dim::N;
    for (int lv = 0; lv < 2; ++lv)
      for (int t = 0; t < kNumTensors; ++t) {
        if (over_limit && mx[lv][t] <= buffer_max(lv, t)) continue;
        const double c = (lv == 0 ? pes : 1.0) * double(mx[lv][t]) * bit_um2;
        if (c <= best) continue;
        const Mapping& m = g.maps[arg[lv][t]];
        const DimArray& tile = lv == 0 ? m.l1.tile : m.l2.tile;
        int64_t largest = 1;
        Dim dim = Dim::N;
        for (Dim d : kAllDims)
          if (relevant(kAllTensors[t], d) && tile[idx(d)] > largest) {
            largest = tile[idx(d)];
            dim = d;
          }
        if (largest <= 1) continue;
        best = c;
        best_lv = lv;
        best_t = t;
        best_dim = dim;
      }
    if (best < 0) return false;  // nothing left to shrink
    if (best_lv < 0) {
      int64_t& v = g.rows >= g.cols ? g.rows : g.cols;
      v = std::max<int64_t>(1, v - std::max<int64_t>(1, v / 8));
      hw = to_hw(p, g);
      for (size_t i = 0; i < n; ++i) needs[i] = required_buffer_bytes(p.layers[i], hw, g.maps[i]);
    } else {
      const size_t li = arg[best_lv][best_t];
      Mapping& m = g.maps[li];
      const int d = idx(best_dim);
      if (best_lv == 0) {
        m.l1.tile[d] = shrink_tile(m.l1.tile[d]);
      } else {
        m.l2.tile[d] = shrink_tile(m.l2.tile[d]);
        m.l1.tile[d] = std::min(m.l1.tile[d], m.l2.tile[d]);
      }
      needs[li] = required_buffer_bytes(p.layers[li], hw, m);
    }
  }
}

bool is_legal(const Problem& p, const Genome& g) {
  Genome c = g;
  if (!repair(p, c)) return false;
  return c.same_design(g) && c.l1_bytes == g.l1_bytes && c.l2_bytes == g.l2_bytes &&
         genome_area_um2(p, g) <= p.budget.area_um2;
}

Expected<Problem> make_problem(std::string workload, std::vector<Layer> layers,
                               std::vector<int> layer_index, const Budget& budget,
                               const Tech& tech, Objective objective, bool par_rs) {
  if (layers.empty()) return Status::Error("search: no layers to search");
  Problem p;
  p.workload = std::move(workload);
  p.layers = std::move(layers);
  p.layer_index = std::move(layer_index);
  if (p.layer_index.size() != p.layers.size()) {
    p.layer_index.resize(p.layers.size());
    for (size_t i = 0; i < p.layers.size(); ++i) p.layer_index[i] = int(i);
  }
  p.budget = budget;
  p.tech = tech;
  p.objective = objective;
  // Capped before the conversion: a tiny MAC area would overflow int64 (the array is at most
  // MAX_ARRAY_SIDE^2 PEs anyway).
  const double pes = std::floor(budget.area_um2 / tech.mac_um2);
  const double max_pes = double(MAX_ARRAY_SIDE) * double(MAX_ARRAY_SIDE);
  p.pe_limit = std::max<int64_t>(1, int64_t(std::min(pes, max_pes)));
  p.max_extent.fill(1);
  for (const Layer& l : p.layers)
    for (int d = 0; d < kNumDims; ++d) p.max_extent[d] = std::max(p.max_extent[d], l.dims[d]);
  // Spatial candidates: DiGamma's {K, C, Y, X} plus N and G (batch, depthwise channels); R and S
  // only on request. Only dims with extent > 1 somewhere; at least two are always offered.
  const Dim pref[] = {Dim::K, Dim::C, Dim::Y, Dim::X, Dim::N, Dim::G, Dim::R, Dim::S};
  for (Dim d : pref) {
    const bool rs = d == Dim::R || d == Dim::S;
    if ((!rs || par_rs) && p.max_extent[idx(d)] > 1) p.par_dims.push_back(d);
  }
  for (Dim d : pref) {
    if (p.par_dims.size() >= 2) break;
    if (std::find(p.par_dims.begin(), p.par_dims.end(), d) == p.par_dims.end())
      p.par_dims.push_back(d);
  }
  // The smallest design must fit.
  Genome g;
  g.row_dim = p.par_dims[0];
  g.col_dim = p.par_dims[1];
  g.maps.resize(p.layers.size());
  if (!repair(p, g) || g.rows * g.cols != 1)
    return Status::Error("--budget: " + budget.name + " (" +
                         std::to_string(budget.area_um2 / 1e6) +
                         " mm2) is below the smallest design (allowed: at least " +
                         std::to_string(genome_area_um2(p, g) / 1e6) +
                         " mm2, the area of 1 PE with unit tiles)");
  // The budget's interfaces (bus width, DRAM bytes per cycle) must be within the template's
  // limits; repair keeps everything else there.
  if (Status s = validate(to_hw(p, g)); !s.ok())
    return Status::Error("--budget: " + budget.name + ": " + s.message());
  return p;
}

Key objective_key(const Fitness& f, Objective o) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  if (!f.feasible) return {inf, inf, inf};
  switch (o) {
    case Objective::Latency: return {f.cycles, f.energy_pj, f.area_um2};
    case Objective::Energy: return {f.energy_pj, f.cycles, f.area_um2};
    case Objective::Edp: return {f.edp(), f.cycles, f.area_um2};
    case Objective::Area: return {f.area_um2, f.cycles, f.energy_pj};
    case Objective::Pareto: return {f.cycles, f.energy_pj, f.area_um2};
  }
  return {inf, inf, inf};
}

double primary(const Fitness& f, Objective o) { return objective_key(f, o)[0]; }

}  // namespace af::search
