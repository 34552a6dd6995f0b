// The paper-style comparison: workloads x budgets x algorithms x seeds, each a full search with
// the same evaluation budget; a table of mean latency (or the chosen objective) per setting with
// DiGamma's speedup over the best baseline and its geomean per budget, convergence curves; all
// written as CSV, Markdown and SVG (docs/search.md, "compare").
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "search/driver.h"

namespace af::search {

struct CompareOptions {
  std::vector<std::string> workloads;  // zoo names or files
  std::vector<std::string> budgets = {"edge", "cloud"};
  std::vector<std::string> algos = {"digamma", "random", "stdga", "sa", "de"};
  int64_t evals = 1000;
  int seeds = 3;
  uint64_t first_seed = 1;
  int threads = 1;
  Mode mode = Mode::Model;
  Objective objective = Objective::Latency;
  AlgoOptions algo_options;
  std::string out_dir;
  bool resume = false;  // reuse runs already in out_dir/runs/
  std::function<void(const std::string&)> progress;
};

struct CompareRun {
  std::string workload, budget, algo;
  uint64_t seed = 0;
  double cycles = 0, energy_pj = 0, area_um2 = 0, value = 0;  // value = primary objective
  int64_t evals_used = 0, cost_model_calls = 0;
  double seconds = 0;
  std::vector<std::pair<int64_t, double>> history;
};

struct CompareResult {
  std::vector<CompareRun> runs;
  std::vector<std::string> files;  // written
  // geomean speedup of DiGamma over the best baseline, per budget (same order as budgets); 0 if
  // DiGamma or no baseline was run.
  std::vector<double> geomean_speedup;
};

// Label of a workload argument: a zoo name as is, a file by its file name ("resnet18.csv").
std::string workload_label(const std::string& arg);

Expected<CompareResult> run_compare(const CompareOptions& o);

}  // namespace af::search
