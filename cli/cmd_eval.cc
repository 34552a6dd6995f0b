// `accelforge eval`: evaluate mappings of a workload (or one layer) on a hardware configuration
// with the analytical cost model and print a table or JSON. The hardware's template limits are
// checked when it is read; those that depend on the layer and mapping (16-bit extents and tiles,
// 32-bit DRAM addresses, docs/template.md section 8) are reported beside the model's figures
// (`rtl_limits`), which they do not change: the model costs the schedule, the limits say whether
// the generated RTL can run it.
#include <algorithm>
#include <cstdint>
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

// The mappings of the selected layers (`layers`, in workload order); the other entries stay
// default. A `mappings:` list needs an entry for each selected layer only.
std::vector<Mapping> load_mappings(const EvalOptions& o, const Workload& w, const HwConfig& hw,
                                   const std::vector<int>& layers) {
  std::vector<Mapping> out(w.layers.size());
  if (o.mapping == "random") {
    for (int i : layers) out[i] = must(random_mapping(w.layers[i], hw, layer_seed(o.seed, i)));
    return out;
  }
  if (layers.size() == 1) {
    out[layers[0]] = must(read_layer_mapping_yaml(o.mapping, w, layers[0]));
    return out;
  }
  return must(resolve_mappings(w, must(read_mapping_list_yaml(o.mapping)), o.mapping, &layers));
}

// a += b, stopping at INT64_MAX: a calibration may scale each layer up to 2^62 cycles, and a sum
// over layers must not wrap to a small or negative total.
void add_saturating(int64_t& a, int64_t b) {
  if (__builtin_add_overflow(a, b, &a)) a = INT64_MAX;
}

// Sums over the legal layers of a workload (buffer needs: the largest, what one design must hold).
struct Totals {
  Cost cost;
  int counted = 0, illegal = 0;
  void add(const Cost& c) {
    if (!c.status.ok()) {
      ++illegal;
      return;
    }
    ++counted;
    add_saturating(cost.macs, c.macs);
    add_saturating(cost.cycles, c.cycles);
    CycleBreakdown& b = cost.breakdown;
    add_saturating(b.compute, c.breakdown.compute);
    add_saturating(b.input_wait, c.breakdown.input_wait);
    add_saturating(b.output_wait, c.breakdown.output_wait);
    add_saturating(b.dram_stall, c.breakdown.dram_stall);
    add_saturating(b.fill_drain, c.breakdown.fill_drain);
    for (int level = 0; level < kNumLevels; ++level)
      for (int t = 0; t < kNumTensors; ++t) {
        AccessCounts& a = cost.accesses[level][t];
        const AccessCounts& x = c.accesses[level][t];
        add_saturating(a.reads, x.reads);
        add_saturating(a.fills, x.fills);
        add_saturating(a.updates, x.updates);
        add_saturating(a.drains, x.drains);
      }
    for (int level = 0; level < 2; ++level)
      for (int t = 0; t < kNumTensors; ++t)
        cost.buffer_bytes[level][t] = std::max(cost.buffer_bytes[level][t], c.buffer_bytes[level][t]);
    cost.energy.mac_pj += c.energy.mac_pj;
    cost.energy.l1_pj += c.energy.l1_pj;
    cost.energy.l2_pj += c.energy.l2_pj;
    cost.energy.dram_pj += c.energy.dram_pj;
    cost.energy.noc_pj += c.energy.noc_pj;
  }
};

void run_eval(const EvalOptions& o) {
  const Workload w = must(load_workload(o.workload));
  const HwConfig hw = must(load_hw(o.hw));
  const Tech tech = o.tech.empty() ? Tech{} : must(read_tech_yaml(o.tech));
  Calibration calibration;
  if (!o.calibration.empty()) calibration = must(read_calibration_yaml(o.calibration));

  // One layer only when --layer says so (its object or report); otherwise every layer and the
  // totals, whatever the number of layers, so that the output's shape depends on the command.
  const bool one_layer = !o.layer.empty();
  std::vector<int> layers;
  if (one_layer) {
    layers.push_back(must(resolve_layer(w, o.layer)));
  } else {
    for (size_t i = 0; i < w.layers.size(); ++i) layers.push_back(static_cast<int>(i));
  }
  const std::vector<Mapping> mappings = load_mappings(o, w, hw, layers);

  int name_width = 24;  // the table's layer column fits the longest name
  for (int i : layers) name_width = std::max<int>(name_width, static_cast<int>(w.layers[i].name.size()));
  Totals totals;
  totals.cost.pes = hw.pes();
  totals.cost.area = area_of(hw, tech);
  nlohmann::json json_layers = nlohmann::json::array();
  std::string table, rtl_notes;
  std::string line_buf(static_cast<size_t>(name_width) + 256, '\0');
  for (int i : layers) {
    const Layer& layer = w.layers[i];
    const Cost cost = evaluate(layer, hw, mappings[i], tech, &calibration);
    const Status rtl = sim::check_rtl_limits(layer, hw, mappings[i]);
    if (!rtl.ok())
      rtl_notes += "layer " + std::to_string(i) + " (" + layer.name + "): " + rtl.message() + "\n";
    totals.add(cost);
    if (o.json) {
      nlohmann::json j = cost_to_json(cost);
      j["macs"] = layer.macs();  // the layer's, also when the mapping is illegal (cost has none)
      j["index"] = i;
      j["name"] = layer.name;
      j["mapping"] = mapping_to_json(mappings[i]);
      j["rtl_limits"] = rtl.ok() ? "ok" : rtl.message();
      json_layers.push_back(j);
    } else if (one_layer) {
      table += cost_to_text(layer, cost);
    } else if (cost.status.ok()) {
      std::snprintf(line_buf.data(), line_buf.size(), "%4d %-*s %-9s %14lld %12lld %6.1f %12.3f  %s\n", i,
                    name_width, layer.name.c_str(), layer_kind_name(layer.kind),
                    static_cast<long long>(cost.macs), static_cast<long long>(cost.cycles),
                    100.0 * cost.utilization, cost.energy_pj() * 1e-6, "ok");
      table += line_buf.c_str();
    } else {  // no cycles or energy for an illegal mapping: dashes, not zeros
      std::snprintf(line_buf.data(), line_buf.size(), "%4d %-*s %-9s %14lld %12s %6s %12s  %s\n", i,
                    name_width, layer.name.c_str(), layer_kind_name(layer.kind),
                    static_cast<long long>(layer.macs()), "-", "-", "-",
                    cost.status.reason().c_str());
      table += line_buf.c_str();
    }
  }
  Cost& total = totals.cost;
  total.utilization = total.cycles > 0 ? static_cast<double>(total.macs) /
                                             (static_cast<double>(total.pes) * total.cycles)
                                       : 0.0;
  const std::string not_counted =
      totals.illegal == 0 ? ""
                          : std::to_string(totals.illegal) + " illegal layer" +
                                (totals.illegal == 1 ? "" : "s") + " not counted";
  if (o.json) {
    nlohmann::json out;
    if (one_layer) {
      out = json_layers[0];
    } else {
      out["layers"] = json_layers;
      nlohmann::json t = cost_to_json(total);
      t["status"] = totals.illegal == 0 ? "ok" : "some layers are illegal (" + not_counted + ")";
      t["layers_counted"] = totals.counted;
      t["illegal_layers"] = totals.illegal;
      out["totals"] = t;
    }
    out["workload"] = w.name;
    out["hw"] = hw.name;
    std::cout << out.dump(2) << "\n";
  } else {
    if (!one_layer) {
      std::printf("workload %s on %s (%lld PEs, %.4f mm2)\n", w.name.c_str(), hw.name.c_str(),
                  static_cast<long long>(hw.pes()), total.area_um2() * 1e-6);
      std::printf("%4s %-*s %-9s %14s %12s %6s %12s  %s\n", "#", name_width, "layer", "kind", "MACs",
                  "cycles", "util%", "energy_uJ", "status");
    }
    std::fputs(table.c_str(), stdout);
    if (!one_layer)
      std::printf("%4s %-*s %-9s %14lld %12lld %6.1f %12.3f  %s\n", "", name_width, "total", "",
                  static_cast<long long>(total.macs), static_cast<long long>(total.cycles),
                  100.0 * total.utilization, total.energy_pj() * 1e-6,
                  totals.illegal == 0 ? "" : not_counted.c_str());
    if (!rtl_notes.empty())
      std::printf("beyond the template's limits (the RTL cannot run these):\n%s",
                  rtl_notes.c_str());
  }
  if (totals.illegal > 0) throw CLI::RuntimeError(kExitFailed);
}

}  // namespace

void register_eval(CLI::App& app) {
  auto o = std::make_shared<EvalOptions>();
  CLI::App* sub = app.add_subcommand("eval", "Evaluate mappings of a workload with the cost model");
  sub->add_option("--workload", o->workload, "Zoo name, DiGamma CSV or workload YAML")->required();
  add_layer_option(sub, o->layer, "0-based layer index or layer name (default: all)");
  sub->add_option("--hw", o->hw, "Preset (tiny, edge, cloud) or hardware YAML")->required();
  sub->add_option("--mapping", o->mapping,
                  "Mapping YAML (one mapping, or a `mappings:` list per layer) or 'random'")
      ->required();
  CLI::Option* seed = add_seed_option(sub, o->seed, "Seed for --mapping random");
  sub->add_option("--tech", o->tech, "Technology table YAML (default: built-in)");
  sub->add_option("--calibration", o->calibration, "Calibration YAML (default: none)");
  sub->add_flag("--json", o->json, "Print JSON instead of a table");
  sub->callback([o, seed] {
    // A seed that would change nothing is more likely a mistaken --mapping than intended.
    if (seed->count() > 0 && o->mapping != "random")
      fail("--seed: only used with --mapping random (allowed: omit it with a mapping file)");
    run_eval(*o);
  });
}

}  // namespace af::cli
