// HwConfig validation and presets (core/hw_config.h).
#include "core/hw_config.h"

#include "core/internal.h"
#include "core/template_constants.h"

namespace af {

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

// An upper limit of the template (core/template_constants.h), or of the cost model.
Status at_most(const std::string& field, int64_t value, int64_t max, const std::string& allowed,
               const char* whose = "the template's limit") {
  if (value <= max) return Status();
  return field_error(field, "value " + std::to_string(value) + " above " + whose + " " +
                                std::to_string(max),
                     allowed);
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
    // 8-word buses: Eyeriss v1's global-buffer-to-array buses are 64 bits (4 x 16-bit words);
    // at int8 that is 8 words. With 4 words the weight distribution of each new L2 tile caps
    // compute-bound layers at ~88 % MAC utilization (scripts/bench_rtl/RESULTS.md).
    return make_preset("edge", 12, 14, {256, 64, 128}, {32768, 32768, 32768}, 8, 16, 100);
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
  if (internal::has_control_character(hw.name))
    return field_error("name", "control character in " + internal::quote_value(hw.name),
                       "text without control characters");
  // rows, cols: 8-bit fields of the RTL.
  const std::string side = "integer 1.." + std::to_string(MAX_ARRAY_SIDE) +
                           " (8-bit row and column fields of the RTL)";
  if (Status s = at_least("rows", hw.rows, 1, "integer >= 1"); !s.ok()) return s;
  if (Status s = at_most("rows", hw.rows, MAX_ARRAY_SIDE, side); !s.ok()) return s;
  if (Status s = at_least("cols", hw.cols, 1, "integer >= 1"); !s.ok()) return s;
  if (Status s = at_most("cols", hw.cols, MAX_ARRAY_SIDE, side); !s.ok()) return s;
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
    const std::string word = t == Tensor::O ? "int32" : "int8";
    const std::string allowed = "integer >= " + std::to_string(min) +
                                " (one double-buffered " + word + " word)";
    if (Status s = at_least(kL1[idx(t)], hw.l1_bytes[idx(t)], min, allowed); !s.ok()) return s;
    if (Status s = at_least(kL2[idx(t)], hw.l2_bytes[idx(t)], min, allowed); !s.ok()) return s;
    // Upper limits: L1 word addresses and L2 byte addresses within a half.
    const int64_t l1_max = 2 * word_bytes(t) * MAX_L1_WORDS_PER_HALF;
    if (Status s = at_most(kL1[idx(t)], hw.l1_bytes[idx(t)], l1_max,
                           "integer " + std::to_string(min) + ".." + std::to_string(l1_max) +
                               " (two halves of at most " +
                               std::to_string(MAX_L1_WORDS_PER_HALF) + " " + word +
                               " words: 16-bit L1 addresses)");
        !s.ok()) {
      return s;
    }
    const int64_t l2_max = 2 * MAX_L2_BYTES_PER_HALF;
    if (Status s = at_most(kL2[idx(t)], hw.l2_bytes[idx(t)], l2_max,
                           "integer " + std::to_string(min) + ".." + std::to_string(l2_max) +
                               " (two halves of at most 2^24-1 bytes: 24-bit L2 addresses)");
        !s.ok()) {
      return s;
    }
  }
  if (Status s = at_least("noc_words_per_cycle", hw.noc_words_per_cycle, 1, "integer >= 1");
      !s.ok()) {
    return s;
  }
  if (Status s = at_most("noc_words_per_cycle", hw.noc_words_per_cycle, MAX_NOC_WORDS_PER_CYCLE,
                         "integer 1.." + std::to_string(MAX_NOC_WORDS_PER_CYCLE) +
                             " (bus slots the RTL's buffers are written from)");
      !s.ok()) {
    return s;
  }
  if (Status s = at_least("dram_bytes_per_cycle", hw.dram_bytes_per_cycle, 1, "integer >= 1");
      !s.ok()) {
    return s;
  }
  if (Status s = at_most("dram_bytes_per_cycle", hw.dram_bytes_per_cycle,
                         MAX_DRAM_BYTES_PER_CYCLE,
                         "integer 1.." + std::to_string(MAX_DRAM_BYTES_PER_CYCLE) +
                             " (bytes of a memory beat the RTL's L2 banks take)");
      !s.ok()) {
    return s;
  }
  // At least 1: the memory port is registered, so the first beat of a read accepted in cycle t
  // comes in cycle t + 1 at the earliest (rtl-templates/INTERFACES.md); a 0 would make the model
  // up to ~10 % faster than the RTL can be.
  if (Status s = at_least("dram_latency_cycles", hw.dram_latency_cycles, 1,
                          "integer >= 1 (a read is answered one cycle after its request at the "
                          "earliest)");
      !s.ok()) {
    return s;
  }
  if (Status s = at_most("dram_latency_cycles", hw.dram_latency_cycles, MAX_DRAM_LATENCY_CYCLES,
                         "integer 1.." + std::to_string(MAX_DRAM_LATENCY_CYCLES) +
                             " (2^16; keeps the cost model's cycle counts within int64)",
                         "the limit");
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
  // Per-cycle counter increments (at most every PE from every bus slot). Implied by the limits
  // above today; checked so that raising one of them cannot silently overflow a counter.
  if (hw.rows * hw.cols * hw.noc_words_per_cycle > MAX_COUNTER_INC) {
    return field_error("noc_words_per_cycle", "rows*cols*noc_words_per_cycle above the template's limit " +
                           std::to_string(MAX_COUNTER_INC),
                       "a product below 2^24 (24-bit per-cycle counter increments)");
  }
  // With these limits the PE count and the total SRAM bits the area model sums fit int64.
  return Status();
}

}  // namespace af
