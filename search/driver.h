// The search driver: runs an Optimizer against the cost model with exact evaluation accounting,
// multithreaded evaluation, convergence history, top-K and Pareto archives, progress reports,
// checkpoints and resume; and turns the result into JSON and design files.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "search/evaluator.h"
#include "search/optimizer.h"
#include "search/problem.h"

namespace af::search {

// What is searched (this, the algorithm, seed, budget and options form the checkpoint's
// fingerprint; the thread count does not, so a run may resume with any --threads).
struct SearchSpec {
  std::string workload;
  std::vector<Layer> layers;     // the selected layers
  std::vector<int> layer_index;  // their index in the workload
  Mode mode = Mode::Model;
  Objective objective = Objective::Latency;
  Budget budget;
  Tech tech;
  Calibration calibration;
  bool par_rs = false;
};

struct RunOptions {
  std::string algo = "digamma";
  AlgoOptions algo_options;
  int64_t evals = 1000;  // per problem: per layer in layer mode, per whole-model design in model mode
  uint64_t seed = 1;
  int threads = 1;
  int top_k = 1;
  std::string checkpoint_path;   // empty: no checkpoints
  int64_t checkpoint_every = 0;  // generations (ask/tell rounds); 0: only at the end of a problem
  bool resume = false;
  int64_t stop_after_generations = -1;  // testing aid: stop as if killed (no final checkpoint)
  std::function<void(const std::string&)> progress;  // one line at a time; null = silent
  double progress_interval_s = 1.0;
  // Entries of the evaluator's mapping-cost cache (0: off); results do not depend on it.
  size_t eval_cache_entries = Evaluator::kDefaultCacheEntries;
};

struct Entry {
  Genome genome;
  Fitness fitness;
};

struct ProblemResult {
  int64_t evals_used = 0;
  int64_t generations = 0;
  int64_t infeasible = 0;  // evaluated candidates the cost model rejected (0 when repair is sound)
  std::vector<std::pair<int64_t, double>> history;  // (evals used, best primary objective)
  std::vector<Entry> top;    // best first, distinct designs, at most top_k
  std::vector<Entry> front;  // Pareto archive (objective pareto only)
  bool done = false;
};

struct SearchOutput {
  std::vector<Problem> problems;  // one per layer (layer mode) or one (model mode)
  std::vector<ProblemResult> results;
  int64_t evals_used = 0;         // total candidate evaluations
  int64_t cost_model_calls = 0;   // layer evaluations (model mode: evals x layers)
  int64_t eval_cache_hits = 0;    // of them, answered by the evaluator's cache (this session)
  double seconds = 0;             // wall time of this session
  bool interrupted = false;
};

Expected<SearchOutput> run_search(const SearchSpec& spec, const RunOptions& opt);
// What run_search would refuse before searching (its problems, the algorithm on each of them,
// e.g. an exhaustive space over the limit), without searching: compare checks every run first.
Status check_search(const SearchSpec& spec, const RunOptions& opt);

// Everything that determines a search's result (workload layers, mode, objective, budget, tech,
// calibration, algorithm and its options, evals, seed, top-K); a checkpoint or a stored compare
// run is reused only when its fingerprint is equal.
nlohmann::json search_fingerprint(const SearchSpec& spec, const RunOptions& opt);

// The result document (docs/search.md, "Results"). `timing` adds wall-clock fields, which are the
// only fields that differ between two runs with the same seed.
nlohmann::json result_to_json(const SearchSpec& spec, const RunOptions& opt,
                              const SearchOutput& out, bool timing = true);

// Writes the best design: hw YAML (model mode: hw.yaml; layer mode: hw_layer<i>.yaml) and one
// mapping YAML per layer (mapping_layer<i>.yaml), each accepted by `accelforge eval`. Returns the
// paths written.
Expected<std::vector<std::string>> write_design_files(const SearchSpec& spec,
                                                      const SearchOutput& out,
                                                      const std::string& dir);
// Whether a file name is one write_design_files writes, or removes as left over from an earlier
// search in the same directory (hw.yaml, mappings.yaml, hw_layer*.yaml, mapping_layer*.yaml).
bool is_design_file_name(const std::string& name);

// Best-so-far value of a history at `evals` (infinity before the first feasible point).
double history_at(const std::vector<std::pair<int64_t, double>>& h, int64_t evals);

}  // namespace af::search
