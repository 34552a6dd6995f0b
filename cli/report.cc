// JSON and text renderings of cost-model results for the CLI.
#include "cli/report.h"

#include <cstdio>
#include <cstdint>
#include <sstream>

namespace af::cli {

using nlohmann::json;

json accesses_to_json(const AccessTable& accesses) {
  json out = json::object();
  for (int level = 0; level < kNumLevels; ++level) {
    json per_tensor = json::object();
    for (Tensor t : kAllTensors) {
      const AccessCounts& a = accesses[level][idx(t)];
      per_tensor[tensor_name(t)] = {
          {"reads", a.reads}, {"fills", a.fills}, {"updates", a.updates}, {"drains", a.drains}};
    }
    out[level_name(level)] = per_tensor;
  }
  return out;
}

json breakdown_to_json(const CycleBreakdown& b) {
  return {{"compute", b.compute},       {"input_wait", b.input_wait},
          {"output_wait", b.output_wait}, {"dram_stall", b.dram_stall},
          {"fill_drain", b.fill_drain}};
}

json mapping_to_json(const Mapping& m) {
  auto level = [](const LevelMapping& lm) {
    json tiles = json::object();
    for (Dim d : kAllDims) tiles[std::string(1, dim_char(d))] = lm.tile[idx(d)];
    return json{{"tile", tiles}, {"order", order_string(lm.order)}};
  };
  return {{"l2", level(m.l2)}, {"l1", level(m.l1)}};
}

namespace {

// The model's own cycles: the sum of the (uncalibrated) breakdown, saturating like eval's totals.
int64_t uncalibrated_cycles(const CycleBreakdown& b) {
  int64_t sum = 0;
  for (int64_t part : {b.compute, b.input_wait, b.output_wait, b.dram_stall, b.fill_drain})
    sum = part > INT64_MAX - sum ? INT64_MAX : sum + part;
  return sum;
}

}  // namespace

json cost_to_json(const Cost& cost) {
  json j;
  j["status"] = cost.status.ok() ? "ok" : cost.status.reason();
  j["macs"] = cost.macs;
  j["cycles"] = cost.cycles;
  j["pes"] = cost.pes;
  j["utilization"] = cost.utilization;
  j["energy_pj"] = cost.energy_pj();
  j["area_um2"] = cost.area_um2();
  j["energy_breakdown_pj"] = {{"mac", cost.energy.mac_pj}, {"l1", cost.energy.l1_pj},
                              {"l2", cost.energy.l2_pj},   {"dram", cost.energy.dram_pj},
                              {"noc", cost.energy.noc_pj}};
  j["area_breakdown_um2"] = {
      {"pe", cost.area.pe_um2}, {"l1", cost.area.l1_um2}, {"l2", cost.area.l2_um2}};
  json buffers = json::object();
  for (int level = 0; level < 2; ++level) {
    json per_tensor = json::object();
    for (Tensor t : kAllTensors) per_tensor[tensor_name(t)] = cost.buffer_bytes[level][idx(t)];
    buffers[level == 0 ? "L1" : "L2"] = per_tensor;
  }
  j["buffer_bytes"] = buffers;
  j["accesses"] = accesses_to_json(cost.accesses);
  // `cycles` is calibrated when a calibration is given; the breakdown is always the model's own,
  // and sums to cycles_uncalibrated.
  j["cycles_breakdown"] = breakdown_to_json(cost.breakdown);
  j["cycles_uncalibrated"] = uncalibrated_cycles(cost.breakdown);
  return j;
}

std::string cost_to_text(const Layer& layer, const Cost& cost) {
  std::ostringstream os;
  os << "layer " << layer.name << " (" << layer_kind_name(layer.kind) << ")  status: "
     << (cost.status.ok() ? "ok" : cost.status.reason()) << "\n";
  if (!cost.status.ok()) return os.str();
  char line[256];
  std::snprintf(line, sizeof line,
                "  MACs %lld  cycles %lld  PEs %lld  utilization %.1f %%\n"
                "  energy %.3f uJ (MACs %.3f, L1 %.3f, L2 %.3f, DRAM %.3f, buses %.3f)\n"
                "  area %.4f mm2 (PEs %.4f, L1 %.4f, L2 %.4f)\n",
                static_cast<long long>(cost.macs), static_cast<long long>(cost.cycles),
                static_cast<long long>(cost.pes), 100.0 * cost.utilization,
                cost.energy_pj() * 1e-6, cost.energy.mac_pj * 1e-6, cost.energy.l1_pj * 1e-6,
                cost.energy.l2_pj * 1e-6, cost.energy.dram_pj * 1e-6, cost.energy.noc_pj * 1e-6,
                cost.area_um2() * 1e-6, cost.area.pe_um2 * 1e-6, cost.area.l1_um2 * 1e-6,
                cost.area.l2_um2 * 1e-6);
  os << line;
  const CycleBreakdown& b = cost.breakdown;
  const int64_t uncalibrated = uncalibrated_cycles(b);
  if (uncalibrated != cost.cycles)  // calibrated: say what the causes add up to
    os << "  uncalibrated cycles " << uncalibrated << " (the causes below; calibrated: "
       << cost.cycles << ")\n";
  std::snprintf(line, sizeof line,
                "  cycles: compute %lld, input wait %lld, output wait %lld, DRAM stall %lld, "
                "fill/drain %lld\n",
                static_cast<long long>(b.compute), static_cast<long long>(b.input_wait),
                static_cast<long long>(b.output_wait), static_cast<long long>(b.dram_stall),
                static_cast<long long>(b.fill_drain));
  os << line;
  os << "  accesses (words)     reads        fills      updates       drains\n";
  for (int level = 0; level < kNumLevels; ++level) {
    for (Tensor t : kAllTensors) {
      const AccessCounts& a = cost.accesses[level][idx(t)];
      std::snprintf(line, sizeof line, "  %-4s %-8s %12lld %12lld %12lld %12lld\n",
                    level_name(level), tensor_name(t), static_cast<long long>(a.reads),
                    static_cast<long long>(a.fills), static_cast<long long>(a.updates),
                    static_cast<long long>(a.drains));
      os << line;
    }
  }
  os << "  buffers needed (bytes, double-buffered): ";
  for (int level = 0; level < 2; ++level) {
    os << (level == 0 ? "L1 " : "  L2 ");
    for (Tensor t : kAllTensors)
      os << tensor_name(t)[0] << "=" << cost.buffer_bytes[level][idx(t)] << " ";
  }
  os << "\n";
  return os.str();
}

Expected<int> resolve_layer(const Workload& workload, const std::string& which) {
  const int n = static_cast<int>(workload.layers.size());
  bool digits = !which.empty() && which.size() < 10;
  for (char c : which) digits = digits && c >= '0' && c <= '9';
  // Digits are an index first; a layer whose name is digits is found by name when the index is
  // out of range (an in-range index wins).
  if (digits) {
    const int i = std::stoi(which);
    if (i < n) return i;
  }
  for (int i = 0; i < n; ++i)
    if (workload.layers[i].name == which) return i;
  return Status::Error("--layer: no layer '" + which + "' in workload '" + workload.name +
                       "' (allowed: 0.." + std::to_string(n - 1) + " or a layer name)");
}

}  // namespace af::cli
