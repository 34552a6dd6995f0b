// `accelforge emit` and `accelforge area` as a user runs them: the design directory's files, the
// atomic replacement of a previous design (caches kept), refusals, exit codes.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/io.h"
#include "hw/design.h"

namespace af::hw {
namespace {

namespace fs = std::filesystem;

struct TempDir {
  std::string path;
  TempDir() {
    char tmpl[] = "/tmp/af-hw-cli-XXXXXX";
    path = ::mkdtemp(tmpl);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

// Runs the binary; returns the exit status and fills `out` with stdout+stderr.
int run(const std::string& args, std::string* out) {
  char tmpl[] = "/tmp/af-hw-cli-out-XXXXXX";
  int fd = ::mkstemp(tmpl);
  ::close(fd);
  int rc = std::system((std::string(AF_ACCELFORGE_BIN) + " " + args + " > " + tmpl + " 2>&1").c_str());
  std::ifstream in(tmpl);
  std::stringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  ::unlink(tmpl);
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

TEST(HwCli, EmitWritesTheDesignDirectory) {
  TempDir tmp;
  const std::string dir = tmp.path + "/tiny";
  std::string out;
  ASSERT_EQ(run("emit --hw tiny --out " + dir, &out), 0) << out;
  EXPECT_NE(out.find("emitted af_top"), std::string::npos) << out;
  for (const char* f : {"af_top.v", "manifest.yaml", "params.h", "hw.yaml", "af_ctrl.v", "af_pe.v",
                        "af_pe_array.v", "af_dma.v", "af_dist.v", "af_coll.v", "af_counters.v",
                        "af_l2_bank.v", "af_mac_seq.v"})
    EXPECT_TRUE(fs::exists(dir + "/" + f)) << f;
  // Leaves are byte-for-byte copies.
  EXPECT_EQ(*read_text_file(dir + "/af_pe.v"), *read_text_file(default_templates_dir() + "/af_pe.v"));
  Expected<Manifest> m = read_manifest(dir);
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(m->top, "af_top");
  EXPECT_EQ(m->verilog.front(), "af_top.v");
  Expected<HwConfig> hw = read_hw_yaml(dir + "/" + m->hw_file);
  ASSERT_TRUE(hw.ok()) << hw.status().message();
  EXPECT_EQ(*hw, *hw_preset("tiny"));
  // No temporary directory is left beside it.
  for (const auto& e : fs::directory_iterator(tmp.path)) EXPECT_EQ(e.path().filename(), "tiny");
}

TEST(HwCli, EmitFromAFileReplacesAPreviousDesignAndKeepsItsCaches) {
  TempDir tmp;
  const std::string dir = tmp.path + "/d";
  std::string out;
  ASSERT_EQ(run("emit --hw tiny --out " + dir, &out), 0) << out;
  fs::create_directories(dir + "/.verilator/abc");
  std::ofstream(dir + "/.verilator/abc/marker") << "kept";
  std::ofstream(dir + "/stale.v") << "// a file of the previous design";
  HwConfig hw = *hw_preset("tiny");
  hw.name = "wide";
  hw.rows = 3;
  hw.cols = 5;
  ASSERT_TRUE(write_file_atomic(tmp.path + "/wide.yaml", hw_to_yaml(hw)).ok());
  ASSERT_EQ(run("emit --hw " + tmp.path + "/wide.yaml --out " + dir + " --quiet", &out), 0) << out;
  EXPECT_EQ(out, "");
  EXPECT_TRUE(fs::exists(dir + "/.verilator/abc/marker"));
  EXPECT_FALSE(fs::exists(dir + "/stale.v"));
  EXPECT_NE(read_text_file(dir + "/af_top.v")->find("parameter integer COLS = 5"), std::string::npos);
}

TEST(HwCli, EmitRefusesBadInputAndForeignDirectories) {
  TempDir tmp;
  std::string out;
  EXPECT_EQ(run("emit --hw nosuchpreset --out " + tmp.path + "/x", &out), 2) << out;
  EXPECT_FALSE(fs::exists(tmp.path + "/x"));
  // A non-empty directory that is not a design is never replaced.
  fs::create_directories(tmp.path + "/home");
  std::ofstream(tmp.path + "/home/notes.txt") << "precious";
  EXPECT_EQ(run("emit --hw tiny --out " + tmp.path + "/home", &out), 2) << out;
  EXPECT_NE(out.find("not a design"), std::string::npos) << out;
  EXPECT_TRUE(fs::exists(tmp.path + "/home/notes.txt"));
  // A configuration the template's field widths cannot hold.
  HwConfig hw = *hw_preset("tiny");
  hw.rows = 300;
  ASSERT_TRUE(write_file_atomic(tmp.path + "/big.yaml", hw_to_yaml(hw)).ok());
  EXPECT_EQ(run("emit --hw " + tmp.path + "/big.yaml --out " + tmp.path + "/big", &out), 2) << out;
  EXPECT_NE(out.find("big.yaml:3: rows: value 300 above the template's limit 255"), std::string::npos)
      << out;
}

TEST(HwCli, AreaRejectsADirectoryThatIsNotADesign) {
  TempDir tmp;
  std::string out;
  EXPECT_EQ(run("area --design " + tmp.path, &out), 2) << out;
  EXPECT_NE(out.find("not a design directory"), std::string::npos) << out;
  // A malformed manifest and one of an unknown format: one line each, exit 2, before synthesis.
  std::ofstream(tmp.path + "/manifest.yaml") << "top: [x\n";
  EXPECT_EQ(run("area --design " + tmp.path, &out), 2) << out;
  EXPECT_NE(out.find("manifest.yaml:"), std::string::npos) << out;
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << out;
  std::ofstream(tmp.path + "/manifest.yaml") << "format: foo\ntop: af_top\n";
  EXPECT_EQ(run("area --design " + tmp.path, &out), 2) << out;
  EXPECT_NE(out.find("manifest.yaml:1: format: 'foo'"), std::string::npos) << out;
}

// The hardware name is free text: params.h escapes it as a C++ string and comments keep one line.
TEST(HwCli, EmitEscapesTheHardwareName) {
  TempDir tmp;
  std::string out;
  HwConfig hw = *hw_preset("tiny");
  hw.name = "my\"hw\\x";
  ASSERT_TRUE(write_file_atomic(tmp.path + "/q.yaml", hw_to_yaml(hw)).ok());
  ASSERT_EQ(run("emit --quiet --hw " + tmp.path + "/q.yaml --out " + tmp.path + "/d", &out), 0) << out;
  std::ifstream in(tmp.path + "/d/params.h");
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_NE(ss.str().find("kHwName = \"my\\\"hw\\\\x\";"), std::string::npos) << ss.str();
  // Bad destinations are bad input.
  EXPECT_EQ(run("emit --hw tiny --out ''", &out), 2) << out;
  std::ofstream(tmp.path + "/file") << "x";
  EXPECT_EQ(run("emit --hw tiny --out " + tmp.path + "/file", &out), 2) << out;
}

}  // namespace
}  // namespace af::hw
