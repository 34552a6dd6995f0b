// `verilator --lint-only -Wall` (with and without SYNTHESIS defined) on the designs emitted for
// 56 random HwConfigs, one per dataflow pair (row_dim, col_dim) with row_dim != col_dim (8 x 7)
// and buffers over the template's whole range, plus the tiny and edge presets and one design at
// every size limit at once; and the
// emitted tops read by Yosys (`read_verilog` of all, `hierarchy -check` against the leaves'
// interfaces for four small ones).
// Each design is its own test case (ctest runs them in parallel). Skipped with a message when the
// tool is not installed (Debian: apt-get install verilator yosys).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "core/dims.h"
#include "core/hw_config.h"
#include "core/template_constants.h"
#include "hw/design.h"

namespace af::hw {
namespace {

namespace fs = std::filesystem;

const std::string kTemplates = default_templates_dir();  // $AF_RTL_TEMPLATES or the source tree

bool have(const std::string& tool) {
  return std::system((tool + " --version > /dev/null 2>&1 || " + tool + " -V > /dev/null 2>&1").c_str()) == 0;
}

struct TempDir {
  std::string path;
  TempDir() {
    char tmpl[] = "/tmp/af-hw-lint-XXXXXX";
    path = ::mkdtemp(tmpl);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

std::string read_all(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Random configuration number `i` (deterministic): dataflow pair i of the 56, random sizes.
HwConfig random_hw(int i) {
  std::mt19937_64 rng(0xAF00 + i);
  auto pick = [&](int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng); };
  HwConfig hw;
  hw.name = "lint" + std::to_string(i);
  const int r = i / 7, c = i % 7;
  hw.row_dim = kAllDims[r];
  hw.col_dim = kAllDims[c >= r ? c + 1 : c];
  hw.rows = pick(1, 12);
  hw.cols = pick(1, 12);
  hw.noc_words_per_cycle = pick(1, 6);
  hw.dram_bytes_per_cycle = int64_t{1} << pick(0, 6);
  hw.dram_latency_cycles = pick(1, 200);
  // Buffers log-uniform over the template's whole range (core/template_constants.h): L1 halves of
  // 1 to 2^16 words (the psum clear of af_pe must lint at any size), L2 halves up to 2^24 bytes.
  auto log_pick = [&](int64_t lo, int64_t hi) {
    const int64_t e = pick(0, 63 - __builtin_clzll(uint64_t(hi / lo)));
    return std::min(hi, lo * (int64_t{1} << e) + pick(0, lo * (int64_t{1} << e) - 1));
  };
  for (Tensor t : kAllTensors) {
    const int64_t word = 2 * word_bytes(t);
    hw.l1_bytes[idx(t)] = word * log_pick(1, MAX_L1_WORDS_PER_HALF);
    hw.l2_bytes[idx(t)] = word * log_pick(32, MAX_L2_BYTES_PER_HALF / word_bytes(t));
  }
  return hw;
}

// Every limit of the template reached at once, but a small array (linting a 255 x 255 array
// takes minutes; the array's loops do not depend on its size).
HwConfig largest_hw() {
  HwConfig hw;
  hw.name = "limits";
  hw.rows = 3;
  hw.cols = MAX_ARRAY_SIDE;
  hw.row_dim = Dim::K;
  hw.col_dim = Dim::C;
  hw.noc_words_per_cycle = MAX_NOC_WORDS_PER_CYCLE;
  hw.dram_bytes_per_cycle = MAX_DRAM_BYTES_PER_CYCLE;
  for (Tensor t : kAllTensors) {
    hw.l1_bytes[idx(t)] = 2 * word_bytes(t) * MAX_L1_WORDS_PER_HALF;
    hw.l2_bytes[idx(t)] = 2 * MAX_L2_BYTES_PER_HALF;
  }
  return hw;
}

std::vector<HwConfig> lint_configs() {
  std::vector<HwConfig> out;
  for (int i = 0; i < 56; ++i) out.push_back(random_hw(i));
  out.push_back(*hw_preset("tiny"));
  out.push_back(*hw_preset("edge"));
  out.push_back(largest_hw());
  return out;
}

class HwLint : public testing::TestWithParam<int> {};

TEST_P(HwLint, VerilatorLintIsClean) {
  if (!have("verilator")) GTEST_SKIP() << "verilator not found: install it (Debian: apt-get install verilator)";
  const HwConfig hw = lint_configs()[GetParam()];
  SCOPED_TRACE(hw.name + ": " + std::to_string(hw.rows) + "x" + std::to_string(hw.cols) + " dataflow " +
               dim_char(hw.row_dim) + "|" + dim_char(hw.col_dim) + " noc " +
               std::to_string(hw.noc_words_per_cycle) + " dram_B " + std::to_string(hw.dram_bytes_per_cycle));
  ASSERT_TRUE(validate(hw).ok()) << validate(hw).message();
  Expected<Design> d = generate(hw, kTemplates);
  ASSERT_TRUE(d.ok()) << d.status().message();
  TempDir tmp;
  const std::string dir = tmp.path + "/design";
  ASSERT_TRUE(write_design(*d, dir).ok());
  // Twice: the simulators' view, and the synthesis view (-DSYNTHESIS, as Yosys defines it), where
  // af_pe_array is ROWS x COLS af_pe leaves (the only place af_pe is elaborated).
  for (const std::string view : {"", " -DSYNTHESIS"}) {
    std::string cmd = "cd " + dir + " && verilator --lint-only -Wall" + view + " --top-module " + d->top;
    for (const std::string& f : d->verilog) cmd += " " + f;
    cmd += " > " + tmp.path + "/lint.log 2>&1";
    const int rc = std::system(cmd.c_str());
    EXPECT_EQ(rc, 0) << "verilator --lint-only -Wall" << view << " failed:\n"
                     << read_all(tmp.path + "/lint.log");
  }
}

INSTANTIATE_TEST_SUITE_P(Designs, HwLint, testing::Range(0, 59),
                         [](const testing::TestParamInfo<int>& info) {
                           const HwConfig hw = lint_configs()[info.param];
                           return hw.name + "_" + dim_char(hw.row_dim) + dim_char(hw.col_dim);
                         });

TEST(HwLintYosys, EmittedTopsParseInYosys) {
  if (!have("yosys")) GTEST_SKIP() << "yosys not found: install it (Debian: apt-get install yosys)";
  TempDir tmp;
  std::string script = "read_verilog -lib";
  std::vector<std::string> leaves;
  const std::vector<HwConfig> configs = lint_configs();
  for (size_t i = 0; i < configs.size(); ++i) {
    Expected<Design> d = generate(configs[i], kTemplates);
    ASSERT_TRUE(d.ok()) << d.status().message();
    if (i == 0)
      for (const std::string& f : d->verilog)
        if (f != d->top + ".v") script += " " + kTemplates + "/" + f;
    const std::string top = tmp.path + "/top" + std::to_string(i) + ".v";
    std::ofstream(top) << d->text(d->top + ".v");
  }
  script += "\n";
  // Each top replaces the previous one. Every top is parsed; the small ones (at most 16 PEs) are
  // also elaborated against the leaves' interfaces: hierarchy -check derives every parameterized
  // leaf by running the frontend over its whole body, which grows with the array (minutes and
  // gigabytes for edge-sized arrays).
  int elaborated = 0;
  for (size_t i = 0; i < configs.size(); ++i) {
    script += "read_verilog -overwrite " + tmp.path + "/top" + std::to_string(i) + ".v\n";
    if (configs[i].pes() <= 16 && elaborated < 4) {
      script += "hierarchy -check -top af_top\n";
      ++elaborated;
    }
  }
  std::ofstream(tmp.path + "/parse.ys") << script;
  const int rc = std::system(("yosys -q -l " + tmp.path + "/yosys.log -s " + tmp.path + "/parse.ys > /dev/null 2>&1").c_str());
  std::string log = read_all(tmp.path + "/yosys.log");
  EXPECT_EQ(rc, 0) << (log.size() > 4000 ? log.substr(log.size() - 4000) : log);
}

}  // namespace
}  // namespace af::hw
