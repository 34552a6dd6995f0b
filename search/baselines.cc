// Baselines on the same genome, the same repair and the same evaluation accounting as DiGamma:
// random search, a standard GA (tournament selection, uniform crossover, random-reset mutation),
// simulated annealing and differential evolution (DE/rand/1/bin on a [0,1) encoding).
#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <numeric>

#include "search/baselines.h"
#include "search/genes.h"
#include "search/pareto.h"

namespace af::search {

using nlohmann::json;

namespace {
// Log-sum scalarization used where a baseline needs one number in Pareto mode.
double scalar(const Fitness& f, Objective o) {
  if (!f.feasible) return std::numeric_limits<double>::infinity();
  if (o == Objective::Pareto) return std::log(f.cycles) + std::log(f.energy_pj) + std::log(f.area_um2);
  return std::log(primary(f, o));
}
// a no worse than b (ties count as no worse).
bool no_worse(const Fitness& a, const Fitness& b, Objective o) {
  if (!a.feasible) return !b.feasible;
  if (!b.feasible) return true;
  if (o == Objective::Pareto) {
    const Point pa = pareto_point(a), pb = pareto_point(b);
    if (dominates(pa, pb)) return true;
    if (dominates(pb, pa)) return false;
    return scalar(a, o) <= scalar(b, o);
  }
  return objective_key(a, o) <= objective_key(b, o);
}

json pop_to_json(const std::vector<Genome>& gs, const std::vector<Fitness>& fs) {
  json a = json::array();
  for (size_t i = 0; i < gs.size(); ++i)
    a.push_back(json{{"g", genome_to_json(gs[i])}, {"f", fitness_to_json(fs[i])}});
  return a;
}
Status pop_from_json(const json& a, const Problem& p, std::vector<Genome>& gs,
                     std::vector<Fitness>& fs) {
  gs.clear();
  fs.clear();
  for (const json& e : a) {
    auto g = genome_from_json(e.at("g"), p);
    if (!g.ok()) return g.status();
    gs.push_back(std::move(g).value());
    fs.push_back(fitness_from_json(e.at("f")));
  }
  return Status();
}
}  // namespace

// ---- random search ---------------------------------------------------------------------------

std::vector<Genome> RandomSearch::ask(int64_t max_count) {
  std::vector<Genome> out;
  const int64_t n = std::min<int64_t>(batch_, std::max<int64_t>(1, max_count));
  for (int64_t i = 0; i < n; ++i) out.push_back(random_genome(p_, rng_));
  return out;
}
void RandomSearch::save(json& out) const { out["rng"] = rng_to_json(rng_); }
Status RandomSearch::load(const json& in) {
  try {
    rng_from_json(in.at("rng"), rng_);
  } catch (const json::exception& e) {
    return Status::Error(std::string("checkpoint: random state: ") + e.what());
  }
  return Status();
}

// ---- standard GA -----------------------------------------------------------------------------

StandardGa::StandardGa(const Problem& p, const AlgoOptions& o, uint64_t seed)
    : p_(p), o_(o), genes_(p), rng_(seed) {
  o_.pop = std::max(2, o_.pop);
}

size_t StandardGa::tournament() {
  // Population is kept ranked best-first, so the smaller index wins.
  size_t best = rng_.index(pop_.size());
  for (int i = 1; i < o_.ga_tournament; ++i) best = std::min(best, rng_.index(pop_.size()));
  return best;
}

std::vector<Genome> StandardGa::ask(int64_t max_count) {
  const size_t count = size_t(std::min<int64_t>(o_.pop, std::max<int64_t>(1, max_count)));
  std::vector<Genome> out;
  if (pop_.empty()) {
    for (size_t i = 0; i < count; ++i) out.push_back(random_genome(p_, rng_));
    return out;
  }
  const double pm = 1.0 / double(genes_.size());
  while (out.size() < count) {
    Genome a = pop_[tournament()];
    const Genome& b = pop_[tournament()];
    if (rng_.chance(o_.ga_crossover_rate))
      for (size_t k = 0; k < genes_.size(); ++k)
        if (rng_.chance(0.5)) genes_.copy(a, b, k);
    for (size_t k = 0; k < genes_.size(); ++k)
      if (rng_.chance(pm)) genes_.reset(a, k, rng_);
    repair(p_, a);
    out.push_back(std::move(a));
  }
  return out;
}

void StandardGa::tell(const std::vector<Genome>& xs, const std::vector<Fitness>& fs) {
  // Generational replacement with one elite.
  std::vector<Genome> g;
  std::vector<Fitness> f;
  if (!pop_.empty()) {
    g.push_back(pop_[0]);
    f.push_back(fit_[0]);
  }
  g.insert(g.end(), xs.begin(), xs.end());
  f.insert(f.end(), fs.begin(), fs.end());
  const auto order = rank_order(f, p_.objective);
  pop_.clear();
  fit_.clear();
  for (size_t k : order) {
    if (!f[k].feasible || int(pop_.size()) >= o_.pop) break;
    pop_.push_back(g[k]);
    fit_.push_back(f[k]);
  }
}

void StandardGa::save(json& out) const {
  out["rng"] = rng_to_json(rng_);
  out["pop"] = pop_to_json(pop_, fit_);
}
Status StandardGa::load(const json& in) {
  try {
    rng_from_json(in.at("rng"), rng_);
    return pop_from_json(in.at("pop"), p_, pop_, fit_);
  } catch (const json::exception& e) {
    return Status::Error(std::string("checkpoint: stdga state: ") + e.what());
  }
}

// ---- simulated annealing ---------------------------------------------------------------------

SimulatedAnnealing::SimulatedAnnealing(const Problem& p, const AlgoOptions& o, uint64_t seed,
                                       int64_t budget)
    : p_(p), o_(o), genes_(p), rng_(seed), budget_(std::max<int64_t>(1, budget)) {}

std::vector<Genome> SimulatedAnnealing::ask(int64_t) {
  if (!has_cur_) return {random_genome(p_, rng_)};
  Genome n = cur_;
  // One random gene reset, a second one with probability 1/2.
  genes_.reset(n, rng_.index(genes_.size()), rng_);
  if (rng_.chance(0.5)) genes_.reset(n, rng_.index(genes_.size()), rng_);
  repair(p_, n);
  return {n};
}

void SimulatedAnnealing::tell(const std::vector<Genome>& xs, const std::vector<Fitness>& fs) {
  for (size_t i = 0; i < xs.size(); ++i) {
    ++steps_;
    if (!fs[i].feasible) continue;
    if (!has_cur_) {
      cur_ = xs[i];
      cur_f_ = fs[i];
      has_cur_ = true;
      continue;
    }
    const double t = o_.sa_t0 * std::pow(o_.sa_t1 / o_.sa_t0, double(steps_) / double(budget_));
    const double delta = scalar(fs[i], p_.objective) - scalar(cur_f_, p_.objective);
    if (delta <= 0 || rng_.uniform01() < std::exp(-delta / t)) {
      cur_ = xs[i];
      cur_f_ = fs[i];
    }
  }
}

void SimulatedAnnealing::save(json& out) const {
  out["rng"] = rng_to_json(rng_);
  out["steps"] = steps_;
  out["has_cur"] = has_cur_;
  if (has_cur_) {
    out["cur"] = genome_to_json(cur_);
    out["cur_f"] = fitness_to_json(cur_f_);
  }
}
Status SimulatedAnnealing::load(const json& in) {
  try {
    rng_from_json(in.at("rng"), rng_);
    steps_ = in.at("steps").get<int64_t>();
    has_cur_ = in.at("has_cur").get<bool>();
    if (has_cur_) {
      auto g = genome_from_json(in.at("cur"), p_);
      if (!g.ok()) return g.status();
      cur_ = std::move(g).value();
      cur_f_ = fitness_from_json(in.at("cur_f"));
    }
  } catch (const json::exception& e) {
    return Status::Error(std::string("checkpoint: sa state: ") + e.what());
  }
  return Status();
}

// ---- differential evolution ------------------------------------------------------------------

DifferentialEvolution::DifferentialEvolution(const Problem& p, const AlgoOptions& o, uint64_t seed)
    : p_(p), o_(o), rng_(seed) {
  o_.pop = std::max(4, o_.pop);
  dim_ = 4 + 32 * p.layers.size();
}

namespace {
int64_t from_unit(double u, int64_t n) {  // [0,1) -> [1, n]
  return std::clamp<int64_t>(1 + int64_t(std::floor(u * double(n))), 1, std::max<int64_t>(1, n));
}
double to_unit(int64_t v, int64_t n) { return (double(v) - 0.5) / double(std::max<int64_t>(1, n)); }
}  // namespace

Genome DifferentialEvolution::decode(const std::vector<double>& x) const {
  Genome g;
  const size_t nd = p_.par_dims.size();
  const size_t a = std::min(nd - 1, size_t(x[2] * double(nd)));
  size_t b = std::min(nd - 1, size_t(x[3] * double(nd)));
  if (b == a) b = (a + 1) % nd;
  g.row_dim = p_.par_dims[a];
  g.col_dim = p_.par_dims[b];
  g.rows = from_unit(x[0], std::min(p_.max_extent[idx(g.row_dim)], p_.pe_limit));
  g.cols = from_unit(x[1], std::min(p_.max_extent[idx(g.col_dim)], p_.pe_limit));
  g.maps.resize(p_.layers.size());
  for (size_t i = 0; i < p_.layers.size(); ++i) {
    const double* v = &x[4 + 32 * i];
    Mapping& m = g.maps[i];
    for (int d = 0; d < kNumDims; ++d) {
      m.l2.tile[d] = from_unit(v[d], p_.layers[i].dims[d]);
      m.l1.tile[d] = from_unit(v[8 + d], m.l2.tile[d]);
    }
    for (int lv = 0; lv < 2; ++lv) {
      const double* key = v + 16 + 8 * lv;
      std::array<int, kNumDims> o;
      std::iota(o.begin(), o.end(), 0);
      std::stable_sort(o.begin(), o.end(), [&](int p1, int p2) { return key[p1] < key[p2]; });
      DimOrder& order = lv == 0 ? m.l2.order : m.l1.order;
      for (int k = 0; k < kNumDims; ++k) order[k] = Dim(o[k]);
    }
  }
  repair(p_, g);
  return g;
}

void DifferentialEvolution::encode(const Genome& g, std::vector<double>& x) const {
  // Lamarckian write-back of the repaired genes; order keys are kept (repair never reorders).
  const size_t nd = p_.par_dims.size();
  auto pos = [&](Dim d) {
    return double(std::find(p_.par_dims.begin(), p_.par_dims.end(), d) - p_.par_dims.begin());
  };
  x[2] = (pos(g.row_dim) + 0.5) / double(nd);
  x[3] = (pos(g.col_dim) + 0.5) / double(nd);
  x[0] = to_unit(g.rows, std::min(p_.max_extent[idx(g.row_dim)], p_.pe_limit));
  x[1] = to_unit(g.cols, std::min(p_.max_extent[idx(g.col_dim)], p_.pe_limit));
  for (size_t i = 0; i < p_.layers.size(); ++i) {
    double* v = &x[4 + 32 * i];
    for (int d = 0; d < kNumDims; ++d) {
      v[d] = to_unit(g.maps[i].l2.tile[d], p_.layers[i].dims[d]);
      v[8 + d] = to_unit(g.maps[i].l1.tile[d], g.maps[i].l2.tile[d]);
    }
  }
}

std::vector<Genome> DifferentialEvolution::ask(int64_t max_count) {
  const size_t count = size_t(std::min<int64_t>(o_.pop, std::max<int64_t>(1, max_count)));
  std::vector<Genome> out;
  trials_.clear();
  if (pop_.empty()) {
    for (size_t i = 0; i < count; ++i) {
      std::vector<double> x(dim_);
      for (double& u : x) u = rng_.uniform01();
      Genome g = decode(x);
      encode(g, x);
      trials_.push_back(std::move(x));
      out.push_back(std::move(g));
    }
    return out;
  }
  const size_t np = pop_.size();
  for (size_t i = 0; i < count; ++i) {
    const size_t target = (next_target_ + i) % np;
    size_t r[3];
    for (int k = 0; k < 3; ++k) {
      do r[k] = rng_.index(np);
      while ((np > 4 && r[k] == target) || (k > 0 && np > 4 && r[k] == r[0]) ||
             (k > 1 && np > 4 && r[k] == r[1]));
    }
    std::vector<double> u = pop_[target];
    const size_t jrand = rng_.index(dim_);
    for (size_t j = 0; j < dim_; ++j)
      if (j == jrand || rng_.chance(o_.de_cr)) {
        double v = pop_[r[0]][j] + o_.de_f * (pop_[r[1]][j] - pop_[r[2]][j]);
        if (v < 0) v = -v;  // reflect into [0, 1)
        if (v >= 1) v = 2 - v;
        u[j] = std::clamp(v, 0.0, 0x1.fffffffffffffp-1);
      }
    Genome g = decode(u);
    encode(g, u);
    trials_.push_back(std::move(u));
    out.push_back(std::move(g));
  }
  return out;
}

void DifferentialEvolution::tell(const std::vector<Genome>&, const std::vector<Fitness>& fs) {
  if (pop_.empty()) {
    for (size_t i = 0; i < fs.size(); ++i) {
      pop_.push_back(trials_[i]);
      fit_.push_back(fs[i]);
    }
    if (int(pop_.size()) < o_.pop) {  // a truncated first generation: keep asking for more
      // (only happens when the whole budget is smaller than the population)
    }
    return;
  }
  const size_t np = pop_.size();
  for (size_t i = 0; i < fs.size(); ++i) {
    const size_t target = (next_target_ + i) % np;
    if (no_worse(fs[i], fit_[target], p_.objective)) {
      pop_[target] = trials_[i];
      fit_[target] = fs[i];
    }
  }
  next_target_ = (next_target_ + fs.size()) % np;
}

void DifferentialEvolution::save(json& out) const {
  out["rng"] = rng_to_json(rng_);
  out["next_target"] = next_target_;
  json pop = json::array();
  for (size_t i = 0; i < pop_.size(); ++i)
    pop.push_back(json{{"x", pop_[i]}, {"f", fitness_to_json(fit_[i])}});
  out["pop"] = pop;
}
Status DifferentialEvolution::load(const json& in) {
  try {
    rng_from_json(in.at("rng"), rng_);
    next_target_ = in.at("next_target").get<size_t>();
    pop_.clear();
    fit_.clear();
    for (const json& e : in.at("pop")) {
      pop_.push_back(e.at("x").get<std::vector<double>>());
      if (pop_.back().size() != dim_) return Status::Error("checkpoint: de: wrong vector size");
      fit_.push_back(fitness_from_json(e.at("f")));
    }
  } catch (const json::exception& e) {
    return Status::Error(std::string("checkpoint: de state: ") + e.what());
  }
  return Status();
}

}  // namespace af::search
