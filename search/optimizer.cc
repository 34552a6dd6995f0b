#include "search/optimizer.h"

#include <cmath>
#include <cstdlib>
#include <sstream>

#include "core/io.h"
#include "search/baselines.h"
#include "search/digamma.h"
#include "search/exhaustive.h"

namespace af::search {

const std::vector<std::string>& algo_names() {
  static const std::vector<std::string> names = {"digamma", "random", "stdga",
                                                 "sa",      "de",     "exhaustive"};
  return names;
}

Expected<std::unique_ptr<Optimizer>> make_optimizer(const std::string& algo, const Problem& p,
                                                    const AlgoOptions& o, uint64_t seed,
                                                    int64_t budget) {
  std::unique_ptr<Optimizer> opt;
  if (algo == "digamma") {
    opt = std::make_unique<Digamma>(p, o.digamma, seed);
  } else if (algo == "random") {
    opt = std::make_unique<RandomSearch>(p, o.random_batch, seed);
  } else if (algo == "stdga") {
    opt = std::make_unique<StandardGa>(p, o, seed);
  } else if (algo == "sa") {
    opt = std::make_unique<SimulatedAnnealing>(p, o, seed, budget);
  } else if (algo == "de") {
    opt = std::make_unique<DifferentialEvolution>(p, o, seed);
  } else if (algo == "exhaustive") {
    const double size = exhaustive_space_size(p);
    if (size > o.exhaustive_max_points) {
      std::ostringstream s;
      s << "--algo: exhaustive: the space has " << size << " points, more than the limit of "
        << o.exhaustive_max_points << " (use a smaller layer or another algorithm)";
      return Status::Error(s.str());
    }
    opt = std::make_unique<Exhaustive>(p);
  } else {
    return Status::Error("--algo: unknown '" + algo +
                         "' (allowed: digamma, random, stdga, sa, de, exhaustive)");
  }
  return opt;
}

Status apply_ops_spec(const std::string& spec, DigammaOptions& o) {
  std::stringstream ss(spec);
  std::string item;
  while (std::getline(ss, item, ',')) {
    if (item.empty()) continue;
    const auto bad = [&](const std::string& why) {
      return Status::Error("--ops: '" + item + "': " + why +
                           " (allowed: +op/-op for crossover, reorder, tile, pe, level_swap, "
                           "growth, aging, weighted; op=rate; pop=, elite=, parents=, "
                           "tile_trials=, pe_first=, unit_seeds=, factor=, align=, "
                           "layer_crossover=; reference; default)");
    };
    struct Op {
      const char* name;
      bool* on;
      double* rate;
    };
    Op ops[] = {{"crossover", &o.crossover, &o.crossover_rate},
                {"reorder", &o.reorder, &o.reorder_rate},
                {"tile", &o.tile, &o.tile_rate},
                {"pe", &o.pe, &o.pe_rate},
                {"level_swap", &o.level_swap, &o.level_swap_rate},
                {"growth", &o.growth, &o.growth_rate},
                {"aging", &o.aging, &o.aging_rate},
                {"weighted", &o.weighted_layers, nullptr}};
    if (item == "reference") {
      const int pop = o.pop;
      o = DigammaOptions{};
      o.pop = pop;
      o.level_swap = o.growth = o.aging = o.weighted_layers = false;
      o.factor_rate = o.align_rate = o.layer_crossover_rate = 0;
      continue;
    }
    if (item == "default") {
      const int pop = o.pop;
      o = DigammaOptions{};
      o.pop = pop;
      continue;
    }
    if (item[0] == '+' || item[0] == '-') {
      const std::string name = item.substr(1);
      bool found = false;
      for (auto& op : ops)
        if (name == op.name) {
          *op.on = item[0] == '+';
          found = true;
        }
      if (!found) return bad("unknown operator");
      continue;
    }
    const auto eq = item.find('=');
    if (eq == std::string::npos) return bad("expected +op, -op or name=value");
    const std::string name = item.substr(0, eq), val = item.substr(eq + 1);
    double v = 0;
    if (!parse_number(val, &v) || v < 0) return bad("not a non-negative number");
    const bool integer = v == std::floor(v);
    bool found = false;
    for (auto& op : ops)
      if (name == op.name && op.rate) {
        if (v > 1) return bad("a rate must be in [0, 1]");
        *op.rate = v;
        *op.on = v > 0;
        found = true;
      }
    if (found) continue;
    if ((name == "pop" || name == "tile_trials" || name == "unit_seeds") && !integer)
      return bad("not an integer");
    if (name == "pop" && v >= 2 && v <= 100000) o.pop = int(v);
    else if (name == "elite" && v <= 1) o.elite_ratio = v;
    else if (name == "parents" && v > 0 && v <= 1) o.parents_ratio = v;
    else if (name == "tile_trials" && v <= 1000) o.tile_trials = int(v);
    else if (name == "pe_first" && v <= 1) o.pe_rate_first = v;
    else if (name == "unit_seeds" && v <= 1000) o.unit_seeds = int(v);
    else if (name == "factor" && v <= 1) o.factor_rate = v;
    else if (name == "align" && v <= 1) o.align_rate = v;
    else if (name == "layer_crossover" && v <= 1) o.layer_crossover_rate = v;
    else return bad("unknown name or value out of range");
  }
  return Status();
}

std::string ops_summary(const DigammaOptions& o) {
  std::ostringstream s;
  auto op = [&](const char* n, bool on, double r) {
    s << n << '=' << (on ? r : 0.0) << ' ';
  };
  s << "pop=" << o.pop << " elite=" << o.elite_ratio << " parents=" << o.parents_ratio << ' ';
  op("crossover", o.crossover, o.crossover_rate);
  op("reorder", o.reorder, o.reorder_rate);
  op("tile", o.tile, o.tile_rate);
  s << "tile_trials=" << o.tile_trials << ' ';
  op("pe", o.pe, o.pe_rate);
  op("level_swap", o.level_swap, o.level_swap_rate);
  op("growth", o.growth, o.growth_rate);
  op("aging", o.aging, o.aging_rate);
  s << "weighted=" << (o.weighted_layers ? 1 : 0) << " factor=" << o.factor_rate
    << " align=" << o.align_rate << " layer_crossover=" << o.layer_crossover_rate;
  return s.str();
}

}  // namespace af::search
