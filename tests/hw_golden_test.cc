// Golden-file tests of the emitted text (af_top.v, manifest.yaml, params.h) for a few
// configurations: the tiny preset, a 2x3 array with another dataflow (Y|X) and bus widths, and the
// edge preset. The goldens live in tests/data/hw/<config>/ and are only ever rewritten on request:
//
//   AF_UPDATE_GOLDEN=1 build/tests/hw_golden_test     (then review `git diff tests/data/hw`)
//
// The goldens do not depend on the leaves' text (leaves are copied, not generated), only on the
// generator: a change here is a change of hw/ (or of the leaf catalogue in hw/compose.cc).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/hw_config.h"
#include "core/io.h"
#include "hw/design.h"

namespace af::hw {
namespace {

namespace fs = std::filesystem;

const std::string kGoldenDir = std::string(AF_SOURCE_DIR) + "/tests/data/hw";
const std::string kTemplates = default_templates_dir();  // $AF_RTL_TEMPLATES or the source tree

bool updating() {
  const char* v = std::getenv("AF_UPDATE_GOLDEN");
  return v != nullptr && std::string(v) != "" && std::string(v) != "0";
}

HwConfig r2c3() {
  HwConfig hw = *hw_preset("tiny");
  hw.name = "r2c3_yx";
  hw.rows = 2;
  hw.cols = 3;
  hw.row_dim = Dim::Y;
  hw.col_dim = Dim::X;
  hw.noc_words_per_cycle = 3;
  hw.dram_bytes_per_cycle = 16;
  hw.l1_bytes = {32, 96, 64};
  hw.l2_bytes = {2048, 6144, 4096};
  return hw;
}

// The first differing line, with its neighbours, for a readable failure.
std::string first_difference(const std::string& want, const std::string& got) {
  std::istringstream a(want), b(got);
  std::string la, lb;
  for (int line = 1;; ++line) {
    bool ha = static_cast<bool>(std::getline(a, la)), hb = static_cast<bool>(std::getline(b, lb));
    if (!ha && !hb) return "(texts differ only in the final newline)";
    if (!ha || !hb || la != lb)
      return "line " + std::to_string(line) + ":\n  golden:  " + (ha ? la : "<end of file>") +
             "\n  emitted: " + (hb ? lb : "<end of file>");
  }
}

void check_golden(const HwConfig& hw, const std::string& name) {
  Expected<Design> d = generate(hw, kTemplates);
  ASSERT_TRUE(d.ok()) << d.status().message();
  const std::string dir = kGoldenDir + "/" + name;
  for (const std::string file : {"af_top.v", "manifest.yaml", "params.h"}) {
    SCOPED_TRACE(dir + "/" + file);
    const std::string& got = d->text(file);
    ASSERT_FALSE(got.empty());
    if (updating()) {
      fs::create_directories(dir);
      ASSERT_TRUE(write_file_atomic(dir + "/" + file, got).ok());
      std::cout << "updated " << dir << "/" << file << "\n";
      continue;
    }
    Expected<std::string> want = read_text_file(dir + "/" + file);
    ASSERT_TRUE(want.ok()) << "no golden file; create it with AF_UPDATE_GOLDEN=1 build/tests/hw_golden_test";
    EXPECT_TRUE(*want == got) << "emitted text differs from the golden file at "
                              << first_difference(*want, got)
                              << "\nIf the change is intended: AF_UPDATE_GOLDEN=1 build/tests/hw_golden_test, "
                                 "then review git diff tests/data/hw";
  }
}

TEST(HwGolden, Tiny) { check_golden(*hw_preset("tiny"), "tiny"); }
TEST(HwGolden, TwoByThreeYX) { check_golden(r2c3(), "r2c3_yx"); }
TEST(HwGolden, Edge) { check_golden(*hw_preset("edge"), "edge"); }

TEST(HwGolden, EmissionIsDeterministic) {
  Expected<Design> a = generate(r2c3(), kTemplates), b = generate(r2c3(), kTemplates);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->files, b->files);
}

}  // namespace
}  // namespace af::hw
