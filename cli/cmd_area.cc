// `accelforge area --design DIR [--json]`: area of an emitted design from Yosys synthesis of each
// distinct leaf instance (cached), plus an SRAM table, beside the analytical area. See hw/area.h.
#include <iostream>

#include "cli/commands.h"
#include "core/io.h"
#include "hw/area.h"

namespace af::cli {
namespace {

struct AreaCliOptions {
  std::string design, tech, cache_dir, yosys = "yosys";
  bool json = false, no_cache = false;
  int jobs = 1;
};

void run_area(const AreaCliOptions& o) {
  hw::AreaOptions options;
  options.yosys = o.yosys;
  options.cache_dir = o.cache_dir;
  options.use_cache = !o.no_cache;
  options.jobs = o.jobs;
  if (!o.tech.empty()) {
    Expected<Tech> tech = read_tech_yaml(o.tech);
    if (!tech.ok()) {
      std::cerr << "accelforge area: " << tech.status().message() << "\n";
      throw CLI::RuntimeError(kExitBadInput);
    }
    options.tech = *tech;
  }
  // A directory that is not a design is bad input (exit 2); synthesis failures are failures.
  if (Expected<hw::Manifest> m = hw::read_manifest(o.design); !m.ok()) {
    std::cerr << "accelforge area: " << m.status().message() << "\n";
    throw CLI::RuntimeError(kExitBadInput);
  }
  Expected<hw::AreaReport> report = hw::design_area(o.design, options);
  if (!report.ok()) {
    std::cerr << "accelforge area: " << report.status().message() << "\n";
    throw CLI::RuntimeError(kExitFailed);
  }
  std::cout << (o.json ? hw::area_report_json(*report) + "\n" : hw::area_report_text(*report));
}

}  // namespace

void register_area(CLI::App& app) {
  auto o = std::make_shared<AreaCliOptions>();
  CLI::App* cmd = app.add_subcommand(
      "area", "Area of an emitted design: Yosys per leaf (cached) + SRAM table, and the analytical area");
  cmd->add_option("--design", o->design, "Design directory written by `accelforge emit`")->required();
  cmd->add_flag("--json", o->json, "Print one JSON object");
  cmd->add_option("--tech", o->tech, "Tech table YAML (SRAM um2 per bit, MAC um2)");
  cmd->add_option("--cache-dir", o->cache_dir,
                  "Synthesis cache (default $AF_CACHE_DIR/yosys or ~/.cache/accelforge/yosys)");
  cmd->add_flag("--no-cache", o->no_cache, "Synthesize every unit again and do not store results");
  cmd->add_option("--yosys", o->yosys, "Yosys executable");
  cmd->add_option("--jobs,-j", o->jobs, "Yosys processes at once (default 1)")->check(CLI::Range(1, 64));
  cmd->callback([o] { run_area(*o); });
}

}  // namespace af::cli
