// af_pe_array (the PE array af_top instantiates: flat for simulators, af_pe instances for
// synthesis) against af_pe_grid (ROWS x COLS af_pe leaf instances): cycle-by-cycle equivalence
// under random traffic on every port, simulated with Icarus Verilog
// (tests/data/sim/pe_equiv_tb.v), for several array shapes and bus widths and for both views;
// a mutated array (unsigned products) must fail the check.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "sim/design.h"

namespace af::sim {
namespace {

std::string run(const std::string& cmd) {
  std::string out;
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  if (!p) return "popen failed";
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  pclose(p);
  return out;
}

std::string work_dir() {
  const std::string d = std::string(AF_TEST_DESIGN_DIR) + "/pe_equiv";
  std::filesystem::create_directories(d);
  return d;
}

std::string simulate(const std::string& array_file, int rows, int cols, int noc, int seed,
                     const std::string& tag, bool synthesis_view = false) {
  const std::string src = rtl_templates_dir();
  const std::string exe = work_dir() + "/tb_" + tag;
  const std::string p = " -Ppe_equiv_tb.ROWS=" + std::to_string(rows) +
                        " -Ppe_equiv_tb.COLS=" + std::to_string(cols) +
                        " -Ppe_equiv_tb.NOC_W=" + std::to_string(noc) +
                        " -Ppe_equiv_tb.SEED=" + std::to_string(seed);
  const std::string compile = std::string("iverilog -g2005") + (synthesis_view ? " -DSYNTHESIS" : "") +
                              p + " -o " + exe + " " + AF_SOURCE_DIR +
                              "/tests/data/sim/pe_equiv_tb.v " + array_file + " " + src +
                              "/af_pe_grid.v " + src + "/af_pe.v";
  const std::string c = run(compile);
  if (!c.empty()) return "compile: " + c;
  return run("vvp -n " + exe);
}

TEST(RtlPeEquiv, FlatArrayEqualsGridOfPeLeaves) {
  const std::string array = rtl_templates_dir() + "/af_pe_array.v";
  const int shapes[][3] = {{2, 3, 2}, {3, 1, 3}, {1, 4, 1}, {4, 4, 4}};
  int seed = 1;
  for (const auto& s : shapes) {
    const std::string out = simulate(array, s[0], s[1], s[2], seed++, "ok");
    EXPECT_NE(out.find("PASS"), std::string::npos)
        << s[0] << "x" << s[1] << " noc " << s[2] << ": " << out;
  }
}

// The branch synthesis tools read (`ifdef SYNTHESIS: af_pe instances) is the same array too.
TEST(RtlPeEquiv, SynthesisViewEqualsGridOfPeLeaves) {
  const std::string array = rtl_templates_dir() + "/af_pe_array.v";
  const std::string out = simulate(array, 3, 2, 2, 11, "syn", /*synthesis_view=*/true);
  EXPECT_NE(out.find("PASS"), std::string::npos) << out;
}

TEST(RtlPeEquiv, CatchesAMutatedArray) {
  Expected<std::string> text = [&]() -> Expected<std::string> {
    std::ifstream in(rtl_templates_dir() + "/af_pe_array.v");
    if (!in) return Status::Error("cannot read af_pe_array.v");
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }();
  ASSERT_TRUE(text.ok());
  std::string t = *text;
  // One unsigned operand makes the whole product unsigned (operands zero-extended).
  const std::string mac = "prod = w_op * i_op;";
  const size_t at = t.find(mac);
  ASSERT_NE(at, std::string::npos);
  t.replace(at, mac.size(), "prod = w_op * $unsigned(i_op);");
  const std::string mutated = work_dir() + "/af_pe_array_mutated.v";
  std::ofstream(mutated) << t;
  const std::string out = simulate(mutated, 2, 2, 2, 3, "mut");
  EXPECT_NE(out.find("FAIL"), std::string::npos) << out;
}

}  // namespace
}  // namespace af::sim
