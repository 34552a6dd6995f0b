// The composition of the top level: which leaves exist (their parameters and ports, as declared
// in rtl-templates/*.v), which top parameters come from which HwConfig field, and how the
// instances are wired. This is the only file that knows rtl-templates/INTERFACES.md and
// reference_top.v; everything else in hw/ is generic.
#pragma once
#include <string>
#include <vector>

#include "core/hw_config.h"
#include "core/status.h"
#include "hw/design.h"
#include "hw/vast.h"

namespace af::hw {

// A hand-written leaf: its module (declared as a VAST extern module), its file, and the leaves
// it instantiates itself.
struct Leaf {
  std::string module;
  std::string file;
  std::vector<std::string> submodules;
  vast::Module* decl = nullptr;
};

// Declares every leaf of rtl-templates/ in `file` (extern modules, never printed).
std::vector<Leaf> declare_leaves(vast::VerilogFile& file);

// Top parameters derived from the HwConfig (INTERFACES.md section 2), in header order.
std::vector<TopParam> top_params(const HwConfig& hw);

// Builds module af_top in `file` from the declared leaves. An error means the netlist description
// itself is inconsistent (an output that drives nothing).
Expected<vast::Module*> compose_top(vast::VerilogFile& file, const std::vector<Leaf>& leaves,
                          const HwConfig& hw);

inline constexpr const char* kTopModule = "af_top";

}  // namespace af::hw
