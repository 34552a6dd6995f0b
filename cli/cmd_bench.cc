// `accelforge bench model`: single-thread cost-model throughput over random legal mappings of all
// resnet18 layers on the `edge` preset (the figure README quotes).
#include <time.h>

#include <chrono>
#include <cstdio>
#include <iostream>

#include "cli/commands.h"
#include "core/hw_config.h"
#include "core/zoo.h"
#include "costmodel/cost.h"
#include "costmodel/random_mapping.h"

namespace af::cli {
namespace {

struct BenchOptions {
  std::string what;
  std::string workload = "resnet18";
  std::string hw = "edge";
  int mappings = 4096;
  double seconds = 2.0;
  uint64_t seed = 1;
  bool json = false;
};

void run_bench_model(const BenchOptions& o) {
  const std::optional<Workload> w = zoo_model(o.workload);
  const std::optional<HwConfig> hw = hw_preset(o.hw);
  auto join = [](const std::vector<std::string>& names) {
    std::string s;
    for (const std::string& n : names) s += (s.empty() ? "" : ", ") + n;
    return s;
  };
  if (!w) {
    std::cerr << "accelforge bench: --workload: no zoo model '" << o.workload
              << "' (allowed: " << join(zoo_names()) << ")\n";
    throw CLI::RuntimeError(kExitBadInput);
  }
  if (!hw) {
    std::cerr << "accelforge bench: --hw: no preset '" << o.hw
              << "' (allowed: " << join(hw_preset_names()) << ")\n";
    throw CLI::RuntimeError(kExitBadInput);
  }
  struct Point {
    const Layer* layer;
    Mapping mapping;
  };
  std::vector<Point> points;
  for (int i = 0; static_cast<int>(points.size()) < o.mappings; ++i) {
    const Layer& layer = w->layers[i % w->layers.size()];
    Expected<Mapping> m = random_mapping(layer, *hw, o.seed + i);
    if (m.ok()) points.push_back({&layer, *m});
    if (i > 100 * o.mappings) break;
  }
  const Tech tech;
  // The rate is per second of this thread's CPU time, so that other load on the machine does not
  // change the figure; wall time is reported beside it.
  auto thread_cpu_seconds = [] {
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
  };
  using clock = std::chrono::steady_clock;
  int64_t evals = 0, checksum = 0, illegal = 0;
  const auto start = clock::now();
  const double cpu_start = thread_cpu_seconds();
  double elapsed = 0;
  while (elapsed < o.seconds) {
    for (const Point& p : points) {
      const Cost c = evaluate(*p.layer, *hw, p.mapping, tech);
      checksum += c.cycles;
      illegal += !c.status.ok();
    }
    evals += static_cast<int64_t>(points.size());
    elapsed = thread_cpu_seconds() - cpu_start;
  }
  const double wall = std::chrono::duration<double>(clock::now() - start).count();
  const double per_second = evals / elapsed;
  if (o.json) {
    std::printf(
        "{\"evals_per_second\": %.0f, \"ns_per_eval\": %.1f, \"evals\": %lld, \"cpu_seconds\": %.3f, "
        "\"wall_seconds\": %.3f, \"distinct_mappings\": %zu, \"workload\": \"%s\", \"hw\": \"%s\", "
        "\"threads\": 1, \"illegal\": %lld, \"checksum\": %lld}\n",
        per_second, 1e9 / per_second, static_cast<long long>(evals), elapsed, wall, points.size(),
        o.workload.c_str(), o.hw.c_str(), static_cast<long long>(illegal),
        static_cast<long long>(checksum));
  } else {
    std::printf("cost model: %.0f evaluations per CPU-second (%.1f ns each), one thread, %zu random "
                "legal mappings of %s on %s, %lld evaluations in %.2f CPU s (%.2f s wall)\n",
                per_second, 1e9 / per_second, points.size(), o.workload.c_str(), o.hw.c_str(),
                static_cast<long long>(evals), elapsed, wall);
  }
}

}  // namespace

void register_bench(CLI::App& app) {
  auto o = std::make_shared<BenchOptions>();
  CLI::App* sub = app.add_subcommand("bench", "Measure the speed of a component");
  CLI::App* model = sub->add_subcommand("model", "Cost-model evaluations per second, one thread");
  sub->require_subcommand(1);
  model->add_option("--workload", o->workload, "Zoo model (default resnet18)");
  model->add_option("--hw", o->hw, "Preset (default edge)");
  model->add_option("--mappings", o->mappings, "Distinct random mappings (default 4096)")
      ->check(CLI::Range(1, 1 << 22));
  model->add_option("--seconds", o->seconds, "Minimum measuring time in CPU seconds (default 2)")
      ->check(CLI::Range(0.01, 600.0));
  add_seed_option(model, o->seed, "Seed of the random mappings");
  model->add_flag("--json", o->json, "Print JSON (key evals_per_second)");
  model->callback([o] { run_bench_model(*o); });
}

}  // namespace af::cli
