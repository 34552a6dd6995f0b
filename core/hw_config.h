// HwConfig: one instance of the accelerator template (docs/template.md section 2), and presets.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/dims.h"
#include "core/status.h"

namespace af {

struct HwConfig {
  std::string name = "custom";
  int64_t rows = 4, cols = 4;
  Dim row_dim = Dim::C, col_dim = Dim::K;  // the dataflow
  std::array<int64_t, kNumTensors> l1_bytes{64, 64, 64};     // per PE, per tensor (W, I, O)
  std::array<int64_t, kNumTensors> l2_bytes{4096, 4096, 4096};  // per tensor (W, I, O)
  int64_t noc_words_per_cycle = 1;    // width of each distribution bus and the collection bus
  int64_t dram_bytes_per_cycle = 8;
  int64_t dram_latency_cycles = 20;
  // Precisions are fixed by the template (int8 x int8 -> int32); kept explicit for the manifest.
  int64_t weight_bits = 8, input_bits = 8, psum_bits = 32;

  int64_t pes() const { return rows * cols; }
};

inline constexpr int64_t word_bytes(Tensor t) { return t == Tensor::O ? 4 : 1; }

bool operator==(const HwConfig& a, const HwConfig& b);  // every field, name included
inline bool operator!=(const HwConfig& a, const HwConfig& b) { return !(a == b); }

// Presets: "tiny" (4x4, for tests and RTL in CI), "edge" (Eyeriss class, 12x14, under 0.2 mm2),
// "cloud" (64x64, under 7 mm2).
std::optional<HwConfig> hw_preset(const std::string& name);
std::vector<std::string> hw_preset_names();
// rows, cols >= 1; row_dim != col_dim; every buffer holds at least one double-buffered word
// (W, I >= 2 bytes, O >= 8 bytes); noc and DRAM widths >= 1; latency 0..2^16 (a bound of the
// cost model, MAX_DRAM_LATENCY_CYCLES); precisions 8/8/32;
// and the template's limits (core/template_constants.h, docs/template.md section 8): rows, cols
// <= 255, noc words and DRAM bytes per cycle <= 64, L1 halves of <= 2^16 words, L2 halves of
// < 2^24 bytes. Message: `field: problem (allowed: ...)`.
Status validate(const HwConfig& hw);

}  // namespace af
