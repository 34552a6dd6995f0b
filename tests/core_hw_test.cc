// Hardware presets (with their area budgets), HwConfig validation, and the technology table.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "core/hw_config.h"
#include "core/tech.h"

namespace af {
namespace {

::testing::AssertionResult StartsWith(const std::string& text, const std::string& prefix) {
  if (text.compare(0, prefix.size(), prefix) == 0) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "'" << text << "' does not start with '" << prefix << "'";
}

// Area model of docs/template.md section 7 with DiGamma's constants: 282 um2 per PE and
// 0.086 um2 per SRAM bit over every L1 byte (per PE, times the PEs) and every L2 byte.
double area_mm2(const HwConfig& hw) {
  const Tech tech;
  int64_t l1 = 0, l2 = 0;
  for (Tensor t : kAllTensors) {
    l1 += hw.l1_bytes[idx(t)];
    l2 += hw.l2_bytes[idx(t)];
  }
  const double bits = 8.0 * (static_cast<double>(l1) * hw.pes() + static_cast<double>(l2));
  return (hw.pes() * tech.mac_um2 + bits * tech.sram_um2_per_bit) * 1e-6;
}

TEST(core_Hw, PresetNames) {
  EXPECT_EQ(hw_preset_names(), (std::vector<std::string>{"tiny", "edge", "cloud"}));
  for (const std::string& n : hw_preset_names()) {
    auto hw = hw_preset(n);
    ASSERT_TRUE(hw) << n;
    EXPECT_EQ(hw->name, n);
    EXPECT_TRUE(validate(*hw).ok()) << validate(*hw).message();
  }
  EXPECT_FALSE(hw_preset("huge"));
  EXPECT_FALSE(hw_preset(""));
  EXPECT_FALSE(hw_preset("Edge"));
}

void ExpectPreset(const HwConfig& hw, int64_t rows, int64_t cols,
                  std::array<int64_t, kNumTensors> l1, std::array<int64_t, kNumTensors> l2,
                  int64_t noc, int64_t dram, int64_t latency) {
  EXPECT_EQ(hw.rows, rows);
  EXPECT_EQ(hw.cols, cols);
  EXPECT_EQ(hw.row_dim, Dim::C);
  EXPECT_EQ(hw.col_dim, Dim::K);
  EXPECT_EQ(hw.l1_bytes, l1);
  EXPECT_EQ(hw.l2_bytes, l2);
  EXPECT_EQ(hw.noc_words_per_cycle, noc);
  EXPECT_EQ(hw.dram_bytes_per_cycle, dram);
  EXPECT_EQ(hw.dram_latency_cycles, latency);
  EXPECT_EQ(hw.weight_bits, 8);
  EXPECT_EQ(hw.input_bits, 8);
  EXPECT_EQ(hw.psum_bits, 32);
}

TEST(core_Hw, PresetValues) {
  ExpectPreset(*hw_preset("tiny"), 4, 4, {64, 64, 128}, {4096, 4096, 8192}, 2, 8, 20);
  ExpectPreset(*hw_preset("edge"), 12, 14, {256, 64, 128}, {32768, 32768, 32768}, 8, 16, 100);
  ExpectPreset(*hw_preset("cloud"), 64, 64, {128, 32, 64}, {1 << 20, 1 << 20, 1 << 20}, 16, 64,
               200);
  EXPECT_EQ(hw_preset("edge")->pes(), 168);  // Eyeriss class
}

TEST(core_Hw, PresetAreasMeetTheBudgets) {
  // edge: 168*282 + 8*0.086*(448*168 + 98304) um2 = 0.16679 mm2 < 0.2 mm2.
  const double edge = area_mm2(*hw_preset("edge"));
  EXPECT_NEAR(edge, 0.166791, 1e-5);
  EXPECT_LT(edge, 0.2);
  // cloud: 4096*282 + 8*0.086*(224*4096 + 3 MiB) um2 = 3.95058 mm2 < 7 mm2.
  const double cloud = area_mm2(*hw_preset("cloud"));
  EXPECT_NEAR(cloud, 3.950575, 1e-5);
  EXPECT_LT(cloud, 7.0);
  // tiny: 16*282 + 8*0.086*(256*16 + 16384) um2 = 0.01860 mm2.
  EXPECT_NEAR(area_mm2(*hw_preset("tiny")), 0.018602, 1e-5);
}

TEST(core_Hw, ValidateRejectsBadConfigs) {
  struct Case {
    void (*edit)(HwConfig&);
    const char* prefix;
  };
  const Case cases[] = {
      {[](HwConfig& h) { h.name = ""; }, "name: empty name"},
      {[](HwConfig& h) { h.name = "a\nb"; }, "name: control character in 'a\\nb'"},
      {[](HwConfig& h) { h.rows = 0; }, "rows: zero value (allowed: integer >= 1)"},
      // 1e15 cycles of DRAM latency gave negative cycles in the cost model.
      {[](HwConfig& h) { h.dram_latency_cycles = 1000000000000000; },
       "dram_latency_cycles: value 1000000000000000 above the limit 65536 (allowed: "
       "integer 1..65536 (2^16; keeps the cost model's cycle counts within int64))"},
      {[](HwConfig& h) { h.dram_latency_cycles = 65537; }, "dram_latency_cycles: value 65537 above"},
      {[](HwConfig& h) { h.cols = -4; }, "cols: negative value -4"},
      {[](HwConfig& h) { h.col_dim = h.row_dim; },
       "col_dim: same dimension as row_dim (C) (allowed: two different dimensions"},
      {[](HwConfig& h) { h.row_dim = static_cast<Dim>(8); }, "row_dim: not a dimension"},
      {[](HwConfig& h) { h.l1_bytes[0] = 0; }, "l1_w_bytes: zero value"},
      {[](HwConfig& h) { h.l1_bytes[1] = 1; },
       "l1_i_bytes: value 1 below the minimum 2 (allowed: integer >= 2 (one double-buffered int8 word))"},
      {[](HwConfig& h) { h.l1_bytes[2] = 4; },
       "l1_o_bytes: value 4 below the minimum 8 (allowed: integer >= 8 (one double-buffered int32 word))"},
      {[](HwConfig& h) { h.l2_bytes[2] = -8; }, "l2_o_bytes: negative value -8"},
      {[](HwConfig& h) { h.noc_words_per_cycle = 0; }, "noc_words_per_cycle: zero value"},
      {[](HwConfig& h) { h.dram_bytes_per_cycle = 0; }, "dram_bytes_per_cycle: zero value"},
      {[](HwConfig& h) { h.dram_latency_cycles = -1; },
       "dram_latency_cycles: negative value -1 (allowed: integer >= 1 (a read is answered one "
       "cycle after its request at the earliest))"},
      {[](HwConfig& h) { h.weight_bits = 4; }, "weight_bits: unsupported precision 4 (allowed: 8)"},
      {[](HwConfig& h) { h.input_bits = 16; }, "input_bits: unsupported precision 16 (allowed: 8)"},
      {[](HwConfig& h) { h.psum_bits = 24; }, "psum_bits: unsupported precision 24 (allowed: 32)"},
      // The template's limits (core/template_constants.h, docs/template.md section 8).
      {[](HwConfig& h) { h.rows = 256; },
       "rows: value 256 above the template's limit 255 (allowed: integer 1..255 (8-bit row and "
       "column fields of the RTL))"},
      {[](HwConfig& h) { h.cols = int64_t{1} << 32; },
       "cols: value 4294967296 above the template's limit 255"},
      {[](HwConfig& h) { h.l1_bytes[0] = 131073; },
       "l1_w_bytes: value 131073 above the template's limit 131072 (allowed: integer 2..131072 "
       "(two halves of at most 65536 int8 words: 16-bit L1 addresses))"},
      {[](HwConfig& h) { h.l1_bytes[2] = 524289; },
       "l1_o_bytes: value 524289 above the template's limit 524288"},
      {[](HwConfig& h) { h.l2_bytes[1] = 33554431; },
       "l2_i_bytes: value 33554431 above the template's limit 33554430 (allowed: integer 2..33554430 "
       "(two halves of at most 2^24-1 bytes: 24-bit L2 addresses))"},
      {[](HwConfig& h) { h.noc_words_per_cycle = 65; },
       "noc_words_per_cycle: value 65 above the template's limit 64"},
      {[](HwConfig& h) { h.dram_bytes_per_cycle = 128; },
       "dram_bytes_per_cycle: value 128 above the template's limit 64"},
  };
  for (const Case& c : cases) {
    HwConfig hw = *hw_preset("tiny");
    c.edit(hw);
    const Status s = validate(hw);
    ASSERT_FALSE(s.ok()) << c.prefix;
    EXPECT_TRUE(StartsWith(s.message(), c.prefix));
  }
  // No zero-latency memory: the RTL's registered port answers a read one cycle after its
  // request at the earliest, so a 0 would let the model be faster than the RTL can be.
  HwConfig zero_latency = *hw_preset("tiny");
  zero_latency.dram_latency_cycles = 0;
  EXPECT_TRUE(StartsWith(validate(zero_latency).message(), "dram_latency_cycles: "))
      << validate(zero_latency).message();
  HwConfig unit_latency = *hw_preset("tiny");
  unit_latency.dram_latency_cycles = 1;
  EXPECT_TRUE(validate(unit_latency).ok());
  HwConfig largest = *hw_preset("tiny");  // every limit reached exactly
  largest.rows = largest.cols = 255;
  largest.l1_bytes = {131072, 131072, 524288};
  largest.l2_bytes = {33554430, 33554430, 33554430};
  largest.noc_words_per_cycle = largest.dram_bytes_per_cycle = 64;
  largest.dram_latency_cycles = 65536;
  EXPECT_TRUE(validate(largest).ok()) << validate(largest).message();
  HwConfig other_dataflow = *hw_preset("tiny");
  other_dataflow.row_dim = Dim::Y;  // ShiDianNao-like
  other_dataflow.col_dim = Dim::X;
  EXPECT_TRUE(validate(other_dataflow).ok());
}

TEST(core_Hw, Equality) {
  HwConfig a = *hw_preset("edge"), b = a;
  EXPECT_EQ(a, b);
  b.l2_bytes[1] += 1;
  EXPECT_NE(a, b);
  b = a;
  b.name = "edge2";
  EXPECT_NE(a, b);
  b = a;
  b.psum_bits = 16;
  EXPECT_NE(a, b);
}

// ---- tech ---------------------------------------------------------------------------------

TEST(core_Tech, SramEnergyFollowsSqrtLawWithFloor) {
  const Tech t;
  // Horowitz ISSCC 2014: 10 pJ per 64-bit read at 8 KiB, 20 pJ at 32 KiB, ~100 pJ at 1 MiB.
  EXPECT_DOUBLE_EQ(t.sram_pj_per_byte(8192), 1.25);
  EXPECT_DOUBLE_EQ(t.sram_pj_per_byte(32768), 2.5);
  EXPECT_NEAR(t.sram_pj_per_byte(1 << 20) * 8, 113.1, 0.1);
  EXPECT_NEAR(t.sram_pj_per_byte(64), 1.25 * std::sqrt(64.0 / 8192), 1e-12);
  // Floor for register-file-sized buffers.
  EXPECT_DOUBLE_EQ(t.sram_pj_per_byte(8), 0.05);
  EXPECT_DOUBLE_EQ(t.sram_pj_per_byte(1), 0.05);
  EXPECT_DOUBLE_EQ(t.sram_pj_per_byte(0), 0.05);
  EXPECT_DOUBLE_EQ(t.sram_pj_per_byte(-5), 0.05);
  // Monotone in capacity.
  double prev = 0;
  for (int64_t c = 1; c <= (int64_t{1} << 30); c *= 2) {
    EXPECT_GE(t.sram_pj_per_byte(c), prev);
    prev = t.sram_pj_per_byte(c);
  }
  Tech custom;
  custom.sram_pj_per_byte_at_8kib = 2;
  custom.sram_min_pj_per_byte = 0.5;
  EXPECT_DOUBLE_EQ(custom.sram_pj_per_byte(8192 * 4), 4);
  EXPECT_DOUBLE_EQ(custom.sram_pj_per_byte(128), 0.5);
}

TEST(core_Tech, DefaultsAreTheDocumentedConstants) {
  const Tech t;
  EXPECT_EQ(t.mac_um2, 282.0);
  EXPECT_EQ(t.sram_um2_per_bit, 0.086);
  EXPECT_EQ(t.mac_pj, 0.3);
  EXPECT_EQ(t.dram_pj_per_byte, 30.0);
  EXPECT_TRUE(validate(t).ok());
}

TEST(core_Tech, ValidateRejectsBadValues) {
  Tech t;
  t.mac_um2 = 0;
  EXPECT_TRUE(StartsWith(validate(t).message(), "mac_um2: zero value (allowed: a finite number > 0 and <= 1e6)"));
  t = Tech();
  t.sram_um2_per_bit = -1;
  EXPECT_TRUE(StartsWith(validate(t).message(), "sram_um2_per_bit: negative value"));
  t = Tech();
  t.dram_pj_per_byte = std::nan("");
  EXPECT_TRUE(StartsWith(validate(t).message(), "dram_pj_per_byte: not a finite number"));
  t = Tech();
  t.noc_pj_per_byte = std::numeric_limits<double>::infinity();
  EXPECT_TRUE(StartsWith(validate(t).message(), "noc_pj_per_byte: not a finite number"));
  t = Tech();
  t.mac_pj = -0.1;
  EXPECT_TRUE(StartsWith(validate(t).message(), "mac_pj: negative value"));
  // Finite values that overflowed to inf energy or area in the model: at most 1e6.
  t = Tech();
  t.dram_pj_per_byte = 1e308;
  EXPECT_EQ(validate(t).message(),
            "dram_pj_per_byte: value 1e+308 above the limit 1e6 (allowed: a finite number >= 0 and "
            "<= 1e6)");
  t = Tech();
  t.mac_um2 = 1e308;
  EXPECT_TRUE(StartsWith(validate(t).message(), "mac_um2: value 1e+308 above the limit 1e6"));
  t = Tech();
  t.sram_um2_per_bit = 1e6;
  t.mac_pj = 1e6;
  EXPECT_TRUE(validate(t).ok()) << validate(t).message();
  t = Tech();
  t.noc_pj_per_byte = 0;  // an energy term may be switched off
  EXPECT_TRUE(validate(t).ok());
}

}  // namespace
}  // namespace af
