// A design directory (rtl-templates/INTERFACES.md section 9), its Verilator build (one shared
// module per design, cached by a hash of the RTL text, parameters, Verilator version and flags)
// and the hand-written reference design used before / beside the generator.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/hw_config.h"
#include "core/status.h"
#include "sim/design_abi.h"

namespace af::sim {

struct Design {
  std::string dir;                                         // absolute
  std::string top = "af_top";
  std::vector<std::string> verilog;                        // absolute paths
  std::vector<std::pair<std::string, int64_t>> top_params; // -G<name>=<value>
  HwConfig hw;
};

// Reads DIR/manifest.yaml (keys: top, verilog, hw, top_params).
Expected<Design> load_design(const std::string& dir);

// The af_top parameters of a HwConfig (INTERFACES.md section 2).
std::vector<std::pair<std::string, int64_t>> top_params_for(const HwConfig& hw);

// Where the leaves live: $AF_RTL_TEMPLATES, else the source tree's rtl-templates/.
std::string rtl_templates_dir();

// Writes a design directory for `hw` from the hand-written leaves and reference_top.v:
// rtl/*.v, hw.yaml, manifest.yaml. Checks that the HwConfig can be built (validate(hw)).
Status write_reference_design(const HwConfig& hw, const std::string& dir);

// verilator --lint-only -Wall on the design; the tool output goes to *log.
Status lint_design(const Design& design, std::string* log = nullptr);

struct BuildOptions {
  bool trace = false;          // FST tracing compiled in
  int jobs = 2;
  std::string cache_dir;       // default: $AF_CACHE_DIR, else DIR/.verilator
  bool verbose = false;        // echo the Verilator command and its output to stderr
};
struct BuildInfo {
  std::string module_path;     // the shared module
  std::string key;             // cache key (hex)
  bool cached = false;         // found in the cache
  double seconds = 0;          // wall time of this call
};
Expected<BuildInfo> build_design(const Design& design, const BuildOptions& options = {});

// A loaded design module (dlopen).
class DesignModule {
 public:
  static Expected<std::shared_ptr<DesignModule>> load(const std::string& path);
  ~DesignModule();
  const AfDesignApi& api() const { return *api_; }
  DesignModule(const DesignModule&) = delete;
  DesignModule& operator=(const DesignModule&) = delete;

 private:
  DesignModule() = default;
  void* handle_ = nullptr;
  const AfDesignApi* api_ = nullptr;
};

// 64-bit FNV-1a (stable across platforms; the cache key).
uint64_t fnv1a(const std::string& text, uint64_t h = 0xcbf29ce484222325ull);

}  // namespace af::sim
