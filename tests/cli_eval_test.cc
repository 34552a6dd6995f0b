// `accelforge eval` and `accelforge bench model` end to end: JSON keys of the issue, whole-workload
// tables, seeded random mappings, mapping files, and one-line errors with exit code 2.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/io.h"
#include "core/zoo.h"
#include "costmodel/random_mapping.h"
#include "tests/support/cli_run.h"

namespace af::test {
namespace {

using nlohmann::json;

TEST(CliEval, SingleLayerJsonHasEveryKey) {
  const CliResult r = run_cli("eval --workload resnet18 --layer 1 --hw edge --mapping random "
                              "--seed 7 --json");
  ASSERT_EQ(r.code, 0) << r.err;
  const json j = json::parse(r.out);
  for (const char* key : {"macs", "cycles", "pes", "utilization", "energy_pj", "area_um2",
                          "buffer_bytes", "accesses", "cycles_breakdown", "status"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_EQ(j["status"], "ok");
  EXPECT_EQ(j["macs"].get<int64_t>(), zoo_model("resnet18")->layers[1].macs());
  EXPECT_EQ(j["pes"].get<int64_t>(), 168);
  EXPECT_LE(j["utilization"].get<double>(), 1.0);
  for (const char* level : {"DRAM", "L2", "L1"})
    for (const char* tensor : {"weights", "inputs", "outputs"})
      for (const char* field : {"reads", "fills", "updates", "drains"})
        EXPECT_TRUE(j["accesses"][level][tensor].contains(field)) << level << tensor << field;
  int64_t sum = 0;
  for (auto& kv : j["cycles_breakdown"].items()) sum += kv.value().get<int64_t>();
  EXPECT_EQ(sum, j["cycles"].get<int64_t>());
  EXPECT_TRUE(j["buffer_bytes"].contains("L1"));
  EXPECT_TRUE(j["buffer_bytes"].contains("L2"));
}

TEST(CliEval, LayerByNameAndSeedDeterminism) {
  const Workload w = *zoo_model("resnet18");
  const std::string name = w.layers[3].name;
  const CliResult a = run_cli("eval --workload resnet18 --layer " + name +
                              " --hw edge --mapping random --seed 11 --json");
  const CliResult b = run_cli("eval --workload resnet18 --layer 3 --hw edge --mapping random "
                              "--seed 11 --json");
  ASSERT_EQ(a.code, 0) << a.err;
  ASSERT_EQ(b.code, 0) << b.err;
  EXPECT_EQ(json::parse(a.out)["cycles"], json::parse(b.out)["cycles"]);
  EXPECT_EQ(json::parse(a.out)["name"], name);
}

TEST(CliEval, WholeWorkloadTableAndJsonTotals) {
  const CliResult table = run_cli("eval --workload resnet18 --hw edge --mapping random --seed 1");
  ASSERT_EQ(table.code, 0) << table.err;
  EXPECT_NE(table.out.find("total"), std::string::npos);
  const CliResult r =
      run_cli("eval --workload resnet18 --hw edge --mapping random --seed 1 --json");
  ASSERT_EQ(r.code, 0) << r.err;
  const json j = json::parse(r.out);
  const Workload w = *zoo_model("resnet18");
  ASSERT_EQ(j["layers"].size(), w.layers.size());
  int64_t cycles = 0;
  for (const json& layer : j["layers"]) cycles += layer["cycles"].get<int64_t>();
  EXPECT_EQ(j["totals"]["cycles"].get<int64_t>(), cycles);
  EXPECT_EQ(j["totals"]["macs"].get<int64_t>(), w.macs());
}

TEST(CliEval, MappingFileGivesTheSameResultAsTheSameMappingDrawnAtRandom) {
  const Workload w = *zoo_model("mobilenet_v2");
  const HwConfig hw = *hw_preset("tiny");
  // The CLI draws layer i's random mapping with seed * 1000003 + i.
  const Mapping m = *random_mapping(w.layers[2], hw, 5 * 1000003ull + 2);
  const std::string dir = scratch_dir("eval_mapping");
  ASSERT_TRUE(write_file_atomic(dir + "/m.yaml", mapping_to_yaml(m)).ok());
  const CliResult a = run_cli("eval --workload mobilenet_v2 --layer 2 --hw tiny --mapping " + dir +
                              "/m.yaml --json");
  const CliResult b =
      run_cli("eval --workload mobilenet_v2 --layer 2 --hw tiny --mapping random --seed 5 --json");
  ASSERT_EQ(a.code, 0) << a.err;
  ASSERT_EQ(b.code, 0) << b.err;
  EXPECT_EQ(json::parse(a.out)["cycles"], json::parse(b.out)["cycles"]);
  EXPECT_EQ(json::parse(a.out)["accesses"], json::parse(b.out)["accesses"]);
}

TEST(CliEval, BadInputIsOneLineAndExitTwo) {
  struct Bad {
    std::string args, expect;
  } cases[] = {
      {"eval --workload nosuchmodel --hw edge --mapping random", "nosuchmodel"},
      {"eval --workload resnet18 --layer 99 --hw edge --mapping random", "allowed: 0..20"},
      {"eval --workload resnet18 --layer conv9 --hw edge --mapping random", "--layer"},
      {"eval --workload resnet18 --hw nosuchpreset --mapping random", "nosuchpreset"},
      {"eval --workload resnet18 --layer 0 --hw edge --mapping /nonexistent/m.yaml",
       "/nonexistent/m.yaml:0:"},
  };
  for (const Bad& b : cases) {
    const CliResult r = run_cli(b.args);
    EXPECT_EQ(r.code, 2) << b.args << "\n" << r.err;
    EXPECT_NE(r.err.find(b.expect), std::string::npos) << b.args << "\n" << r.err;
    EXPECT_TRUE(r.out.empty()) << b.args;
  }
  const std::string dir = scratch_dir("eval_bad_mapping");
  ASSERT_TRUE(write_file_atomic(dir + "/m.yaml", "l2:\n  tile: {K: 0}\n  order: NGKCYXRS\n").ok());
  const CliResult r =
      run_cli("eval --workload resnet18 --layer 0 --hw edge --mapping " + dir + "/m.yaml");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find(dir + "/m.yaml:2:"), std::string::npos) << r.err;
}

// With --layer, a `mappings:` list needs an entry for that layer only, and an error inside the
// list is the list reader's (with its line), not "a list where one mapping was expected"; a
// single mapping that does not fit the layer names the line of the offending tile.
TEST(CliEval, MappingFilesWithLayerReportTheRealProblem) {
  const std::string dir = scratch_dir("eval_mapping_list");
  const Workload w = *zoo_model("resnet18");
  Mapping m;
  m.l2.tile = m.l1.tile = {1, 1, 1, 1, 1, 1, 1, 1};
  LayerMapping only;
  only.index = 3;
  only.mapping = m;
  ASSERT_TRUE(write_file_atomic(dir + "/one.yaml", mapping_list_to_yaml({only})).ok());
  const CliResult r = run_cli("eval --workload resnet18 --layer 3 --hw edge --mapping " + dir +
                              "/one.yaml --json");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["macs"].get<int64_t>(), w.layers[3].macs());
  // Another layer: the list has no entry for it.
  const CliResult missing =
      run_cli("eval --workload resnet18 --layer 2 --hw edge --mapping " + dir + "/one.yaml");
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.err.find("no mapping for layer"), std::string::npos) << missing.err;

  // The line of the first line of `text` containing `needle` (1-based).
  auto line_of = [](const std::string& text, const std::string& needle) {
    const size_t at = text.find(needle);
    return at == std::string::npos ? -1 : 1 + static_cast<int>(std::count(text.begin(), text.begin() + at, '\n'));
  };
  std::string list = mapping_list_to_yaml({only});
  const size_t order = list.find("NGKCYXRS");
  ASSERT_NE(order, std::string::npos) << list;
  list.replace(order, 8, "NGKCYXRR");
  ASSERT_TRUE(write_file_atomic(dir + "/bad.yaml", list).ok());
  const CliResult bad =
      run_cli("eval --workload resnet18 --layer 3 --hw edge --mapping " + dir + "/bad.yaml");
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find(dir + "/bad.yaml:" + std::to_string(line_of(list, "NGKCYXRR")) + ": mappings[0]."),
            std::string::npos)
      << bad.err << list;
  EXPECT_EQ(bad.err.find("where one mapping was expected"), std::string::npos) << bad.err;

  Mapping too_big = m;
  too_big.l2.tile[idx(Dim::K)] = w.layers[0][Dim::K] + 1;
  const std::string text = mapping_to_yaml(too_big);
  ASSERT_TRUE(write_file_atomic(dir + "/big.yaml", text).ok());
  const CliResult big = run_cli("eval --workload resnet18 --layer 0 --hw edge --mapping " + dir +
                                "/big.yaml");
  EXPECT_EQ(big.code, 2);
  const std::string k = "K: " + std::to_string(w.layers[0][Dim::K] + 1);
  EXPECT_NE(big.err.find(dir + "/big.yaml:" + std::to_string(line_of(text, k)) + ": l2.tile.K: tile"),
            std::string::npos)
      << big.err << text;
}

// Without --layer the output is every layer plus totals, also for a one-layer workload; the
// totals carry the breakdown, the summed accesses and the largest buffer needs, and illegal
// layers are counted out loud.
TEST(CliEval, TotalsHaveTheSameKeysAsALayerAndCountIllegalLayers) {
  const std::string dir = scratch_dir("eval_totals");
  ASSERT_TRUE(write_file_atomic(dir + "/w.yaml",
                                "name: one\nlayers:\n  - {name: a, kind: fc, out: 40, in: 30}\n")
                  .ok());
  const CliResult r =
      run_cli("eval --workload " + dir + "/w.yaml --hw edge --mapping random --seed 2 --json");
  ASSERT_EQ(r.code, 0) << r.err;
  const json j = json::parse(r.out);
  ASSERT_EQ(j["layers"].size(), 1u);
  for (const char* key : {"macs", "cycles", "pes", "utilization", "energy_pj", "area_um2",
                          "buffer_bytes", "accesses", "cycles_breakdown", "status"})
    EXPECT_TRUE(j["totals"].contains(key)) << key;
  EXPECT_EQ(j["totals"]["accesses"], j["layers"][0]["accesses"]);
  EXPECT_EQ(j["totals"]["cycles_breakdown"], j["layers"][0]["cycles_breakdown"]);
  EXPECT_EQ(j["totals"]["illegal_layers"].get<int>(), 0);
  const CliResult table = run_cli("eval --workload " + dir + "/w.yaml --hw edge --mapping random");
  EXPECT_NE(table.out.find("total"), std::string::npos) << table.out;

  // resnet18 on tiny with the whole layer in L2: every layer overflows but the small ones.
  std::vector<LayerMapping> entries;
  const Workload w = *zoo_model("resnet18");
  for (size_t i = 0; i < w.layers.size(); ++i) {
    LayerMapping e;
    e.index = static_cast<int64_t>(i);
    e.mapping.l2.tile = i == 1 ? w.layers[i].dims : DimArray{1, 1, 1, 1, 1, 1, 1, 1};
    e.mapping.l1.tile = {1, 1, 1, 1, 1, 1, 1, 1};
    entries.push_back(e);
  }
  ASSERT_TRUE(write_file_atomic(dir + "/all.yaml", mapping_list_to_yaml(entries)).ok());
  const CliResult some =
      run_cli("eval --workload resnet18 --hw tiny --mapping " + dir + "/all.yaml --json");
  EXPECT_EQ(some.code, 1);
  const json t = json::parse(some.out)["totals"];
  EXPECT_EQ(t["illegal_layers"].get<int>(), 1);
  EXPECT_EQ(t["layers_counted"].get<size_t>(), w.layers.size() - 1);
  EXPECT_NE(t["status"].get<std::string>().find("1 illegal layer not counted"), std::string::npos);
  const CliResult some_text = run_cli("eval --workload resnet18 --hw tiny --mapping " + dir + "/all.yaml");
  EXPECT_NE(some_text.out.find("1 illegal layer not counted"), std::string::npos) << some_text.out;
  // The illegal layer keeps its own MAC count (it was reported as 0).
  const json illegal = json::parse(some.out)["layers"][1];
  EXPECT_NE(illegal["status"].get<std::string>(), "ok");
  EXPECT_EQ(illegal["macs"].get<int64_t>(), w.layers[1].macs());
  EXPECT_NE(some_text.out.find(std::to_string(w.layers[1].macs())), std::string::npos)
      << some_text.out;
}

// With a calibration, `cycles` is calibrated and the breakdown stays the model's own: it sums to
// cycles_uncalibrated (the text says so), not to the calibrated total.
TEST(CliEval, CalibratedCyclesKeepTheUncalibratedBreakdownLabelled) {
  const std::string dir = scratch_dir("eval_calibrated");
  ASSERT_TRUE(write_file_atomic(dir + "/c.yaml",
                                "template_version: 1\ncompute: 1.5\ndram_stall: 0.5\n").ok());
  const std::string args = "eval --workload resnet18 --layer 3 --hw edge --mapping random --seed 4";
  const json plain = json::parse(run_cli(args + " --json").out);
  const CliResult r = run_cli(args + " --json --calibration " + dir + "/c.yaml");
  ASSERT_EQ(r.code, 0) << r.err;
  const json j = json::parse(r.out);
  int64_t sum = 0;
  for (const auto& [cause, cycles] : j["cycles_breakdown"].items()) sum += cycles.get<int64_t>();
  EXPECT_EQ(j["cycles_uncalibrated"].get<int64_t>(), sum);
  EXPECT_EQ(j["cycles_breakdown"], plain["cycles_breakdown"]);
  EXPECT_EQ(plain["cycles"].get<int64_t>(), sum);
  const auto& b = j["cycles_breakdown"];
  const double expected = 1.5 * b["compute"].get<double>() + b["input_wait"].get<double>() +
                          b["output_wait"].get<double>() + 0.5 * b["dram_stall"].get<double>() +
                          b["fill_drain"].get<double>();
  EXPECT_NEAR(j["cycles"].get<double>(), expected, 1.0);
  const CliResult text = run_cli(args + " --calibration " + dir + "/c.yaml");
  EXPECT_NE(text.out.find("uncalibrated cycles " + std::to_string(sum)), std::string::npos)
      << text.out;
  EXPECT_EQ(run_cli(args).out.find("uncalibrated"), std::string::npos);
}

// Command-line mistakes are one line and exit 2 like every other input error.
TEST(CliEval, CommandLineMistakesAreOneLineAndExitTwo) {
  for (const char* args :
       {"eval --workload resnet18 --hw edge --mapping random --seed -1",
        "eval --workload resnet18 --hw edge --mapping random --seed 18446744073709551616",
        "eval --workload resnet18 --hw edge --mapping random --seed abc",
        "eval --workload resnet18 --hw edge --mapping random --layer ''",
        "eval --workload resnet18 --hw edge", "eval --workload resnet18 --hw edge --mapping random x",
        "nosuchcommand", "bench model --workload nosuch", "bench model --hw giant",
        "search --workload resnet18 --seed -5 --evals 10",
        "simulate --design /nonexistent --workload resnet18 --layer '' --mapping random"}) {
    const CliResult r = run_cli(args);
    EXPECT_EQ(r.code, 2) << args << "\n" << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << args << "\n" << r.err;
    EXPECT_TRUE(r.out.empty()) << args;
  }
  const CliResult seed = run_cli(
      "eval --workload resnet18 --layer 0 --hw edge --mapping random --seed 18446744073709551615");
  EXPECT_EQ(seed.code, 0) << seed.err;
}

TEST(CliEval, IllegalMappingReportsTheReasonAndExitOne) {
  const Workload w = *zoo_model("resnet18");
  Mapping m;
  m.l2.tile = w.layers[1].dims;  // the whole layer in L2 cannot fit the tiny preset
  m.l1.tile = {1, 1, 1, 1, 1, 1, 1, 1};
  const std::string dir = scratch_dir("eval_illegal");
  ASSERT_TRUE(write_file_atomic(dir + "/m.yaml", mapping_to_yaml(m)).ok());
  const CliResult r =
      run_cli("eval --workload resnet18 --layer 1 --hw tiny --mapping " + dir + "/m.yaml --json");
  EXPECT_EQ(r.code, 1);
  const json j = json::parse(r.out);
  EXPECT_NE(j["status"].get<std::string>().find("L2"), std::string::npos);
  EXPECT_NE(j["status"].get<std::string>().find("overflows"), std::string::npos);
}

TEST(CliEval, EverySubcommandHasHelp) {
  for (const char* sub : {"eval", "bench", "bench model"}) {
    const CliResult r = run_cli(std::string(sub) + " --help");
    EXPECT_EQ(r.code, 0) << sub;
    EXPECT_NE(r.out.find("--"), std::string::npos) << sub;
  }
}

TEST(CliBench, ModelBenchReportsEvalsPerSecond) {
  const CliResult r = run_cli("bench model --json --seconds 0.05 --mappings 64");
  ASSERT_EQ(r.code, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_GT(j["evals_per_second"].get<double>(), 0);
  EXPECT_EQ(j["illegal"].get<int64_t>(), 0);
}

}  // namespace
}  // namespace af::test
