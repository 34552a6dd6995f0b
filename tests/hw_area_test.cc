// The Yosys area flow (hw/area.h) on cut-down designs (the tiny preset's L2 banks, and the PE
// array of a 2x2 design with small buffers: the other leaves take from tens of seconds to many
// minutes each to synthesize, too long for CI): memory bits go to the SRAM table, instances that
// share a unit are synthesized once, a second run is served from the cache with identical
// numbers, the cache key follows the leaf text, and the emitted (flat) af_pe_array is costed as
// the grid of af_pe leaves. Skipped with a message when Yosys is absent.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <yaml-cpp/yaml.h>

#include "core/hw_config.h"
#include "core/io.h"
#include "hw/area.h"
#include "hw/design.h"
#include "hw/sha256.h"

namespace af::hw {
namespace {

namespace fs = std::filesystem;

bool have_yosys() { return std::system("yosys -V > /dev/null 2>&1") == 0; }

struct TempDir {
  std::string path;
  TempDir() {
    char tmpl[] = "/tmp/af-hw-area-XXXXXX";
    path = ::mkdtemp(tmpl);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

// Emits the design of `hw` and keeps only the instances named in `keep` in its manifest.
std::string small_design(const std::string& root, const std::vector<std::string>& keep,
                         const HwConfig& hw = *hw_preset("tiny")) {
  Expected<Design> d = generate(hw, default_templates_dir());
  EXPECT_TRUE(d.ok()) << d.status().message();
  const std::string dir = root + "/design";
  EXPECT_TRUE(write_design(*d, dir).ok());
  YAML::Node m = YAML::LoadFile(dir + "/manifest.yaml");
  YAML::Node kept(YAML::NodeType::Sequence);
  for (const auto& i : m["instances"])
    for (const std::string& k : keep)
      if (i["name"].as<std::string>() == k) kept.push_back(i);
  m["instances"] = kept;
  YAML::Emitter e;
  e << m;
  std::ofstream(dir + "/manifest.yaml") << e.c_str() << "\n";
  return dir;
}

TEST(HwArea, Sha256KnownAnswers) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex(std::string(1000, 'a')).substr(0, 16), "41edece42d63e8d9");
}

TEST(HwArea, SynthesizesOncePerUnitAndCaches) {
  if (!have_yosys()) GTEST_SKIP() << "yosys not found: install it (Debian: apt-get install yosys)";
  TempDir tmp;
  // The L2 banks only: every other leaf takes from tens of seconds (af_pe_array of tiny) to many
  // minutes (af_ctrl, af_dma) to synthesize, and their cost follows the RTL as it changes.
  const std::string dir = small_design(tmp.path, {"u_l2w", "u_l2i", "u_l2o"});
  AreaOptions options;
  options.cache_dir = tmp.path + "/cache";
  options.jobs = 2;

  Expected<AreaReport> first = design_area(dir, options);
  ASSERT_TRUE(first.ok()) << first.status().message();
  ASSERT_EQ(first->instances.size(), 3u);
  // u_l2w and u_l2i have the same parameters: one synthesis.
  EXPECT_EQ(first->cache_misses, 2);
  EXPECT_EQ(first->cache_hits, 1);
  EXPECT_TRUE(first->complete);
  const HwConfig hw = *hw_preset("tiny");
  // The L2 banks' storage is inferred as memories and goes to the table.
  int64_t want_bits = 0, all_bits = 0;
  for (Tensor t : kAllTensors) {
    want_bits += 8 * hw.l2_bytes[idx(t)];
    all_bits += 8 * (hw.l2_bytes[idx(t)] + hw.pes() * hw.l1_bytes[idx(t)]);
  }
  EXPECT_EQ(first->memory_bits, want_bits);
  EXPECT_EQ(first->buffer_bits, all_bits);
  EXPECT_GT(first->transistors, 0);
  EXPECT_DOUBLE_EQ(first->logic_um2, static_cast<double>(first->transistors) * kUm2PerTransistor);
  EXPECT_DOUBLE_EQ(first->sram_um2, static_cast<double>(want_bits) * Tech{}.sram_um2_per_bit);

  Expected<AreaReport> second = design_area(dir, options);
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_EQ(second->cache_misses, 0);
  EXPECT_EQ(second->cache_hits, 3);
  EXPECT_EQ(second->transistors, first->transistors);
  EXPECT_EQ(second->memory_bits, first->memory_bits);
  std::cout << "uncached " << first->seconds << " s, cached " << second->seconds << " s\n";

  // The report prints both areas, and the JSON has the same totals.
  const std::string text = area_report_text(*second);
  EXPECT_NE(text.find("analytical (costmodel area_of)"), std::string::npos) << text;
  EXPECT_NE(text.find("synthesis: total"), std::string::npos) << text;
  EXPECT_NE(area_report_json(*second).find("\"transistors\": " + std::to_string(first->transistors)),
            std::string::npos);
}

// The PE array of an emitted design: af_top instantiates the flat af_pe_array, whose synthesis
// view (`ifdef SYNTHESIS, which Yosys defines) is ROWS x COLS af_pe leaves, so `accelforge area`
// costs it exactly as af_pe_grid with the same parameters (INTERFACES.md section 11), and every
// PE's L1 buffers are inferred memories counted once per PE. A 2x2 array with small buffers
// (a few seconds per synthesis; edge-sized arrays take minutes).
TEST(HwArea, PeArrayOfAnEmittedDesignIsTheGridOfPeLeaves) {
  if (!have_yosys()) GTEST_SKIP() << "yosys not found: install it (Debian: apt-get install yosys)";
  TempDir tmp;
  HwConfig hw = *hw_preset("tiny");
  hw.rows = hw.cols = 2;
  hw.noc_words_per_cycle = 1;
  hw.l1_bytes = {16, 16, 64};
  const std::string dir = small_design(tmp.path, {"u_pes"}, hw);
  AreaOptions options;
  options.cache_dir = tmp.path + "/cache";
  Expected<AreaReport> r = design_area(dir, options);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->instances.size(), 1u);
  EXPECT_EQ(r->instances[0].module, "af_pe_array");
  EXPECT_TRUE(r->complete);
  int64_t l1_bits = 0;
  for (Tensor t : kAllTensors) l1_bits += 8 * hw.pes() * hw.l1_bytes[idx(t)];
  EXPECT_EQ(r->memory_bits, l1_bits);
  EXPECT_GT(r->transistors, 0);

  // The structural reference with the same parameters gives the same numbers.
  AreaUnit grid{"af_pe_grid", r->instances[0].params,
                {default_templates_dir() + "/af_pe_grid.v", default_templates_dir() + "/af_pe.v"}};
  bool cached = true;
  Expected<UnitArea> g = synthesize_unit(grid, options, &cached);
  ASSERT_TRUE(g.ok()) << g.status().message();
  EXPECT_FALSE(cached);
  EXPECT_EQ(g->transistors, r->transistors);
  EXPECT_EQ(g->memory_bits, r->memory_bits);
}

TEST(HwArea, CacheKeyFollowsTheLeafText) {
  if (!have_yosys()) GTEST_SKIP() << "yosys not found: install it (Debian: apt-get install yosys)";
  TempDir tmp;
  const std::string dir = small_design(tmp.path, {"u_l2w"});
  AreaOptions options;
  options.cache_dir = tmp.path + "/cache";
  AreaUnit unit{"af_l2_bank", {{"BYTES", 256}, {"DRAM_B", 4}, {"NOC_W", 1}, {"WB", 1}}, {dir + "/af_l2_bank.v"}};
  bool cached = true;
  std::string key1, key2, key3;
  Expected<UnitArea> a = synthesize_unit(unit, options, &cached, &key1);
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_FALSE(cached);
  EXPECT_EQ(a->memory_bits, 256 * 8);
  Expected<UnitArea> b = synthesize_unit(unit, options, &cached, &key2);
  ASSERT_TRUE(b.ok());
  EXPECT_TRUE(cached);
  EXPECT_EQ(key1, key2);
  EXPECT_EQ(b->transistors, a->transistors);
  // A comment added to the leaf is a different text: a different entry.
  std::ofstream(dir + "/af_l2_bank.v", std::ios::app) << "// edited\n";
  Expected<UnitArea> c = synthesize_unit(unit, options, &cached, &key3);
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(cached);
  EXPECT_NE(key3, key1);
  EXPECT_EQ(c->transistors, a->transistors);
  // Another parameter value is another unit.
  unit.params[0].second = 512;
  Expected<UnitArea> d = synthesize_unit(unit, options, &cached);
  ASSERT_TRUE(d.ok());
  EXPECT_FALSE(cached);
  EXPECT_EQ(d->memory_bits, 512 * 8);
}

TEST(HwArea, ReportsAMissingYosys) {
  TempDir tmp;
  const std::string dir = small_design(tmp.path, {"u_l2w"});
  AreaOptions options;
  options.yosys = "/nonexistent/yosys";
  options.cache_dir = tmp.path + "/cache";
  Expected<AreaReport> r = design_area(dir, options);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("cannot run"), std::string::npos) << r.status().message();
}

TEST(HwArea, RejectsADirectoryWithoutManifest) {
  TempDir tmp;
  Expected<AreaReport> r = design_area(tmp.path, AreaOptions{});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("not a design directory"), std::string::npos) << r.status().message();
}

}  // namespace
}  // namespace af::hw
