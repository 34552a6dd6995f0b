// Search benchmarks (Google Benchmark). Not tests: run by hand, figures in docs/search.md.
//   build-search/bench/search_bench --benchmark_filter=Model     # resnet18 model mode timing
//   build-search/bench/search_bench --benchmark_filter=Exhaustive  # DiGamma vs exhaustive optimum
#include <benchmark/benchmark.h>

#include <algorithm>
#include <map>

#include "core/zoo.h"
#include "search/driver.h"
#include "search/evaluator.h"
#include "search/genes.h"

namespace af::search {
namespace {

SearchSpec model_spec(const std::string& name, const std::string& budget) {
  SearchSpec s;
  const Workload w = *zoo_model(name);
  s.workload = name;
  s.layers = w.layers;
  for (size_t i = 0; i < w.layers.size(); ++i) s.layer_index.push_back(int(i));
  s.mode = Mode::Model;
  s.budget = *parse_budget(budget);
  return s;
}

// Cost of one genome evaluation of the whole resnet18 (21 cost-model calls) on one thread.
void BM_EvaluateGenomeResnet18(benchmark::State& state) {
  const SearchSpec s = model_spec("resnet18", "edge");
  auto p = make_problem(s.workload, s.layers, s.layer_index, s.budget, s.tech, s.objective);
  Rng rng(1);
  std::vector<Genome> gs;
  for (int i = 0; i < 64; ++i) gs.push_back(random_genome(*p, rng));
  size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(evaluate_genome(*p, gs[i++ % gs.size()]));
  state.counters["layer_evals_per_s"] =
      benchmark::Counter(double(state.iterations() * s.layers.size()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_EvaluateGenomeResnet18)->Unit(benchmark::kMicrosecond);

// Search overhead without the cost model's evaluation: random genome + repair (model mode).
void BM_RandomGenomeRepairResnet18(benchmark::State& state) {
  const SearchSpec s = model_spec("resnet18", "edge");
  auto p = make_problem(s.workload, s.layers, s.layer_index, s.budget, s.tech, s.objective);
  Rng rng(1);
  for (auto _ : state) benchmark::DoNotOptimize(random_genome(*p, rng));
}
BENCHMARK(BM_RandomGenomeRepairResnet18)->Unit(benchmark::kMicrosecond);

// The timing target: model-mode search of resnet18 at N evaluations per layer (each
// evaluation of a whole-model design evaluates every layer once) on one thread.
void BM_SearchModelResnet18(benchmark::State& state) {
  const SearchSpec s = model_spec("resnet18", "edge");
  RunOptions o;
  o.evals = state.range(0);
  o.threads = 1;
  // Second argument: 1 = the evaluator's cache of repeated layer evaluations (the default), 0 = off.
  o.eval_cache_entries = state.range(1) ? Evaluator::kDefaultCacheEntries : 0;
  double cycles = 0, secs = 0;
  for (auto _ : state) {
    auto out = run_search(s, o);
    cycles = out->results[0].top[0].fitness.cycles;
    secs = out->seconds;
  }
  state.counters["layers"] = double(s.layers.size());
  state.counters["s_per_layer"] = secs / double(s.layers.size());
  state.counters["best_cycles"] = cycles;
}
BENCHMARK(BM_SearchModelResnet18)
    ->Args({20000, 1})
    ->Args({20000, 0})
    ->Iterations(1)
    ->Unit(benchmark::kSecond);

// DiGamma (and the baselines) with a budget of 1 % of an enumerable space versus the exhaustive
// optimum: fraction of seeds within 1 % of it. Args: layer index, algorithm index, seeds.
struct Enumerable {
  const char* name;
  Layer layer;
};
std::vector<Enumerable> enumerable_layers() {
  return {{"gemm4x4x3", *make_gemm("gemm4x4x3", 4, 4, 3)},
          {"conv_k4_y4_r3", *make_conv("conv_k4_y4_r3", 1, 1, 4, 1, 6, 1, 3, 1, 1, 1, 0, 0)},
          {"grouped_g8_y3_r3", *make_conv("grouped_g8_y3_r3", 1, 8, 1, 1, 5, 1, 3, 1, 1, 1, 0, 0)},
          {"gemm8x4x2", *make_gemm("gemm8x4x2", 8, 4, 2)}};
}
const char* kAlgos[] = {"digamma", "random", "stdga", "sa", "de"};

const char* kBudgets[] = {"edge", "0.003"};  // 0.003 mm2: about ten PEs, the area binds
const Objective kObjectives[] = {Objective::Latency, Objective::Energy, Objective::Edp};

double exhaustive_optimum(const SearchSpec& s, int64_t* legal) {
  static std::map<std::string, std::pair<double, int64_t>> cache;
  const std::string key = s.layers[0].name + "/" + objective_name(s.objective) + "/" + s.budget.name;
  auto it = cache.find(key);
  if (it != cache.end()) {
    *legal = it->second.second;
    return it->second.first;
  }
  RunOptions o;
  o.algo = "exhaustive";
  o.evals = int64_t(1) << 40;
  o.threads = 2;
  auto out = run_search(s, o);
  const double best = primary(out->results[0].top[0].fitness, s.objective);
  cache[key] = {best, out->evals_used};
  *legal = out->evals_used;
  return best;
}

void BM_VsExhaustive(benchmark::State& state) {
  const auto layers = enumerable_layers();
  const Enumerable& e = layers[size_t(state.range(0))];
  const char* algo = kAlgos[state.range(1)];
  const int seeds = int(state.range(2));
  const Objective obj = kObjectives[state.range(3)];
  const char* budget = kBudgets[state.range(4)];
  SearchSpec s;
  s.objective = obj;
  s.workload = e.name;
  s.layers = {e.layer};
  s.layer_index = {0};
  s.mode = Mode::Layer;
  s.budget = *parse_budget(budget);
  auto p = make_problem(s.workload, s.layers, s.layer_index, s.budget, s.tech, s.objective);
  const double space = exhaustive_space_size(*p);
  int64_t legal = 0;
  const double opt = exhaustive_optimum(s, &legal);
  RunOptions o;
  o.algo = algo;
  o.evals = std::max<int64_t>(1, int64_t(space * 0.01));
  int within = 0;
  double worst = 1;
  for (auto _ : state) {
    within = 0;
    worst = 1;
    for (int seed = 1; seed <= seeds; ++seed) {
      o.seed = uint64_t(seed);
      auto out = run_search(s, o);
      const double v = primary(out->results[0].top[0].fitness, obj);
      if (v <= opt * 1.01) ++within;
      worst = std::max(worst, v / opt);
    }
  }
  state.SetLabel(std::string(e.name) + " " + objective_name(obj) + " " + budget + " " + algo);
  state.counters["space"] = space;
  state.counters["legal_points"] = double(legal);
  state.counters["budget"] = double(o.evals);
  state.counters["optimum"] = opt;
  state.counters["within_1pct"] = double(within) / seeds;
  state.counters["worst_ratio"] = worst;
}
// Args: layer, algorithm, seeds, objective (0 latency, 1 energy, 2 edp), budget (0 edge, 1 0.003).
void VsExhaustiveArgs(benchmark::internal::Benchmark* b) {
  for (auto [obj, budget] : {std::pair{0, 0}, {1, 0}, {0, 1}, {2, 1}})
    for (int l = 0; l < 4; ++l)
      for (int a = 0; a < 5; ++a) b->Args({l, a, 100, obj, budget});
}
BENCHMARK(BM_VsExhaustive)->Apply(VsExhaustiveArgs)->Iterations(1)->Unit(benchmark::kSecond);

}  // namespace
}  // namespace af::search
