// HwConfig validation and presets (core/hw_config.h).
#include "core/hw_config.h"

#include "core/internal.h"

namespace af {

using internal::checked_add;
using internal::checked_mul;

namespace {

// Presets, sized against the area model of docs/template.md section 7 with DiGamma's constants
// (282 um2 per PE + 0.086 um2 per SRAM bit over every L1 (per PE x PEs) and L2 byte); the test
// core_hw_test recomputes the areas and checks the budgets.
HwConfig make_preset(const char* name, int64_t rows, int64_t cols,
                     std::array<int64_t, kNumTensors> l1, std::array<int64_t, kNumTensors> l2,
                     int64_t noc, int64_t dram_bytes, int64_t dram_latency) {
  HwConfig hw;
  hw.name = name;
  hw.rows = rows;
  hw.cols = cols;
  hw.row_dim = Dim::C;  // reduction over rows, output channels over columns (NVDLA-like)
  hw.col_dim = Dim::K;
  hw.l1_bytes = l1;
  hw.l2_bytes = l2;
  hw.noc_words_per_cycle = noc;
  hw.dram_bytes_per_cycle = dram_bytes;
  hw.dram_latency_cycles = dram_latency;
  return hw;
}

Status field_error(const std::string& field, const std::string& problem,
                   const std::string& allowed) {
  return internal::to_status({field, problem, allowed});
}

Status at_least(const std::string& field, int64_t value, int64_t min, const std::string& allowed) {
  if (value >= min) return Status();
  return field_error(field, internal::below_min_problem(value, min), allowed);
}

}  // namespace

std::vector<std::string> hw_preset_names() { return {"tiny", "edge", "cloud"}; }

std::optional<HwConfig> hw_preset(const std::string& name) {
  constexpr int64_t kMiB = 1 << 20;
  if (name == "tiny") {
    // 4x4 for unit tests and RTL in CI: 0.0186 mm2.
    return make_preset("tiny", 4, 4, {64, 64, 128}, {4096, 4096, 8192}, 2, 8, 20);
  }
  if (name == "edge") {
    // Eyeriss class (168 PEs, 108 KiB global buffer in Eyeriss v1): 12x14, 96 KiB L2,
    // 448 B of L1 per PE, 16 B/cycle of DRAM. 0.167 mm2 < 0.2 mm2 (DiGamma's edge budget).
    return make_preset("edge", 12, 14, {256, 64, 128}, {32768, 32768, 32768}, 4, 16, 100);
  }
  if (name == "cloud") {
    // 64x64 (TPU-v1 class array, smaller buffers), 3 MiB L2, 64 B/cycle of DRAM.
    // 3.95 mm2 < 7 mm2 (DiGamma's cloud budget).
    return make_preset("cloud", 64, 64, {128, 32, 64}, {kMiB, kMiB, kMiB}, 16, 64, 200);
  }
  return std::nullopt;
}

bool operator==(const HwConfig& a, const HwConfig& b) {
  return a.name == b.name && a.rows == b.rows && a.cols == b.cols && a.row_dim == b.row_dim &&
         a.col_dim == b.col_dim && a.l1_bytes == b.l1_bytes && a.l2_bytes == b.l2_bytes &&
         a.noc_words_per_cycle == b.noc_words_per_cycle &&
         a.dram_bytes_per_cycle == b.dram_bytes_per_cycle &&
         a.dram_latency_cycles == b.dram_latency_cycles && a.weight_bits == b.weight_bits &&
         a.input_bits == b.input_bits && a.psum_bits == b.psum_bits;
}

Status validate(const HwConfig& hw) {
  if (hw.name.empty()) return field_error("name", "empty name", "a non-empty string");
  if (Status s = at_least("rows", hw.rows, 1, "integer >= 1"); !s.ok()) return s;
  if (Status s = at_least("cols", hw.cols, 1, "integer >= 1"); !s.ok()) return s;
  for (const auto& [field, d] : {std::pair<const char*, Dim>{"row_dim", hw.row_dim},
                                 std::pair<const char*, Dim>{"col_dim", hw.col_dim}}) {
    if (idx(d) < 0 || idx(d) >= kNumDims) {
      return field_error(field, "not a dimension", "one of N G K C Y X R S");
    }
  }
  if (hw.row_dim == hw.col_dim) {
    return field_error("col_dim",
                       std::string("same dimension as row_dim (") + dim_char(hw.row_dim) + ")",
                       "two different dimensions of N G K C Y X R S");
  }
  static const char* kL1[] = {"l1_w_bytes", "l1_i_bytes", "l1_o_bytes"};
  static const char* kL2[] = {"l2_w_bytes", "l2_i_bytes", "l2_o_bytes"};
  for (Tensor t : kAllTensors) {
    // A buffer must hold at least one double-buffered word, or no mapping fits.
    const int64_t min = 2 * word_bytes(t);
    const std::string allowed = "integer >= " + std::to_string(min) +
                                " (one double-buffered " + (t == Tensor::O ? "int32" : "int8") +
                                " word)";
    if (Status s = at_least(kL1[idx(t)], hw.l1_bytes[idx(t)], min, allowed); !s.ok()) return s;
    if (Status s = at_least(kL2[idx(t)], hw.l2_bytes[idx(t)], min, allowed); !s.ok()) return s;
  }
  if (Status s = at_least("noc_words_per_cycle", hw.noc_words_per_cycle, 1, "integer >= 1");
      !s.ok()) {
    return s;
  }
  if (Status s = at_least("dram_bytes_per_cycle", hw.dram_bytes_per_cycle, 1, "integer >= 1");
      !s.ok()) {
    return s;
  }
  if (Status s = at_least("dram_latency_cycles", hw.dram_latency_cycles, 0, "integer >= 0");
      !s.ok()) {
    return s;
  }
  // The template is int8 x int8 -> int32 (docs/template.md section 1).
  if (hw.weight_bits != 8) {
    return field_error("weight_bits", "unsupported precision " + std::to_string(hw.weight_bits),
                       "8");
  }
  if (hw.input_bits != 8) {
    return field_error("input_bits", "unsupported precision " + std::to_string(hw.input_bits),
                       "8");
  }
  if (hw.psum_bits != 32) {
    return field_error("psum_bits", "unsupported precision " + std::to_string(hw.psum_bits),
                       "32");
  }
  // PE count and total SRAM bits must fit int64 (the area model sums them).
  int64_t pes = 0;
  if (!checked_mul(hw.rows, hw.cols, &pes)) {
    return field_error("cols", "rows*cols overflows int64", "rows*cols <= 2^63-1");
  }
  int64_t bytes = 0, l1_total = 0;
  for (Tensor t : kAllTensors) {
    if (!checked_add(l1_total, hw.l1_bytes[idx(t)], &l1_total) ||
        !checked_add(bytes, hw.l2_bytes[idx(t)], &bytes)) {
      return field_error(kL2[idx(t)], "total buffer bytes overflow int64",
                         "a total below 2^63 bits");
    }
  }
  if (!checked_mul(l1_total, pes, &l1_total) || !checked_add(bytes, l1_total, &bytes) ||
      !checked_mul(bytes, 8, &bytes)) {
    return field_error("l1_w_bytes", "total SRAM bits (L1 x PEs + L2) overflow int64",
                       "a total below 2^63 bits");
  }
  return Status();
}

}  // namespace af
