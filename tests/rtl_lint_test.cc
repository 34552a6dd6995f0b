// The RTL leaves (rtl-templates/) composed by the reference top: `verilator --lint-only -Wall`
// clean on the designs of 56 seeded random HwConfigs, one per dataflow (every ordered pair of
// different dimensions on rows and columns), and readable by Yosys (read_verilog + hierarchy +
// proc + check); Verilog-2005 declaration order in the leaves' headers, which no installed tool
// checks (Verilator, Yosys and iverilog -g2005 all accept a localparam used too early); and the
// facts INTERFACES.md sections 7 and 8 state about the RTL (descriptor widths and fields, the L2
// bank's parameters).
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <regex>
#include <set>
#include <string>

#include "core/io.h"
#include "sim/design.h"
#include "sim/testgen.h"

namespace af::sim {
namespace {

std::string design_root() { return std::string(AF_TEST_DESIGN_DIR) + "/lint"; }

TEST(RtlLint, OneRandomHwConfigPerDataflowLintsClean) {
  std::set<int> rows_seen, cols_seen;
  std::set<std::pair<int, int>> pairs;
  int linted = 0;
  for (int i = 0; i < 56; ++i) {
    const HwConfig hw = random_test_hw(/*seed=*/11, i);
    rows_seen.insert(idx(hw.row_dim));
    cols_seen.insert(idx(hw.col_dim));
    pairs.insert({idx(hw.row_dim), idx(hw.col_dim)});
    const std::string dir = design_root() + "/" + hw.name;
    ASSERT_TRUE(write_reference_design(hw, dir).ok()) << hw.name;
    Expected<Design> d = load_design(dir);
    ASSERT_TRUE(d.ok()) << d.status().message();
    std::string log;
    const Status s = lint_design(*d, &log);
    EXPECT_TRUE(s.ok()) << hw.name << " (" << hw.rows << "x" << hw.cols << " "
                        << dim_char(hw.row_dim) << dim_char(hw.col_dim) << " noc "
                        << hw.noc_words_per_cycle << " dram " << hw.dram_bytes_per_cycle << "):\n"
                        << s.message();
    EXPECT_EQ(log.find("%Warning"), std::string::npos) << log;
    ++linted;
  }
  EXPECT_GE(linted, 20);
  EXPECT_EQ(rows_seen.size(), 8u) << "every dimension on the rows";
  EXPECT_EQ(cols_seen.size(), 8u) << "every dimension on the columns";
  EXPECT_EQ(pairs.size(), 56u) << "every dataflow";
}

TEST(RtlLint, LintCatchesABrokenDesign) {
  // The check has teeth: a leaf with a signal nothing reads fails -Wall.
  const std::string dir = design_root() + "/broken";
  HwConfig hw;
  hw.rows = 2;
  hw.cols = 2;
  ASSERT_TRUE(write_reference_design(hw, dir).ok());
  // Add an unused signal to a leaf the top instantiates.
  const std::string leaf = dir + "/rtl/af_counters.v";
  Expected<std::string> text = read_text_file(leaf);
  ASSERT_TRUE(text.ok());
  std::string t = *text;
  const size_t at = t.rfind("endmodule");
  ASSERT_NE(at, std::string::npos);
  t.insert(at, "    wire af_probe_dangling = clear;\n");
  ASSERT_TRUE(write_file_atomic(leaf, t).ok());
  Expected<Design> d = load_design(dir);
  ASSERT_TRUE(d.ok());
  EXPECT_FALSE(lint_design(*d).ok());
}

TEST(RtlYosys, ReferenceTopElaborates) {
  const std::string src = rtl_templates_dir();
  std::string files;
  for (const char* f : {"reference_top.v", "af_ctrl.v", "af_counters.v", "af_dma.v",
                        "af_l2_bank.v", "af_dist.v", "af_coll.v", "af_mac_seq.v",
                        "af_pe_array.v", "af_pe_grid.v", "af_pe.v"})
    files += " " + src + "/" + f;
  const std::string cmd =
      "yosys -q -p 'read_verilog" + files +
      "; hierarchy -check -top af_top -chparam ROWS 2 -chparam COLS 3 -chparam ROW_DIM 4"
      " -chparam COL_DIM 6 -chparam L2_W_BYTES 64 -chparam L2_I_BYTES 64 -chparam L2_O_BYTES 128;"
      " proc; check -assert' 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string out;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  const int rc = pclose(p);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_EQ(out.find("ERROR"), std::string::npos) << out;
}

// Verilog-2005 (the language of the leaves, INTERFACES.md) has no localparam in the parameter
// port list, so a port width may use parameters only: a localparam of the body is declared after
// the ports. Checks every module header (from `module` to the `);` closing its ports).
TEST(RtlLeaves, PortListsUseNoLocalparam) {
  namespace fs = std::filesystem;
  const std::regex comment(R"(//[^\n]*|/\*[\s\S]*?\*/)");
  const std::regex localparam(R"(\blocalparam\b([^;]*);)");
  const std::regex assigned(R"(\b([A-Za-z_]\w*)\s*=(?!=))");
  int headers = 0;
  for (const auto& entry : fs::directory_iterator(rtl_templates_dir())) {
    if (entry.path().extension() != ".v") continue;
    Expected<std::string> text = read_text_file(entry.path().string());
    ASSERT_TRUE(text.ok()) << text.status().message();
    const std::string code = std::regex_replace(*text, comment, " ");
    std::set<std::string> locals;
    for (std::sregex_iterator it(code.begin(), code.end(), localparam), end; it != end; ++it) {
      const std::string decl = (*it)[1];
      for (std::sregex_iterator a(decl.begin(), decl.end(), assigned); a != end; ++a)
        locals.insert((*a)[1]);
    }
    for (size_t at = code.find("module "); at != std::string::npos;
         at = code.find("module ", at + 1)) {
      if (at > 0 && (std::isalnum(static_cast<unsigned char>(code[at - 1])) || code[at - 1] == '_'))
        continue;  // endmodule
      const std::string header = code.substr(at, code.find(");", at) - at);
      ++headers;
      for (const std::string& name : locals)
        EXPECT_FALSE(std::regex_search(header, std::regex("\\b" + name + "\\b")))
            << entry.path().filename().string() << ": the port list uses localparam " << name;
    }
  }
  EXPECT_GE(headers, 11);
}

// INTERFACES.md against the RTL it describes: the descriptor widths of section 8 are the top's
// localparams, every STEP field of af_ctrl is listed in section 7 at its bit offset, and section
// 8 names every parameter af_l2_bank declares.
TEST(RtlLeaves, InterfacesDocMatchesTheRtl) {
  const std::string src = rtl_templates_dir();
  auto text = [&](const std::string& f) {
    Expected<std::string> t = read_text_file(src + "/" + f);
    EXPECT_TRUE(t.ok()) << f;
    return t.ok() ? *t : std::string();
  };
  const std::string doc = text("INTERFACES.md"), top = text("reference_top.v"),
                    ctrl = text("af_ctrl.v"), bank = text("af_l2_bank.v");
  const size_t s7 = doc.find("## 7."), s8 = doc.find("## 8."), s9 = doc.find("## 9.");
  ASSERT_TRUE(s7 != std::string::npos && s8 != std::string::npos && s9 != std::string::npos);
  const std::string sec7 = doc.substr(s7, s8 - s7), sec8 = doc.substr(s8, s9 - s8);
  for (const char* name : {"STEP_W", "TILE_W", "DMA_W", "NCNT"}) {
    std::smatch m;
    ASSERT_TRUE(std::regex_search(top, m, std::regex(std::string("localparam integer ") + name +
                                                     R"( = (\d+);)")))
        << name;
    EXPECT_NE(sec8.find(std::string("`") + name + "` = " + m[1].str()), std::string::npos)
        << "section 8 should give " << name << " = " << m[1];
  }
  // STEP fields: localparam S_<FIELD> = <bit> in af_ctrl; section 7 names the field and its bit.
  std::smatch m;
  ASSERT_TRUE(std::regex_search(ctrl, m, std::regex(R"(// STEP fields\s*localparam integer([^;]*);)")));
  const std::string fields = m[1];
  const std::regex field_re(R"(S_(\w+) = (\d+))"), param_re(R"(parameter (\w+))");
  int n = 0;
  for (std::sregex_iterator it(fields.begin(), fields.end(), field_re), end; it != end; ++it, ++n) {
    std::string field = (*it)[1];
    for (char& c : field) c = char(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_NE(sec7.find("`" + field), std::string::npos) << "section 7 lacks STEP field " << field;
    EXPECT_NE(sec7.find((*it)[2].str()), std::string::npos)
        << "section 7 lacks bit " << (*it)[2] << " of STEP field " << field;
  }
  EXPECT_GE(n, 18);
  // af_l2_bank's parameters, and no parameter the bank does not have.
  const std::string header = bank.substr(0, bank.find(") ("));
  for (std::sregex_iterator it(header.begin(), header.end(), param_re), end; it != end; ++it)
    EXPECT_NE(sec8.find("`" + (*it)[1].str() + "`"), std::string::npos)
        << "section 8 lacks af_l2_bank parameter " << (*it)[1];
  EXPECT_EQ(sec8.find("IS_O="), std::string::npos) << "af_l2_bank has no IS_O parameter";
}

}  // namespace
}  // namespace af::sim
