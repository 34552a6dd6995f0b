// `accelforge simulate` end to end, as a user runs it: on the reference design of the `tiny`
// preset (written into the design directory by --hw), JSON keys, exit codes (0 on agreement, 1
// on a corrupted weight, 2 on bad input), an FST waveform with --trace, and a design directory
// written by the generator (`accelforge emit`). Also `accelforge eval` reporting the template
// limits that simulate checks before building (sim::check_rtl_limits).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <sys/wait.h>

#include "core/io.h"
#include "sim/design.h"

namespace {

struct CliRun {
  int code = -1;
  std::string out;
};

CliRun run(const std::string& args) {
  const std::string cmd = std::string(AF_ACCELFORGE_BIN) + " " + args + " 2>/dev/null";
  CliRun r;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  const int st = pclose(p);
  r.code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

// The reference design is written by `simulate --hw tiny` when the directory has no manifest; the
// directory name carries a hash of the leaves so an RTL change never reuses a stale copy.
std::string design() {
  static const std::string dir = [] {
    uint64_t h = af::sim::fnv1a("");
    for (const auto& e : std::filesystem::directory_iterator(af::sim::rtl_templates_dir())) {
      if (e.path().extension() != ".v") continue;
      af::Expected<std::string> text = af::read_text_file(e.path().string());
      h = af::sim::fnv1a(e.path().filename().string() + (text.ok() ? *text : ""), h);
    }
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
    return std::string(AF_TEST_DESIGN_DIR) + "/cli_tiny_" + hex;
  }();
  return dir;
}
std::string common() {
  return "simulate --design " + design() + " --hw tiny --workload " + AF_SOURCE_DIR +
         "/tests/data/sim/small_layers.yaml";
}

TEST(SimulateCli, JsonReportAgreesWithTheModel) {
  const CliRun r = run(common() + " --layer s2 --seed 3 --json");
  ASSERT_EQ(r.code, 0) << r.out;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  for (const char* key : {"outputs_match", "cycles_rtl", "cycles_model", "cycles_error",
                          "accesses_match", "accesses", "cycles_breakdown", "mapping", "macs"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_TRUE(j["outputs_match"].get<bool>());
  EXPECT_TRUE(j["accesses_match"].get<bool>());
  EXPECT_EQ(j["accesses"]["rtl"], j["accesses"]["model"]);
  EXPECT_LE(std::abs(j["cycles_error"].get<double>()), 0.05);
  EXPECT_EQ(j["layer"]["name"], "s2");
  EXPECT_GT(j["cycles_rtl"].get<int64_t>(), 0);
  int64_t sum = 0;
  for (const auto& [k, v] : j["cycles_breakdown"]["rtl"].items())
    if (k != "total") sum += v.get<int64_t>();
  EXPECT_EQ(sum, j["cycles_rtl"].get<int64_t>());
}

TEST(SimulateCli, CorruptedWeightExitsNonZero) {
  const CliRun r = run(common() + " --layer c1 --seed 2 --json --corrupt-weight");
  EXPECT_EQ(r.code, 1);
  const nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_FALSE(j["outputs_match"].get<bool>());
  EXPECT_GT(j["mismatches"].get<int64_t>(), 0);
  EXPECT_TRUE(j.contains("first_mismatch"));
}

TEST(SimulateCli, TextReportAndBadInput) {
  const CliRun ok = run(common() + " --layer 1 --seed 4");
  EXPECT_EQ(ok.code, 0) << ok.out;
  EXPECT_NE(ok.out.find("outputs_match: yes"), std::string::npos) << ok.out;
  EXPECT_NE(ok.out.find("accesses_match: yes"), std::string::npos) << ok.out;
  EXPECT_EQ(run(common() + " --layer 99").code, 2);
  EXPECT_EQ(run(common() + " --layer c1 --mapping " + AF_SOURCE_DIR +
                "/tests/data/sim/overflowing_mapping.yaml").code,
            2);
  EXPECT_EQ(run("simulate --design /nonexistent/dir --workload resnet18").code, 2);
  // Checked before any build: an unwritable waveform path, option ranges, and a directory that
  // holds something else is never turned into a design.
  EXPECT_EQ(run(common() + " --layer 1 --trace /nonexistent/dir/x.fst").code, 2);
  // The waveform never overwrites an input (it used to replace the workload file with an FST),
  // and --hw with an existing design must be that design's hardware (it was silently ignored).
  EXPECT_EQ(run(common() + " --layer 1 --trace " + AF_SOURCE_DIR +
                "/tests/data/sim/small_layers.yaml").code, 2);
  EXPECT_EQ(run(common() + " --layer 1 --trace " + std::string(::testing::TempDir()) + "/w.vcd").code,
            2);
  EXPECT_EQ(run("simulate --design " + design() + " --hw edge --workload " + AF_SOURCE_DIR +
                "/tests/data/sim/small_layers.yaml --layer 1").code, 2);
  EXPECT_EQ(run(common() + " --layer 1 --jobs 0").code, 2);
  EXPECT_EQ(run(common() + " --layer 1 --max-cycles 0").code, 2);
  const std::string foreign = std::string(::testing::TempDir()) + "/af_sim_foreign";
  std::filesystem::create_directories(foreign);
  std::ofstream(foreign + "/notes.txt") << "mine";
  EXPECT_EQ(run("simulate --design " + foreign + " --hw tiny --workload resnet18 --layer 0").code, 2);
  EXPECT_FALSE(std::filesystem::exists(foreign + "/manifest.yaml"));
}

// The generator's design directory (`accelforge emit`) runs through the same harness.
TEST(SimulateCli, AcceptsAnEmittedDesign) {
  const std::string dir = std::string(AF_TEST_DESIGN_DIR) + "/cli_emitted_tiny";
  const CliRun e = run("emit --hw tiny --out " + dir);
  ASSERT_EQ(e.code, 0) << e.out;
  ASSERT_TRUE(std::filesystem::exists(dir + "/manifest.yaml"));
  const CliRun r = run("simulate --design " + dir + " --workload " + AF_SOURCE_DIR +
                       "/tests/data/sim/small_layers.yaml --layer dw --seed 5 --json");
  ASSERT_EQ(r.code, 0) << r.out;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_TRUE(j["outputs_match"].get<bool>());
  EXPECT_TRUE(j["accesses_match"].get<bool>());
  EXPECT_EQ(j["hw"], "tiny");
  EXPECT_LE(std::abs(j["cycles_error"].get<double>()), 0.05);
}

TEST(SimulateCli, TraceWritesAnFstWaveform) {
  const std::string fst = std::string(AF_TEST_DESIGN_DIR) + "/cli_trace.fst";
  std::filesystem::remove(fst);
  const CliRun r = run(common() + " --layer fc --seed 1 --json --trace " + fst);
  ASSERT_EQ(r.code, 0) << r.out;
  ASSERT_TRUE(std::filesystem::exists(fst));
  EXPECT_GT(std::filesystem::file_size(fst), 1000u);
  FILE* f = std::fopen(fst.c_str(), "rb");
  ASSERT_NE(f, nullptr);
  unsigned char b0 = 0;
  ASSERT_EQ(std::fread(&b0, 1, 1, f), 1u);
  std::fclose(f);
  EXPECT_EQ(b0, 0) << "FST files start with a header block of type 0";
}

// A layer beyond the template's 16-bit extents: the model still costs it (exit 0), and eval says
// that the RTL cannot run it, with the message of simulate's pre-check.
TEST(EvalCli, ReportsTheLayerAndMappingLimitsOfTheTemplate) {
  const std::string dir = std::string(AF_TEST_DESIGN_DIR) + "/eval_limits";
  std::filesystem::create_directories(dir);
  const std::string w = dir + "/tall.yaml";
  ASSERT_TRUE(af::write_file_atomic(w, "name: tall\nlayers:\n"
                                       "  - {name: tall, kind: gemm, m: 70000, n: 16, k: 16}\n"
                                       "  - {name: small, kind: gemm, m: 64, n: 16, k: 16}\n")
                  .ok());
  const CliRun j = run("eval --workload " + w + " --hw tiny --mapping random --json");
  ASSERT_EQ(j.code, 0) << j.out;
  const nlohmann::json out = nlohmann::json::parse(j.out);
  EXPECT_EQ(out["layers"][0]["rtl_limits"],
            "rtl: extent Y = 70000 exceeds the template's 65535 (docs/template.md section 8)");
  EXPECT_EQ(out["layers"][1]["rtl_limits"], "ok");
  const CliRun t = run("eval --workload " + w + " --hw tiny --mapping random");
  ASSERT_EQ(t.code, 0) << t.out;
  EXPECT_NE(t.out.find("beyond the template's limits (the RTL cannot run these):\n"
                       "layer 0 (tall): rtl: extent Y = 70000"),
            std::string::npos)
      << t.out;
}

}  // namespace
