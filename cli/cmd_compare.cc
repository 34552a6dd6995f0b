// `accelforge compare`: the paper's comparison table (DiGamma vs baselines at equal evaluation
// budget) over workloads x budgets x seeds, written as Markdown, CSV and an SVG convergence plot.
#include <fstream>
#include <iostream>

#include "cli/commands.h"
#include "search/compare.h"

namespace af::cli {
namespace {

struct CompareCliOptions {
  std::vector<std::string> workloads, budgets{"edge", "cloud"},
      algos{"digamma", "random", "stdga", "sa", "de"};
  std::string out, mode = "model", objective = "latency", ops;
  int64_t evals = 1000;
  int seeds = 3, threads = 1, pop = 0;
  uint64_t first_seed = 1;
  bool resume = false, quiet = false;
};

[[noreturn]] void fail(const std::string& message, int code = kExitBadInput) {
  std::cerr << "accelforge compare: " << message << "\n";
  throw CLI::RuntimeError(code);
}

void run(const CompareCliOptions& c) {
  using namespace af::search;
  CompareOptions o;
  o.workloads = c.workloads;
  o.budgets = c.budgets;
  o.algos = c.algos;
  o.evals = c.evals;
  o.seeds = c.seeds;
  o.first_seed = c.first_seed;
  o.threads = c.threads;
  auto mode = parse_mode(c.mode);
  if (!mode.ok()) fail(mode.status().message());
  o.mode = *mode;
  auto obj = parse_objective(c.objective);
  if (!obj.ok()) fail(obj.status().message());
  if (*obj == Objective::Pareto) fail("--objective: compare ranks one number (allowed: latency, energy, edp, area)");
  o.objective = *obj;
  if (c.pop > 0) {
    o.algo_options.pop = c.pop;
    o.algo_options.digamma.pop = c.pop;
  }
  if (!c.ops.empty()) {
    Status s = apply_ops_spec(c.ops, o.algo_options.digamma);
    if (!s.ok()) fail(s.message());
  }
  o.out_dir = c.out;
  o.resume = c.resume;
  if (!c.quiet) o.progress = [](const std::string& line) { std::cerr << line << "\n"; };
  auto res = run_compare(o);
  if (!res.ok()) fail(res.status().message());
  for (const auto& f : res->files)
    if (f.size() >= 8 && f.substr(f.size() - 8) == "table.md") {
      std::ifstream in(f);
      std::cout << in.rdbuf();
    }
  if (!c.quiet)
    for (const auto& f : res->files) std::cerr << "wrote " << f << "\n";
}

}  // namespace

void register_compare(CLI::App& app) {
  auto o = std::make_shared<CompareCliOptions>();
  CLI::App* sub = app.add_subcommand(
      "compare", "DiGamma vs baselines at equal budget: the paper's table, CSV, Markdown, SVG");
  add_list_option(sub, "--workloads", o->workloads, "Zoo names or workload files (comma separated)")
      ->required();
  add_list_option(sub, "--budgets", o->budgets, "edge, cloud or areas in mm2 (comma separated)");
  add_list_option(sub, "--algos", o->algos,
                  "Algorithms (comma separated; digamma first is the subject)");
  sub->add_option("--evals", o->evals, "Evaluations per run (per layer or per model design)")
      ->capture_default_str()
      ->check(CLI::Range(int64_t(1), int64_t(1) << 40));
  sub->add_option("--seeds", o->seeds, "Seeds per setting")->capture_default_str()->check(CLI::Range(1, 10000));
  add_seed_option(sub, o->first_seed, "First seed", "--first-seed")->capture_default_str();
  sub->add_option("--threads", o->threads, "Evaluation threads")->capture_default_str()->check(CLI::Range(1, 256));
  sub->add_option("--mode", o->mode, "model (one hardware per workload) or layer")->capture_default_str();
  sub->add_option("--objective", o->objective, "latency, energy, edp or area")->capture_default_str();
  sub->add_option("--ops", o->ops, "DiGamma operator edits (see search --ops)");
  sub->add_option("--pop", o->pop, "Population size (digamma, stdga, de)")->check(CLI::Range(2, 100000));
  sub->add_option("--out", o->out, "Output directory")->required();
  sub->add_flag("--resume", o->resume, "Reuse finished runs found in OUT/runs/");
  sub->add_flag("--quiet", o->quiet, "No progress on stderr");
  sub->callback([o] { run(*o); });
}

}  // namespace af::cli
