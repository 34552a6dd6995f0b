// Area of an emitted design from synthesis (`accelforge area`).
//
// Every distinct (leaf module, parameter values) instantiated by the top is synthesized once with
// Yosys and a frozen script (kAreaScript below; also in README "Area from synthesis"), with its
// own sub-hierarchy kept (af_pe_array synthesizes af_pe once and counts it ROWS*COLS times).
// Inferred memories ($mem_v2 cells) are kept as black boxes through synthesis, so the logic
// around them (address decode, MAC, muxes) is counted and the storage is not; their bits go to a
// per-bit SRAM table (core/tech.h sram_um2_per_bit). Each result is cached on disk under a
// SHA-256 of (script, Yosys version, module, parameter values, text of every Verilog file read).
//
// Transistors -> um2: kUm2PerTransistor = 0.2, from a 45 nm standard-cell library (FreePDK45 /
// NanGate NAND2_X1: 0.798 um2 for 4 transistors), the node of the Horowitz energy numbers in
// core/tech.h. Yosys's `stat -tech cmos` is a relative proxy (its own README calls it mock-up
// CMOS): the gate set alone moves absolute numbers by ~30 %, which is why script and Yosys
// version are part of the cache key and printed with every report.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"
#include "core/tech.h"
#include "costmodel/cost.h"
#include "hw/design.h"

namespace af::hw {

inline constexpr double kUm2PerTransistor = 0.2;
inline constexpr const char* kAreaScriptVersion = "af-area-v1";

// The frozen script: Yosys's `synth` up to its fine stage, the memories dumped and left as black
// boxes (no memory_map), generic techmap, flip-flops legalized to plain $_DFF_P_ (so every flop
// has a CMOS cost), one ABC mapping to the cmos2 gate set, `stat -tech cmos`. (synth's own
// `abc -fast` is skipped: mapping twice cost ~25 % more time for a 0.5 % different count.)
// Placeholders: {FILES} the Verilog files, {CHPARAM} `chparam -set P V ...
// MODULE` (empty without parameters), {TOP} the module, {MEM} and {STAT} output files.
inline constexpr const char* kAreaScript =
    "read_verilog {FILES}\n"
    "{CHPARAM}"
    "hierarchy -check -top {TOP}\n"
    "synth -run begin:fine\n"
    "tee -q -o {MEM} dump -m t:$mem_v2\n"
    "opt -fast -full\n"
    "opt -full\n"
    "techmap\n"
    "opt -fast\n"
    "dfflegalize -cell $_DFF_P_ 01\n"
    "abc -g cmos2\n"
    "opt_clean\n"
    "tee -q -o {STAT} stat -tech cmos\n";

// One synthesis unit: a leaf module with parameter values and the files Yosys must read.
struct AreaUnit {
  std::string module;
  ParamList params;
  std::vector<std::string> files;  // absolute paths
};

// What one synthesis gives, per instance of the unit (sub-hierarchy included).
struct UnitArea {
  int64_t transistors = 0;
  int64_t memory_bits = 0;                 // inferred memories, black-boxed
  std::map<std::string, int64_t> cells;    // gate type -> count (sub-hierarchy included)
  bool complete = true;                    // every non-memory cell had a CMOS cost
  double seconds = 0;                      // Yosys wall time (of the run that filled the cache)
};

struct AreaOptions {
  std::string yosys = "yosys";
  std::string cache_dir;  // empty: $AF_CACHE_DIR/yosys, else $XDG_CACHE_HOME or ~/.cache/accelforge/yosys
  bool use_cache = true;
  int jobs = 1;  // Yosys processes run at once (distinct units of one design)
  Tech tech;
};

// Runs (or reads from the cache) one unit. `cached` says which.
Expected<UnitArea> synthesize_unit(const AreaUnit& unit, const AreaOptions& options, bool* cached,
                                   std::string* key = nullptr);

struct InstanceArea {
  std::string instance, module;
  ParamList params;
  int64_t count = 1;
  UnitArea area;     // per instance
  bool cached = false;
  double seconds = 0;  // time spent on this unit in this run (~0 when cached)
};

struct AreaReport {
  std::string design_dir, top, hw_name, yosys_version;
  std::vector<InstanceArea> instances;
  int64_t transistors = 0, memory_bits = 0;
  int64_t buffer_bits = 0;  // L1 (all PEs) + L2 capacities of the HwConfig
  double logic_um2 = 0, sram_um2 = 0;
  double total_um2() const { return logic_um2 + sram_um2; }
  AreaBreakdown analytical;  // costmodel area_of(hw, tech)
  bool complete = true;
  int cache_hits = 0, cache_misses = 0;
  double seconds = 0;
};

// Reads DIR/manifest.yaml (written by `accelforge emit`) and synthesizes its instances.
Expected<AreaReport> design_area(const std::string& design_dir, const AreaOptions& options);

std::string area_report_text(const AreaReport& report);
std::string area_report_json(const AreaReport& report);  // one JSON object

// "Yosys 0.23 (git sha1 ...)", or an error when Yosys cannot be run.
Expected<std::string> yosys_version(const std::string& yosys);

}  // namespace af::hw
