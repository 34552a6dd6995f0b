// `accelforge simulate`: run one layer of a workload on the Verilated RTL of a design directory
// behind a DRAM model with the HwConfig's bandwidth and latency, check every output against the
// golden convolution bit for bit, and compare the RTL's cycle and access counters with the cost
// model (docs/template.md). Exit 1 when outputs or access counts do not match.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "cli/commands.h"
#include "cli/report.h"
#include "core/io.h"
#include "costmodel/random_mapping.h"
#include "sim/design.h"
#include "sim/harness.h"

namespace af::cli {
namespace {

struct SimulateOptions {
  std::string design, workload, layer = "0", mapping = "random", trace, hw, cache_dir;
  uint64_t seed = 1;
  bool json = false, corrupt_weight = false, verbose_build = false;
  int jobs = 2;
  int64_t max_cycles = 0;
};

[[noreturn]] void fail(const std::string& message, int code = kExitBadInput) {
  std::cerr << "accelforge simulate: " << message << "\n";
  throw CLI::RuntimeError(code);
}

template <typename T>
T must(Expected<T> value) {
  if (!value.ok()) fail(value.status().message());
  return std::move(value).value();
}

// Seed of layer i for --mapping random (as `eval`, so both commands draw the same mapping).
uint64_t layer_seed(uint64_t seed, size_t i) { return seed * 1000003ull + i; }

Mapping load_mapping(const SimulateOptions& o, const Workload& w, int i, const HwConfig& hw) {
  if (o.mapping == "random") return must(random_mapping(w.layers[i], hw, layer_seed(o.seed, i)));
  return must(read_layer_mapping_yaml(o.mapping, w, i));
}

void print_text(const sim::SimReport& r, const Layer& layer, const sim::BuildInfo& b,
                int64_t pes) {
  std::printf("layer %s (%s): %lld MACs\n", layer.name.c_str(), layer_kind_name(layer.kind),
              static_cast<long long>(r.macs_layer));
  std::printf("build: %s (%.1f s)\n", b.cached ? "cached" : "built", b.seconds);
  std::printf("outputs_match: %s (%lld words, %lld mismatches", r.outputs_match ? "yes" : "NO",
              static_cast<long long>(r.output_words), static_cast<long long>(r.mismatches));
  if (r.mismatches)
    std::printf("; first at %lld: expected %d, got %d", static_cast<long long>(r.first_mismatch),
                r.first_expected, r.first_got);
  std::printf(")\n");
  std::printf("cycles: rtl %lld, model %lld, error %+.2f%%\n", static_cast<long long>(r.cycles_rtl),
              static_cast<long long>(r.cycles_model), 100.0 * r.cycles_error);
  if (r.cycles_rtl > 0)
    std::printf("MAC utilization (rtl): %.1f%%\n",
                100.0 * static_cast<double>(r.macs_layer) / static_cast<double>(pes * r.cycles_rtl));
  std::printf("%-12s %12s %12s\n", "cause", "rtl", "model");
  auto row = [](const char* n, int64_t a, int64_t b) {
    std::printf("%-12s %12lld %12lld%s\n", n, static_cast<long long>(a), static_cast<long long>(b),
                a == b ? "" : "  *");
  };
  row("compute", r.rtl_breakdown.compute, r.model_breakdown.compute);
  row("input_wait", r.rtl_breakdown.input_wait, r.model_breakdown.input_wait);
  row("output_wait", r.rtl_breakdown.output_wait, r.model_breakdown.output_wait);
  row("dram_stall", r.rtl_breakdown.dram_stall, r.model_breakdown.dram_stall);
  row("fill_drain", r.rtl_breakdown.fill_drain, r.model_breakdown.fill_drain);
  std::printf("accesses_match: %s\n", r.accesses_match ? "yes" : "NO");
  std::printf("%-5s %-7s %-8s %12s %12s\n", "level", "tensor", "kind", "rtl", "model");
  const char* kinds[] = {"reads", "fills", "updates", "drains"};
  for (int l = 0; l < kNumLevels; ++l)
    for (Tensor t : kAllTensors) {
      const AccessCounts& a = r.rtl_accesses[l][idx(t)];
      const AccessCounts& m = r.model_accesses[l][idx(t)];
      const int64_t av[] = {a.reads, a.fills, a.updates, a.drains};
      const int64_t mv[] = {m.reads, m.fills, m.updates, m.drains};
      for (int k = 0; k < 4; ++k) {
        if (av[k] == 0 && mv[k] == 0) continue;
        std::printf("%-5s %-7s %-8s %12lld %12lld%s\n", level_name(l), tensor_name(t), kinds[k],
                    static_cast<long long>(av[k]), static_cast<long long>(mv[k]),
                    av[k] == mv[k] ? "" : "  *");
      }
    }
  const double cps = r.sim_seconds > 0 ? static_cast<double>(r.sim_cycles) / r.sim_seconds : 0;
  std::printf("simulated %lld cycles in %.2f s (%.0f cycles/s)\n",
              static_cast<long long>(r.sim_cycles), r.sim_seconds, cps);
}

void run_simulate(const SimulateOptions& o) {
  namespace fs = std::filesystem;
  if (!fs::exists(fs::path(o.design) / "manifest.yaml")) {
    if (o.hw.empty())
      fail(o.design + ": no manifest.yaml (emit a design first, or pass --hw to write the "
                      "reference design there)");
    // Like emit, never write a design into a directory that holds something else.
    std::error_code ec;
    if (fs::exists(o.design, ec) &&
        (!fs::is_directory(o.design, ec) || !fs::is_empty(o.design, ec)))
      fail("--design: '" + o.design +
           "' exists and is not a design (allowed: a design directory, or with --hw a new or "
           "empty directory)");
    if (Status s = check_output_dir("--design", o.design); !s.ok()) fail(s.message());
    const HwConfig hw = must(load_hw(o.hw));
    if (Status s = sim::write_reference_design(hw, o.design); !s.ok()) fail(s.message());
  }
  const sim::Design design = must(sim::load_design(o.design));
  if (!o.hw.empty()) {  // --hw with an existing design: it must be that design's hardware
    HwConfig asked = must(load_hw(o.hw));
    asked.name = design.hw.name;
    if (!(asked == design.hw))
      fail("--hw: '" + o.hw + "' is not the hardware of the design in '" + o.design +
           "' (allowed: omit --hw, or a new or empty --design directory)");
  }
  const Workload w = must(load_workload(o.workload));
  const int li = must(resolve_layer(w, o.layer));
  const Layer& layer = w.layers[static_cast<size_t>(li)];
  const Mapping mapping = load_mapping(o, w, li, design.hw);
  // Reject what the RTL cannot run before paying for a build.
  if (const Cost c = evaluate(layer, design.hw, mapping, Tech{}); !c.status.ok())
    fail("the mapping is not legal on this design: " + c.status.reason());
  if (Status s = sim::check_rtl_limits(layer, design.hw, mapping); !s.ok()) fail(s.message());

  // The waveform file must be writable before a traced model is built (tens of seconds).
  if (!o.trace.empty()) {
    const std::string ext = std::filesystem::path(o.trace).extension().string();
    if (ext != ".fst")
      fail("--trace: '" + o.trace + "' does not end in .fst (allowed: FILE.fst, an FST waveform)");
    Status s = check_output_file("--trace", o.trace);
    if (s.ok())
      s = check_not_an_input("--trace", o.trace,
                             {{"--workload", o.workload}, {"--mapping", o.mapping}, {"--hw", o.hw}});
    if (!s.ok()) fail(s.message());
  }
  sim::BuildOptions bo;
  bo.trace = !o.trace.empty();
  bo.jobs = o.jobs;
  bo.cache_dir = o.cache_dir;
  bo.verbose = o.verbose_build;
  const sim::BuildInfo build = must(sim::build_design(design, bo));
  auto module = must(sim::DesignModule::load(build.module_path));
  sim::RtlModel model(module, o.trace);
  sim::SimOptions so;
  so.seed = o.seed;
  so.corrupt_weight = o.corrupt_weight;
  so.max_cycles = o.max_cycles;
  const sim::SimReport r = sim::simulate_layer(model, design.hw, layer, mapping, so);
  if (!r.error.empty() && !r.finished) fail(r.error, kExitFailed);

  if (o.json) {
    nlohmann::json j;
    j["design"] = design.dir;
    j["hw"] = design.hw.name;
    j["workload"] = w.name;
    j["layer"] = {{"index", li}, {"name", layer.name}, {"kind", layer_kind_name(layer.kind)}};
    j["mapping"] = mapping_to_json(mapping);
    j["seed"] = o.seed;
    j["outputs_match"] = r.outputs_match;
    j["output_words"] = r.output_words;
    j["mismatches"] = r.mismatches;
    if (r.mismatches)
      j["first_mismatch"] = {{"index", r.first_mismatch}, {"expected", r.first_expected},
                             {"got", r.first_got}};
    j["macs"] = r.macs_layer;
    j["macs_rtl"] = r.macs_rtl;
    j["cycles_rtl"] = r.cycles_rtl;
    j["cycles_model"] = r.cycles_model;
    j["cycles_error"] = r.cycles_error;
    j["pes"] = design.hw.pes();
    j["utilization_rtl"] = r.cycles_rtl > 0 ? static_cast<double>(r.macs_layer) /
                                                  static_cast<double>(design.hw.pes() * r.cycles_rtl)
                                            : 0.0;
    j["utilization_model"] = r.cycles_model > 0
                                 ? static_cast<double>(r.macs_layer) /
                                       static_cast<double>(design.hw.pes() * r.cycles_model)
                                 : 0.0;
    j["accesses_match"] = r.accesses_match;
    j["accesses"] = {{"rtl", accesses_to_json(r.rtl_accesses)},
                     {"model", accesses_to_json(r.model_accesses)}};
    j["cycles_breakdown"] = {{"rtl", breakdown_to_json(r.rtl_breakdown)},
                             {"model", breakdown_to_json(r.model_breakdown)}};
    j["build"] = {{"key", build.key}, {"cached", build.cached}, {"seconds", build.seconds}};
    j["sim"] = {{"cycles", r.sim_cycles},
                {"seconds", r.sim_seconds},
                {"cycles_per_second",
                 r.sim_seconds > 0 ? static_cast<double>(r.sim_cycles) / r.sim_seconds : 0.0}};
    if (!o.trace.empty()) j["trace"] = model.traced() ? o.trace : "";
    if (!r.error.empty()) j["error"] = r.error;
    std::cout << j.dump(2) << "\n";
  } else {
    print_text(r, layer, build, design.hw.pes());
    if (!r.error.empty()) std::printf("error: %s\n", r.error.c_str());
  }
  if (!r.error.empty() || !r.outputs_match || !r.accesses_match) throw CLI::RuntimeError(kExitFailed);
}

}  // namespace

void register_simulate(CLI::App& app) {
  auto o = std::make_shared<SimulateOptions>();
  CLI::App* sub = app.add_subcommand(
      "simulate", "Run a layer on the Verilated RTL of a design; check outputs and counters");
  sub->add_option("--design", o->design, "Design directory (manifest.yaml + Verilog)")->required();
  sub->add_option("--workload", o->workload, "Zoo name, DiGamma CSV or workload YAML")->required();
  add_layer_option(sub, o->layer, "0-based layer index or layer name (default 0)");
  sub->add_option("--mapping", o->mapping, "Mapping YAML or 'random' (default random)");
  add_seed_option(sub, o->seed, "Seed of the test data and of --mapping random (default 1)");
  sub->add_option("--trace", o->trace, "Write an FST waveform (builds a traced model)");
  sub->add_flag("--json", o->json, "Print JSON instead of tables");
  sub->add_option("--hw", o->hw,
                  "When DIR has no manifest: write the reference design of this preset/YAML there");
  sub->add_option("--jobs", o->jobs, "Parallel C++ jobs of a Verilator build (default 2)")
      ->check(CLI::Range(1, 64));
  sub->add_option("--cache-dir", o->cache_dir, "Verilator build cache (default DIR/.verilator)");
  sub->add_option("--max-cycles", o->max_cycles, "Give up after this many cycles (default auto)")
      ->check(CLI::Range(int64_t(1), int64_t(1) << 62));
  sub->add_flag("--corrupt-weight", o->corrupt_weight,
                "Flip bits of one weight in DRAM (the run must then report a mismatch)");
  sub->add_flag("--verbose-build", o->verbose_build, "Show the Verilator command and output");
  sub->callback([o] { run_simulate(*o); });
}

}  // namespace af::cli
