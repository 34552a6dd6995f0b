// `accelforge emit --hw PRESET|FILE --out DIR`: writes the design directory of a HwConfig (the
// generated top, copies of the rtl-templates leaves it uses, manifest.yaml, params.h, hw.yaml),
// atomically. See hw/design.h.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "cli/commands.h"
#include "core/io.h"
#include "hw/design.h"

namespace af::cli {
namespace {

struct EmitOptions {
  std::string hw, out, templates;
  bool quiet = false;
};

void run_emit(const EmitOptions& o) {
  const auto t0 = std::chrono::steady_clock::now();
  // The destination first: a path that can never hold the design is bad input (exit 2), not a
  // failure after generating it. A non-empty directory without manifest.yaml is never replaced.
  if (Status s = check_output_dir("--out", o.out); !s.ok()) {
    std::cerr << "accelforge emit: " << s.message() << "\n";
    throw CLI::RuntimeError(kExitBadInput);
  }
  {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (fs::is_directory(o.out, ec) && !fs::is_empty(o.out, ec) &&
        !fs::exists(fs::path(o.out) / "manifest.yaml", ec)) {
      std::cerr << "accelforge emit: --out: '" << o.out
                << "': a non-empty directory that is not a design (allowed: a new or empty "
                   "directory, or a design directory, which is replaced)\n";
      throw CLI::RuntimeError(kExitBadInput);
    }
  }
  Expected<HwConfig> hw = load_hw(o.hw);
  if (!hw.ok()) {
    std::cerr << "accelforge emit: " << hw.status().message() << "\n";
    throw CLI::RuntimeError(kExitBadInput);
  }
  const std::string templates = o.templates.empty() ? hw::default_templates_dir() : o.templates;
  Expected<hw::Design> design = hw::generate(*hw, templates);
  if (!design.ok()) {
    std::cerr << "accelforge emit: " << design.status().message() << "\n";
    throw CLI::RuntimeError(kExitBadInput);
  }
  const auto t1 = std::chrono::steady_clock::now();
  if (Status s = hw::write_design(*design, o.out); !s.ok()) {
    std::cerr << "accelforge emit: " << s.message() << "\n";
    throw CLI::RuntimeError(kExitFailed);
  }
  const auto t2 = std::chrono::steady_clock::now();
  if (!o.quiet) {
    auto ms = [](auto a, auto b) { return std::chrono::duration<double, std::milli>(b - a).count(); };
    std::printf("emitted %s (%s, %lldx%lld, %zu instances, %zu files) to %s in %.1f ms "
                "(generate %.1f ms, write %.1f ms)\n",
                design->top.c_str(), hw->name.c_str(), static_cast<long long>(hw->rows),
                static_cast<long long>(hw->cols), design->instances.size(), design->files.size(),
                o.out.c_str(), ms(t0, t2), ms(t0, t1), ms(t1, t2));
  }
}

}  // namespace

void register_emit(CLI::App& app) {
  auto o = std::make_shared<EmitOptions>();
  CLI::App* cmd = app.add_subcommand(
      "emit", "Generate the Verilog design of a hardware configuration (top + leaves + manifest)");
  cmd->add_option("--hw", o->hw, "Hardware preset (tiny, edge, cloud) or HwConfig YAML file")->required();
  cmd->add_option("--out", o->out, "Design directory to write (replaced atomically)")->required();
  cmd->add_option("--templates", o->templates,
                  "rtl-templates directory (default: $AF_RTL_TEMPLATES or the source tree's)");
  cmd->add_flag("--quiet", o->quiet, "Print nothing on success");
  cmd->callback([o] { run_emit(*o); });
}

}  // namespace af::cli
