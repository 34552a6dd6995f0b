// `accelforge search`: DiGamma (or a baseline) hardware + mapping co-search under an area budget
// (docs/search.md).
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/report.h"
#include "core/io.h"
#include "costmodel/calibration.h"
#include "search/driver.h"

namespace af::cli {
namespace {

struct SearchCliOptions {
  std::string workload, layer, budget = "edge", algo = "digamma", objective = "latency",
                                    mode = "model", out, design_dir, checkpoint, ops, tech,
                                    calibration;
  int64_t evals = 2000;
  uint64_t seed = 1;
  int threads = 1;
  int top = 1;
  int pop = 0;
  int64_t checkpoint_every = 10;
  int64_t stop_after = -1;
  int64_t eval_cache = int64_t(search::Evaluator::kDefaultCacheEntries);
  bool json = false, resume = false, quiet = false, par_rs = false;
  bool out_given = false, design_dir_given = false;  // given, even if empty
  bool checkpoint_every_given = false;
};

[[noreturn]] void fail(const std::string& message, int code = kExitBadInput) {
  std::cerr << "accelforge search: " << message << "\n";
  throw CLI::RuntimeError(code);
}

template <typename T>
T must(Expected<T> value) {
  if (!value.ok()) fail(value.status().message());
  return std::move(value).value();
}

std::string default_design_dir(const std::string& out) {
  std::string base = out;
  if (base.size() > 5 && base.substr(base.size() - 5) == ".json") base.resize(base.size() - 5);
  return base + "_design";
}

void run(const SearchCliOptions& o) {
  using namespace af::search;
  const Workload w = must(load_workload(o.workload));
  SearchSpec spec;
  spec.workload = w.name.empty() ? o.workload : w.name;
  if (!o.layer.empty()) {
    const int i = must(resolve_layer(w, o.layer));
    spec.layers.push_back(w.layers[size_t(i)]);
    spec.layer_index.push_back(i);
  } else {
    for (size_t i = 0; i < w.layers.size(); ++i) {
      spec.layers.push_back(w.layers[i]);
      spec.layer_index.push_back(int(i));
    }
  }
  spec.mode = must(parse_mode(o.mode));
  spec.objective = must(parse_objective(o.objective));
  spec.budget = must(parse_budget(o.budget));
  if (!o.tech.empty()) spec.tech = must(read_tech_yaml(o.tech));
  if (!o.calibration.empty()) spec.calibration = must(read_calibration_yaml(o.calibration));
  spec.par_rs = o.par_rs;

  RunOptions ro;
  ro.algo = o.algo;
  ro.evals = o.evals;
  ro.seed = o.seed;
  ro.threads = o.threads;
  ro.eval_cache_entries = size_t(o.eval_cache);
  ro.top_k = o.top;
  if (o.pop > 0) {
    ro.algo_options.pop = o.pop;
    ro.algo_options.digamma.pop = o.pop;
  }
  if (!o.ops.empty()) {
    Status s = apply_ops_spec(o.ops, ro.algo_options.digamma);
    if (!s.ok()) fail(s.message());
  }
  ro.checkpoint_path = o.checkpoint;
  ro.checkpoint_every = o.checkpoint.empty() ? 0 : o.checkpoint_every;
  ro.resume = o.resume;
  ro.stop_after_generations = o.stop_after;
  if (o.resume && o.checkpoint.empty()) fail("--resume needs --checkpoint FILE");
  if (o.stop_after >= 0 && o.checkpoint.empty())
    fail("--stop-after-generations: nothing to resume from (allowed: with --checkpoint FILE)");
  // Options the chosen algorithm would ignore are refused rather than silently dropped.
  if (o.pop > 0 && o.algo != "digamma" && o.algo != "stdga" && o.algo != "de")
    fail("--pop: --algo " + o.algo + " has no population (allowed: with digamma, stdga or de)");
  if (!o.ops.empty() && o.algo != "digamma")
    fail("--ops: DiGamma's operator edits, but --algo is " + o.algo +
         " (allowed: with --algo digamma)");
  if (o.checkpoint_every_given && o.checkpoint.empty())
    fail("--checkpoint-every: nothing is checkpointed (allowed: with --checkpoint FILE)");
  if (o.pop > 0 && o.ops.find("pop=") != std::string::npos)
    fail("--pop: given together with pop= in --ops (allowed: one of them)");
  // Output paths are checked now rather than after the search, and never overwrite an input.
  const std::vector<std::pair<std::string, std::string>> inputs = {
      {"--workload", o.workload}, {"--tech", o.tech}, {"--calibration", o.calibration}};
  if (o.out_given) {
    Status s = check_output_file("--out", o.out);
    if (s.ok()) s = check_not_an_input("--out", o.out, inputs);
    if (!s.ok()) fail(s.message());
  }
  if (!o.checkpoint.empty()) {
    Status s = check_output_file("--checkpoint", o.checkpoint);
    if (s.ok()) s = check_not_an_input("--checkpoint", o.checkpoint, inputs);
    if (!s.ok()) fail(s.message());
    if (!o.out.empty() && std::filesystem::weakly_canonical(o.checkpoint) ==
                              std::filesystem::weakly_canonical(o.out))
      fail("--checkpoint: '" + o.checkpoint + "' is also the --out file (allowed: another file)");
  }
  std::string dir = o.design_dir;
  if (dir.empty() && !o.out.empty()) dir = default_design_dir(o.out);
  if (!dir.empty() || o.design_dir_given) {
    Status s = check_output_dir("--design-dir", dir);
    if (!s.ok()) fail(s.message());
    namespace fs = std::filesystem;
    // An emitted design keeps its hw.yaml beside the Verilog and manifest made from it: replacing
    // only the hw.yaml would leave a design that no longer matches itself.
    if (fs::exists(fs::path(dir) / "manifest.yaml"))
      fail("--design-dir: '" + dir +
           "' holds an emitted design (manifest.yaml) (allowed: a directory without one)");
    // The design files replace hw.yaml, mapping_layer*.yaml, ... there, and remove stale ones.
    std::vector<std::pair<std::string, std::string>> kept = inputs;
    kept.push_back({"--checkpoint", o.checkpoint});
    kept.push_back({"--out", o.out});
    std::error_code ec;
    for (const auto& [option, path] : kept) {
      const std::string name = fs::path(path).filename().string();
      if (!path.empty() && fs::exists(path, ec) && search::is_design_file_name(name) &&
          same_file(path, (fs::path(dir) / name).string()))
        fail("--design-dir: '" + dir + "' would replace the " + option + " file '" + path +
             "' (allowed: a directory without it)");
    }
  }
  if (o.resume && !std::filesystem::exists(o.checkpoint))
    std::cerr << "accelforge search: no checkpoint '" << o.checkpoint
              << "' yet; starting from the beginning\n";
  if (!o.quiet) ro.progress = [](const std::string& line) { std::cerr << line << "\n"; };

  const SearchOutput out = must(run_search(spec, ro));
  if (out.interrupted) {
    std::cerr << "accelforge search: stopped after " << o.stop_after
              << " generations (--stop-after-generations); --resume continues from the last "
                 "checkpoint in "
              << o.checkpoint << " (written every " << o.checkpoint_every
              << " generations and after each finished layer), or from the beginning if none\n";
    return;
  }
  const nlohmann::json j = result_to_json(spec, ro, out);
  if (!o.out.empty()) {
    Status s = write_file_atomic(o.out, j.dump(2) + "\n");
    if (!s.ok()) fail(s.message());
  }
  std::vector<std::string> files;
  if (!dir.empty() && !j["best"].is_null()) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) fail(dir + ": cannot create directory (" + ec.message() + ")");
    files = must(write_design_files(spec, out, dir));
  }
  if (o.json) {
    std::cout << j.dump(2) << "\n";
    return;
  }
  if (j["best"].is_null()) {
    std::printf("no feasible design found in %lld evaluations\n",
                static_cast<long long>(out.evals_used));
    throw CLI::RuntimeError(kExitFailed);
  }
  const auto& b = j["best"];
  std::printf("%s, %s mode, %s, budget %s (%.3f mm2), %s objective, seed %llu\n",
              spec.workload.c_str(), mode_name(spec.mode), o.algo.c_str(),
              spec.budget.name.c_str(), spec.budget.area_um2 / 1e6, o.objective.c_str(),
              static_cast<unsigned long long>(o.seed));
  std::printf("evaluations: %lld (%lld cost-model calls) in %.2f s\n",
              static_cast<long long>(out.evals_used),
              static_cast<long long>(out.cost_model_calls), out.seconds);
  std::printf("best: %.6g cycles, %.6g pJ, %.4f mm2\n", b["cycles"].get<double>(),
              b["energy_pj"].get<double>(), b["area_um2"].get<double>() / 1e6);
  for (const auto& d : b["designs"]) {
    const auto& hw = d["hw"];
    std::printf("  hw %lldx%lld (%s x %s), L1 W/I/O %lld/%lld/%lld B, L2 W/I/O %lld/%lld/%lld B, "
                "%.4f mm2, %.6g cycles\n",
                hw["rows"].get<long long>(), hw["cols"].get<long long>(),
                hw["row_dim"].get<std::string>().c_str(), hw["col_dim"].get<std::string>().c_str(),
                hw["l1_bytes"]["W"].get<long long>(), hw["l1_bytes"]["I"].get<long long>(),
                hw["l1_bytes"]["O"].get<long long>(), hw["l2_bytes"]["W"].get<long long>(),
                hw["l2_bytes"]["I"].get<long long>(), hw["l2_bytes"]["O"].get<long long>(),
                d["area_um2"].get<double>() / 1e6, d["cycles"].get<double>());
  }
  if (spec.objective == Objective::Pareto)
    for (const auto& r : j["runs"])
      std::printf("  Pareto front: %zu designs\n", r["pareto_front"].size());
  if (!o.out.empty()) std::printf("results: %s\n", o.out.c_str());
  for (const auto& f : files) std::printf("design file: %s\n", f.c_str());
}

}  // namespace

void register_search(CLI::App& app) {
  auto o = std::make_shared<SearchCliOptions>();
  CLI::App* sub = app.add_subcommand(
      "search", "Co-search hardware and mappings (DiGamma or a baseline) under an area budget");
  sub->add_option("--workload", o->workload, "Zoo name, DiGamma CSV or workload YAML")->required();
  add_layer_option(sub, o->layer, "0-based layer index or layer name (default: all layers)");
  sub->add_option("--budget", o->budget, "edge (0.2 mm2), cloud (7 mm2) or an area in mm2")
      ->capture_default_str();
  sub->add_option("--algo", o->algo, "digamma, random, stdga, sa, de or exhaustive")
      ->capture_default_str();
  sub->add_option("--evals", o->evals,
                  "Evaluations per layer (layer mode) or per whole-model design (model mode)")
      ->capture_default_str()
      ->check(CLI::Range(int64_t(1), int64_t(1) << 40));
  add_seed_option(sub, o->seed, "Random seed")->capture_default_str();
  sub->add_option("--threads", o->threads, "Evaluation threads (results do not depend on it)")
      ->capture_default_str()
      ->check(CLI::Range(1, 256));
  sub->add_option("--eval-cache", o->eval_cache,
                  "Entries of the cache of repeated layer evaluations, ~0.6 KB each; 0: off "
                  "(results do not depend on it)")
      ->capture_default_str()
      ->check(CLI::Range(int64_t(0), int64_t(1) << 26));
  sub->add_option("--objective", o->objective, "latency, energy, edp, area or pareto")
      ->capture_default_str();
  sub->add_option("--mode", o->mode, "layer (hardware per layer) or model (one hardware)")
      ->capture_default_str();
  sub->add_option("--top", o->top, "Keep the K best distinct designs")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  CLI::Option* out = sub->add_option("--out", o->out, "Write the result JSON here (atomically)");
  CLI::Option* design_dir = sub->add_option("--design-dir", o->design_dir,
                  "Write the best design's hw/mapping YAML files here (default: OUT_design/)");
  sub->add_flag("--json", o->json, "Print the result JSON on stdout");
  sub->add_option("--checkpoint", o->checkpoint, "Checkpoint file (JSON, written atomically)");
  CLI::Option* checkpoint_every =
      sub->add_option("--checkpoint-every", o->checkpoint_every, "Checkpoint every N generations")
      ->capture_default_str()
      ->check(CLI::Range(int64_t(1), int64_t(1) << 40));
  sub->add_flag("--resume", o->resume, "Continue from --checkpoint (same final result)");
  sub->add_option("--ops", o->ops,
                  "DiGamma operator edits, e.g. -crossover,+growth,tile=0.3,pop=40");
  sub->add_option("--pop", o->pop, "Population size (digamma, stdga, de)")
      ->check(CLI::Range(2, 100000));
  sub->add_option("--tech", o->tech, "Technology table YAML (default: built-in)");
  sub->add_option("--calibration", o->calibration, "Calibration YAML (rank with fitted cycles)");
  sub->add_flag("--par-rs", o->par_rs, "Also allow R and S as spatial (dataflow) dims");
  sub->add_flag("--quiet", o->quiet, "No progress on stderr");
  sub->add_option("--stop-after-generations", o->stop_after,
                  "Testing aid: stop after N generations as if killed (use with --checkpoint)")
      ->check(CLI::Range(int64_t(0), int64_t(1) << 40));
  sub->callback([o, out, design_dir, checkpoint_every] {
    o->out_given = out->count() > 0;
    o->design_dir_given = design_dir->count() > 0;
    o->checkpoint_every_given = checkpoint_every->count() > 0;
    run(*o);
  });
}

}  // namespace af::cli
