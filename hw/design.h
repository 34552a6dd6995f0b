// The generator's front door: HwConfig -> an emitted design (top-level Verilog composed through
// VAST, copies of the rtl-templates leaves it uses, manifest.yaml, params.h, hw.yaml), and the
// manifest reader used by `accelforge area` (and readable by `accelforge simulate`).
//
// Design directory (rtl-templates/INTERFACES.md section 9):
//   af_top.v        the generated top (hw/compose.cc), legalized and printed by VAST
//   af_*.v          byte-for-byte copies of the leaves the top instantiates (transitively)
//   manifest.yaml   top, verilog files, hw, top_params, every top parameter with its HwConfig
//                   source, every top port with its width, every instance with its parameter
//                   values, instance count and the files that define it
//   params.h        the same parameters and port widths as C++ constants, for testbenches
//   hw.yaml         the HwConfig (af::read_hw_yaml reads it back)
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/hw_config.h"
#include "core/status.h"
#include "hw/vast_legalize.h"

namespace af::hw {

using ParamList = std::vector<std::pair<std::string, int64_t>>;

// One top-level parameter and where its value comes from.
struct TopParam {
  std::string name;
  int64_t value = 0;
  std::string source;   // the HwConfig field (or "derived: ...")
  std::string meaning;
};

struct PortInfo {
  std::string name;
  bool is_input = true;
  int64_t width = 1;
  std::string comment;
};

// An instance of a leaf at the top (counted over generate loops), with its parameter values
// and the files Yosys / Verilator must read to elaborate it (its own file first).
struct InstanceInfo {
  std::string name, module;
  ParamList params;
  int64_t count = 1;
  std::vector<std::string> files;  // file names, relative to the design directory
};

struct Design {
  HwConfig hw;
  std::string top;                 // module name, "af_top"
  std::vector<TopParam> params;
  std::vector<PortInfo> ports;
  std::vector<InstanceInfo> instances;
  std::vector<std::string> verilog;  // file names: the top first, then the leaves (sorted)
  // Every file of the design directory: name -> text.
  std::vector<std::pair<std::string, std::string>> files;
  vast::LegalizeReport legalize;
  const std::string& text(const std::string& name) const;  // "" when absent
};

// The rtl-templates directory: $AF_RTL_TEMPLATES when set, else the source tree's.
std::string default_templates_dir();

// Builds the design in memory (nothing is written). Errors: an invalid HwConfig, a value the
// template's fixed field widths cannot hold, a missing leaf file, or a legalize error.
Expected<Design> generate(const HwConfig& hw, const std::string& templates_dir);

// Writes every file of `design` into `out_dir`, atomically: the files go to a fresh sibling
// directory which then replaces `out_dir` (renameat2 RENAME_EXCHANGE when `out_dir` exists; its
// caches `.verilator/` and `.area/` are carried over). Refuses to replace a non-empty directory
// that is not a design (no manifest.yaml).
Status write_design(const Design& design, const std::string& out_dir);

// The manifest, as `accelforge area` needs it.
struct Manifest {
  std::string dir;  // the design directory
  std::string top;
  std::vector<std::string> verilog;
  std::string hw_file;  // relative to dir
  std::vector<InstanceInfo> instances;
};
Expected<Manifest> read_manifest(const std::string& design_dir);

}  // namespace af::hw
