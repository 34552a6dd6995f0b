// `accelforge eval`: evaluate mappings of a workload (or one layer) on a hardware configuration
// with the analytical cost model and print a table or JSON. The hardware's template limits are
// checked when it is read; those that depend on the layer and mapping (16-bit extents and tiles,
// 32-bit DRAM addresses, docs/template.md section 8) are reported beside the model's figures
// (`rtl_limits`), which they do not change: the model costs the schedule, the limits say whether
// the generated RTL can run it.
#include <cstdio>
#include <iostream>

#include "cli/commands.h"
#include "cli/report.h"
#include "core/io.h"
#include "costmodel/calibration.h"
#include "costmodel/cost.h"
#include "costmodel/random_mapping.h"
#include "sim/harness.h"

namespace af::cli {
namespace {

struct EvalOptions {
  std::string workload, layer, hw, mapping, tech, calibration;
  uint64_t seed = 1;
  bool json = false;
};

[[noreturn]] void fail(const std::string& message, int code = kExitBadInput) {
  std::cerr << "accelforge eval: " << message << "\n";
  throw CLI::RuntimeError(code);
}

template <typename T>
T must(Expected<T> value) {
  if (!value.ok()) fail(value.status().message());
  return std::move(value).value();
}

// Seed of layer i when --mapping random: independent streams per layer, reproducible per seed.
uint64_t layer_seed(uint64_t seed, size_t i) { return seed * 1000003ull + i; }

std::vector<Mapping> load_mappings(const EvalOptions& o, const Workload& w, const HwConfig& hw,
                                   const std::vector<int>& layers) {
  std::vector<Mapping> out(w.layers.size());
  if (o.mapping == "random") {
    for (int i : layers) out[i] = must(random_mapping(w.layers[i], hw, layer_seed(o.seed, i)));
    return out;
  }
  if (layers.size() == 1) {
    Expected<Mapping> single = read_mapping_yaml(o.mapping);
    if (single.ok()) {
      Status st = validate(*single, w.layers[layers[0]]);
      if (!st.ok()) fail(o.mapping + ": " + st.message());
      out[layers[0]] = *single;
      return out;
    }
    Expected<std::vector<LayerMapping>> list = read_mapping_list_yaml(o.mapping);
    if (!list.ok()) fail(single.status().message());
    return must(resolve_mappings(w, *list, o.mapping));
  }
  return must(resolve_mappings(w, must(read_mapping_list_yaml(o.mapping)), o.mapping));
}

void run_eval(const EvalOptions& o) {
  const Workload w = must(load_workload(o.workload));
  const HwConfig hw = must(load_hw(o.hw));
  const Tech tech = o.tech.empty() ? Tech{} : must(read_tech_yaml(o.tech));
  Calibration calibration;
  if (!o.calibration.empty()) calibration = must(read_calibration_yaml(o.calibration));

  std::vector<int> layers;
  if (!o.layer.empty()) {
    layers.push_back(must(resolve_layer(w, o.layer)));
  } else {
    for (size_t i = 0; i < w.layers.size(); ++i) layers.push_back(static_cast<int>(i));
  }
  const std::vector<Mapping> mappings = load_mappings(o, w, hw, layers);

  bool all_ok = true;
  int64_t total_macs = 0, total_cycles = 0;
  double total_energy = 0;
  nlohmann::json json_layers = nlohmann::json::array();
  std::string table, rtl_notes;
  char line[256];
  for (int i : layers) {
    const Layer& layer = w.layers[i];
    const Cost cost = evaluate(layer, hw, mappings[i], tech, &calibration);
    const Status rtl = sim::check_rtl_limits(layer, hw, mappings[i]);
    if (!rtl.ok())
      rtl_notes += "layer " + std::to_string(i) + " (" + layer.name + "): " + rtl.message() + "\n";
    all_ok = all_ok && cost.status.ok();
    total_macs += cost.macs;
    total_cycles += cost.cycles;
    total_energy += cost.energy_pj();
    if (o.json) {
      nlohmann::json j = cost_to_json(cost);
      j["index"] = i;
      j["name"] = layer.name;
      j["mapping"] = mapping_to_json(mappings[i]);
      j["rtl_limits"] = rtl.ok() ? "ok" : rtl.message();
      json_layers.push_back(j);
    } else if (layers.size() == 1) {
      table += cost_to_text(layer, cost);
    } else {
      std::snprintf(line, sizeof line, "%4d %-24s %-9s %14lld %12lld %6.1f %12.3f  %s\n", i,
                    layer.name.c_str(), layer_kind_name(layer.kind),
                    static_cast<long long>(cost.macs), static_cast<long long>(cost.cycles),
                    100.0 * cost.utilization, cost.energy_pj() * 1e-6,
                    cost.status.ok() ? "ok" : cost.status.reason().c_str());
      table += line;
    }
  }
  const double area = area_of(hw, tech).total();
  const double util = total_cycles > 0 ? static_cast<double>(total_macs) /
                                             (static_cast<double>(hw.pes()) * total_cycles)
                                       : 0.0;
  if (o.json) {
    nlohmann::json out;
    out["workload"] = w.name;
    out["hw"] = hw.name;
    if (layers.size() == 1) {
      out = json_layers[0];
      out["workload"] = w.name;
      out["hw"] = hw.name;
    } else {
      out["layers"] = json_layers;
      out["totals"] = {{"macs", total_macs},          {"cycles", total_cycles},
                       {"energy_pj", total_energy},   {"utilization", util},
                       {"area_um2", area},            {"pes", hw.pes()},
                       {"status", all_ok ? "ok" : "some layers are illegal"}};
    }
    std::cout << out.dump(2) << "\n";
  } else {
    if (layers.size() > 1) {
      std::printf("workload %s on %s (%lld PEs, %.4f mm2)\n", w.name.c_str(), hw.name.c_str(),
                  static_cast<long long>(hw.pes()), area * 1e-6);
      std::printf("%4s %-24s %-9s %14s %12s %6s %12s  %s\n", "#", "layer", "kind", "MACs",
                  "cycles", "util%", "energy_uJ", "status");
    }
    std::fputs(table.c_str(), stdout);
    if (layers.size() > 1)
      std::printf("%4s %-24s %-9s %14lld %12lld %6.1f %12.3f\n", "", "total", "",
                  static_cast<long long>(total_macs), static_cast<long long>(total_cycles),
                  100.0 * util, total_energy * 1e-6);
    if (!rtl_notes.empty())
      std::printf("beyond the template's limits (the RTL cannot run these):\n%s",
                  rtl_notes.c_str());
  }
  if (!all_ok) throw CLI::RuntimeError(kExitFailed);
}

}  // namespace

void register_eval(CLI::App& app) {
  auto o = std::make_shared<EvalOptions>();
  CLI::App* sub = app.add_subcommand("eval", "Evaluate mappings of a workload with the cost model");
  sub->add_option("--workload", o->workload, "Zoo name, DiGamma CSV or workload YAML")->required();
  sub->add_option("--layer", o->layer, "0-based layer index or layer name (default: all)");
  sub->add_option("--hw", o->hw, "Preset (tiny, edge, cloud) or hardware YAML")->required();
  sub->add_option("--mapping", o->mapping,
                  "Mapping YAML (one mapping, or a `mappings:` list per layer) or 'random'")
      ->required();
  sub->add_option("--seed", o->seed, "Seed for --mapping random");
  sub->add_option("--tech", o->tech, "Technology table YAML (default: built-in)");
  sub->add_option("--calibration", o->calibration, "Calibration YAML (default: none)");
  sub->add_flag("--json", o->json, "Print JSON instead of a table");
  sub->callback([o] { run_eval(*o); });
}

}  // namespace af::cli
