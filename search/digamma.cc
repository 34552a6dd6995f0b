// DiGamma (Kao et al., DATE 2022) on our template: GAMMA's generational GA with elitism and the
// domain-aware operators, plus the hardware (PE / cluster) mutation. Rates and order follow
// maestro-project/gamma src/GAMMA/gamma.py (docs/search.md section "Operators").
#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "search/digamma.h"
#include "search/genes.h"
#include "search/pareto.h"

namespace af::search {

using nlohmann::json;

DigammaOperators::DigammaOperators(const Problem& p, const DigammaOptions& o) : p_(p), o_(o) {
  for (const Layer& l : p.layers) active_.push_back(active_dims(l));
}

size_t DigammaOperators::pick_layer(const Fitness* parent, Rng& rng) const {
  const size_t n = p_.layers.size();
  if (n == 1) return 0;
  if (!o_.weighted_layers || parent == nullptr || !parent->feasible ||
      parent->layer_cycles.size() != n || p_.objective == Objective::Area)
    return rng.index(n);
  // Half uniform, half proportional to the layer's share of the objective.
  const bool use_c = p_.objective != Objective::Energy;
  const bool use_e = p_.objective != Objective::Latency;
  double w_total = 0;
  std::vector<double> w(n);
  for (size_t i = 0; i < n; ++i) {
    double share = 0;
    if (use_c) share += double(parent->layer_cycles[i]) / std::max(1.0, parent->cycles);
    if (use_e) share += parent->layer_energy_pj[i] / std::max(1e-30, parent->energy_pj);
    if (use_c && use_e) share *= 0.5;
    w[i] = 0.5 / double(n) + 0.5 * share;
    w_total += w[i];
  }
  double r = rng.uniform01() * w_total;
  for (size_t i = 0; i < n; ++i) {
    if (r < w[i]) return i;
    r -= w[i];
  }
  return n - 1;
}

void DigammaOperators::crossover(Genome& a, Genome& b, size_t layer, Rng& rng) const {
  const auto& act = active_[layer];
  if (act.empty()) return;
  const int d = idx(act[rng.index(act.size())]);
  Mapping& ma = a.maps[layer];
  Mapping& mb = b.maps[layer];
  std::swap(ma.l2.tile[d], mb.l2.tile[d]);
  std::swap(ma.l1.tile[d], mb.l1.tile[d]);
}

void DigammaOperators::reorder(Genome& g, size_t layer, Rng& rng) const {
  LevelMapping& lv = rng.chance(0.5) ? g.maps[layer].l2 : g.maps[layer].l1;
  const auto& act = active_[layer];
  // Positions of the active dims (loops with one iteration are irrelevant to the order).
  int pos[kNumDims];
  int n = 0;
  for (int i = 0; i < kNumDims; ++i)
    if (p_.layers[layer][lv.order[i]] > 1) pos[n++] = i;
  (void)act;
  if (n < 2) return;
  const int a = int(rng.index(size_t(n)));
  int b = int(rng.index(size_t(n - 1)));
  if (b >= a) ++b;
  std::swap(lv.order[pos[a]], lv.order[pos[b]]);
}

void DigammaOperators::set_cluster(Genome& g, size_t layer, Rng& rng) const {
  const int64_t pes = g.rows * g.cols;
  const int64_t parent = g.maps[layer].l2.tile[idx(g.col_dim)];
  const auto f = divisors(std::max<int64_t>(1, std::min(parent, pes)));
  g.cols = f[rng.index(f.size())];
  g.rows = std::max<int64_t>(1, pes / g.cols);
}

void DigammaOperators::mutate_tile(Genome& g, size_t layer, Rng& rng) const {
  const auto& act = active_[layer];
  const size_t genes = 2 + 2 * act.size();
  const size_t k = rng.index(genes);
  if (k < 2) {
    // Level header: a new spatial dim for the level; the inner level also draws a new cluster
    // size, a factor of min(parent tile, #PEs); the outer level keeps the PE count.
    const Dim d = p_.par_dims[rng.index(p_.par_dims.size())];
    Dim& mine = k == 0 ? g.row_dim : g.col_dim;
    Dim& other = k == 0 ? g.col_dim : g.row_dim;
    if (d == other) other = mine;
    mine = d;
    if (k == 1) set_cluster(g, layer, rng);
    return;
  }
  const int d = idx(act[(k - 2) / 2]);
  Mapping& m = g.maps[layer];
  const int64_t ext = p_.layers[layer].dims[d];
  // Spatial spread of this dim (1 for temporal dims).
  const int64_t spread = Dim(d) == g.row_dim ? g.rows : Dim(d) == g.col_dim ? g.cols : 1;
  const bool align = spread > 1 && rng.chance(o_.align_rate);
  const bool factor = !align && rng.chance(o_.factor_rate);
  if ((k - 2) % 2 == 0) {
    if (align) {  // a multiple of one array step (or the whole extent)
      const int64_t step = spread * m.l1.tile[d];
      const int64_t kmax = (ext + step - 1) / step;
      m.l2.tile[d] = std::min(ext, step * rng.uniform(1, kmax));
    } else if (factor) {
      const auto f = divisors(ext);
      m.l2.tile[d] = f[rng.index(f.size())];
    } else {
      m.l2.tile[d] = rng.uniform(1, ext);
    }
    m.l1.tile[d] = std::min(m.l1.tile[d], m.l2.tile[d]);
  } else {
    if (align) {  // every row (col) of the array gets work
      m.l1.tile[d] = rng.uniform(1, std::max<int64_t>(1, m.l2.tile[d] / spread));
    } else if (factor) {
      const auto f = divisors(m.l2.tile[d]);
      m.l1.tile[d] = f[rng.index(f.size())];
    } else {
      m.l1.tile[d] = rng.uniform(1, m.l2.tile[d]);
    }
  }
}

void DigammaOperators::mutate_pe(Genome& g, Rng& rng) const {
  // #clusters (rows) from the upper half of the range that can still be kept busy: no more rows
  // than L2 tile / L1 tile along row_dim (max over layers), within the PE limit.
  const int r = idx(g.row_dim);
  int64_t busy = 1;
  for (const Mapping& m : g.maps)
    busy = std::max(busy, (m.l2.tile[r] + m.l1.tile[r] - 1) / m.l1.tile[r]);
  const int64_t M = std::max<int64_t>(1, std::min(p_.pe_limit / std::max<int64_t>(1, g.cols), busy));
  g.rows = rng.uniform(std::max<int64_t>(1, M / 2), M);
}

void DigammaOperators::level_swap(Genome& g) const { std::swap(g.row_dim, g.col_dim); }

void DigammaOperators::growth(Genome& g, Rng& rng) const {
  if (g.cols != 1) return;  // already two levels
  std::vector<Dim> cand;
  for (Dim d : p_.par_dims)
    if (d != g.row_dim) cand.push_back(d);
  if (cand.empty()) return;
  const Dim d = cand[rng.index(cand.size())];
  const auto f = divisors(std::max<int64_t>(1, std::min(g.rows, p_.max_extent[idx(d)])));
  const int64_t c = f[rng.index(f.size())];
  g.col_dim = d;
  g.cols = c;
  g.rows = std::max<int64_t>(1, g.rows / c);
  for (Mapping& m : g.maps) m.l1.tile[idx(d)] = 1;  // the new level starts with unit tiles
}

void DigammaOperators::aging(Genome& g) const {
  if (g.cols == 1) return;  // a single level already
  g.rows *= g.cols;
  g.cols = 1;
}

void DigammaOperators::layer_crossover(Genome& a, const Fitness& fa, const Genome& b,
                                       const Fitness& fb) const {
  const size_t n = p_.layers.size();
  if (!fa.feasible || !fb.feasible || fa.layer_cycles.size() != n || fb.layer_cycles.size() != n)
    return;
  for (size_t i = 0; i < n; ++i) {
    double ca = double(fa.layer_cycles[i]) / fa.cycles, cb = double(fb.layer_cycles[i]) / fb.cycles;
    double ea = fa.layer_energy_pj[i] / fa.energy_pj, eb = fb.layer_energy_pj[i] / fb.energy_pj;
    double va, vb;
    switch (p_.objective) {
      case Objective::Latency: va = double(fa.layer_cycles[i]); vb = double(fb.layer_cycles[i]); break;
      case Objective::Energy: va = fa.layer_energy_pj[i]; vb = fb.layer_energy_pj[i]; break;
      default: va = ca + ea; vb = cb + eb; break;
    }
    if (vb < va) a.maps[i] = b.maps[i];
  }
}

// ---- the GA ---------------------------------------------------------------------------------

Digamma::Digamma(const Problem& p, const DigammaOptions& o, uint64_t seed)
    : p_(p), o_(o), ops_(p, o), rng_(seed) {
  o_.pop = std::max(2, o_.pop);
}

int Digamma::num_elites() const { return std::max(1, int(o_.pop * o_.elite_ratio)); }
int Digamma::num_parents() const {
  return std::max({2, num_elites(), int(o_.pop * o_.parents_ratio)});
}

std::vector<Genome> Digamma::ask(int64_t max_count) {
  const size_t count = size_t(std::min<int64_t>(o_.pop, std::max<int64_t>(1, max_count)));
  std::vector<Genome> out;
  if (parents_.empty()) {  // first generation (or a restart)
    for (size_t i = 0; i < count; ++i)
      out.push_back(int(i) < o_.unit_seeds ? unit_genome(p_, rng_) : random_genome(p_, rng_));
    return out;
  }
  // Crossover: pairs of distinct parents; children replace the population.
  std::vector<size_t> from;
  const size_t np = parents_.size();
  while (out.size() < count) {
    const size_t a = rng_.index(np);
    size_t b = rng_.index(np - 1);
    if (b >= a) ++b;
    Genome c1 = parents_[a].first, c2 = parents_[b].first;
    if (p_.layers.size() > 1 && rng_.chance(o_.layer_crossover_rate)) {
      ops_.layer_crossover(c1, parents_[a].second, parents_[b].first, parents_[b].second);
    } else if (o_.crossover && rng_.chance(o_.crossover_rate)) {
      const size_t layer = ops_.pick_layer(&parents_[a].second, rng_);
      ops_.crossover(c1, c2, layer, rng_);
    }
    out.push_back(std::move(c1));
    from.push_back(a);
    if (out.size() < count) {
      out.push_back(std::move(c2));
      from.push_back(b);
    }
  }
  auto fit = [&](size_t i) { return &parents_[from[i]].second; };
  // Reorder: `pop` trials on random children.
  if (o_.reorder)
    for (int t = 0; t < o_.pop; ++t)
      if (rng_.chance(o_.reorder_rate)) {
        const size_t i = rng_.index(out.size());
        ops_.reorder(out[i], ops_.pick_layer(fit(i), rng_), rng_);
      }
  // Tile / parallel-dim mutation: tile_trials trials per child.
  if (o_.tile)
    for (size_t i = 0; i < out.size(); ++i)
      for (int t = 0; t < o_.tile_trials; ++t)
        if (rng_.chance(o_.tile_rate)) ops_.mutate_tile(out[i], ops_.pick_layer(fit(i), rng_), rng_);
  // Hardware: PE / cluster mutation (always in the first bred generation, then at pe_rate).
  if (o_.pe) {
    const double rate = gen_ <= 1 ? o_.pe_rate_first : o_.pe_rate;
    for (auto& g : out)
      if (rng_.chance(rate)) ops_.mutate_pe(g, rng_);
  }
  if (o_.level_swap)
    for (auto& g : out)
      if (rng_.chance(o_.level_swap_rate)) ops_.level_swap(g);
  if (o_.growth)
    for (auto& g : out)
      if (rng_.chance(o_.growth_rate)) ops_.growth(g, rng_);
  if (o_.aging)
    for (auto& g : out)
      if (rng_.chance(o_.aging_rate)) ops_.aging(g);
  for (auto& g : out) repair(p_, g);
  return out;
}

void Digamma::tell(const std::vector<Genome>& xs, const std::vector<Fitness>& fs) {
  // Pool = this generation's children + the elites of the last one (carried with their fitness:
  // the model is deterministic, so re-evaluating them, as gamma.py does, would only spend budget).
  std::vector<std::pair<Genome, Fitness>> pool;
  const size_t ne = std::min(parents_.size(), size_t(num_elites()));
  for (size_t i = 0; i < ne; ++i) pool.push_back(parents_[i]);
  for (size_t i = 0; i < xs.size(); ++i) pool.emplace_back(xs[i], fs[i]);
  std::vector<Fitness> pf;
  for (auto& e : pool) pf.push_back(e.second);
  const auto order = rank_order(pf, p_.objective);
  // Rank, drop duplicates and infeasible points, keep the parents.
  std::vector<std::pair<Genome, Fitness>> next;
  std::vector<uint64_t> hashes;
  for (size_t k : order) {
    if (!pool[k].second.feasible) break;
    const uint64_t h = pool[k].first.hash();
    bool dup = false;
    for (size_t j = 0; j < next.size() && !dup; ++j)
      dup = hashes[j] == h && next[j].first.same_design(pool[k].first);
    if (dup) continue;
    next.push_back(pool[k]);
    hashes.push_back(h);
    if (int(next.size()) >= num_parents()) break;
  }
  // One parent cannot breed with itself under distinct-pair crossover; keep it and draw a second
  // at random next time by restarting if nothing feasible is left.
  if (next.size() == 1) next.push_back(next[0]);
  parents_.swap(next);
  ++gen_;
}

void Digamma::save(json& out) const {
  out["gen"] = gen_;
  out["rng"] = rng_to_json(rng_);
  json ps = json::array();
  for (const auto& [g, f] : parents_) ps.push_back(json{{"g", genome_to_json(g)}, {"f", fitness_to_json(f)}});
  out["parents"] = ps;
}

Status Digamma::load(const json& in) {
  try {
    gen_ = in.at("gen").get<int64_t>();
    rng_from_json(in.at("rng"), rng_);
    parents_.clear();
    for (const json& e : in.at("parents")) {
      auto g = genome_from_json(e.at("g"), p_);
      if (!g.ok()) return g.status();
      parents_.emplace_back(std::move(g).value(), fitness_from_json(e.at("f")));
    }
  } catch (const json::exception& e) {
    return Status::Error(std::string("checkpoint: digamma state: ") + e.what());
  }
  return Status();
}

}  // namespace af::search
