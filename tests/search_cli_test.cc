// `accelforge search` and `accelforge compare` end to end: the result JSON, the best design's files
// accepted by `accelforge eval` with the same cycles, bad input -> exit 2 with one message, and
// the compare outputs.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct Result {
  int code;
  std::string out, err;
};

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

fs::path tmpdir() {
  static const fs::path d = fs::temp_directory_path() / ("af_search_cli_" + std::to_string(::getpid()));
  fs::create_directories(d);
  return d;
}

Result run(const std::string& args) {
  const std::string out = (tmpdir() / "stdout").string(), err = (tmpdir() / "stderr").string();
  const std::string cmd = std::string(AF_BINARY_DIR) + "/accelforge " + args + " >" + out + " 2>" + err;
  const int st = std::system(cmd.c_str());
  return {WIFEXITED(st) ? WEXITSTATUS(st) : -1, slurp(out), slurp(err)};
}

TEST(SearchCli, LayerSearchWritesJsonAndFilesThatEvalAccepts) {
  const fs::path d = tmpdir() / "layer";
  fs::create_directories(d);
  const std::string outj = (d / "r.json").string();
  Result r = run("search --workload resnet18 --layer 1 --mode layer --budget edge --evals 300 "
                 "--seed 3 --threads 2 --top 3 --out " + outj);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("search: "), std::string::npos);  // progress on stderr
  const json j = json::parse(slurp(outj));
  EXPECT_EQ(j["evals_used"].get<int64_t>(), 300);
  ASSERT_FALSE(j["best"].is_null());
  for (const char* k : {"cycles", "energy_pj", "area_um2", "hw", "mappings"}) EXPECT_TRUE(j["best"].contains(k)) << k;
  EXPECT_GE(j["history"].size(), 1u);
  const fs::path design = d / "r_design";
  ASSERT_TRUE(fs::exists(design / "hw_layer1.yaml"));
  ASSERT_TRUE(fs::exists(design / "mapping_layer1.yaml"));
  Result e = run("eval --workload resnet18 --layer 1 --hw " + (design / "hw_layer1.yaml").string() +
                 " --mapping " + (design / "mapping_layer1.yaml").string() + " --json");
  ASSERT_EQ(e.code, 0) << e.err;
  const json ej = json::parse(e.out);
  EXPECT_EQ(ej["cycles"].get<double>(), j["best"]["cycles"].get<double>());
  EXPECT_NEAR(ej["area_um2"].get<double>(), j["best"]["area_um2"].get<double>(), 1e-6);
}

TEST(SearchCli, ModelSearchDesignEvaluatesToTheSameTotal) {
  const fs::path d = tmpdir() / "model";
  Result r = run("search --workload ncf --mode model --budget cloud --evals 150 --seed 2 --json "
                 "--quiet --design-dir " + d.string());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(r.err.empty()) << r.err;  // --quiet
  const json j = json::parse(r.out);
  ASSERT_TRUE(fs::exists(d / "hw.yaml"));
  ASSERT_TRUE(fs::exists(d / "mappings.yaml"));
  Result e = run("eval --workload ncf --hw " + (d / "hw.yaml").string() + " --mapping " +
                 (d / "mappings.yaml").string() + " --json");
  ASSERT_EQ(e.code, 0) << e.err;
  const json ej = json::parse(e.out);
  double total = 0;
  for (const auto& l : ej["layers"]) total += l["cycles"].get<double>();
  EXPECT_EQ(total, j["best"]["cycles"].get<double>());
  // And layer by layer with the single-mapping files.
  Result e0 = run("eval --workload ncf --layer 0 --hw " + (d / "hw.yaml").string() + " --mapping " +
                  (d / "mapping_layer0.yaml").string() + " --json");
  ASSERT_EQ(e0.code, 0) << e0.err;
  EXPECT_EQ(json::parse(e0.out)["cycles"], j["best"]["designs"][0]["layers"][0]["cycles"]);
}

TEST(SearchCli, CheckpointAndResumeFromTheCommandLine) {
  const fs::path d = tmpdir() / "resume";
  fs::create_directories(d);
  const std::string base = "search --workload ncf --mode model --budget edge --evals 400 --seed 9 --quiet --json";
  Result full = run(base);
  ASSERT_EQ(full.code, 0) << full.err;
  const std::string ck = (d / "ck.json").string();
  Result part = run(base + " --checkpoint " + ck + " --checkpoint-every 2 --stop-after-generations 5");
  ASSERT_EQ(part.code, 0) << part.err;
  Result rest = run(base + " --checkpoint " + ck + " --resume --threads 2");
  ASSERT_EQ(rest.code, 0) << rest.err;
  json a = json::parse(full.out), b = json::parse(rest.out);
  a.erase("timing");
  b.erase("timing");
  EXPECT_EQ(a, b);
}

TEST(SearchCli, BadInputExitsWithCode2AndOneMessage) {
  const char* bad[] = {
      "search --workload resnet18 --budget huge --evals 10",
      "search --workload resnet18 --algo nope --evals 10",
      "search --workload no_such_model --evals 10",
      "search --workload resnet18 --layer 999 --evals 10",
      "search --workload resnet18 --layer 1 --algo exhaustive --evals 10",
      "search --workload resnet18 --objective speed --evals 10",
      "search --workload resnet18 --mode chip --evals 10",
      "search --workload resnet18 --resume --evals 10",
      "search --workload resnet18 --ops +teleport --evals 10",
      "search --workload resnet18 --budget 0.000001 --evals 10",
      "compare --workloads resnet18 --algos digamma,nope --out /tmp/x",
  };
  for (const char* args : bad) {
    Result r = run(args);
    EXPECT_EQ(r.code, 2) << args << "\n" << r.err;
    EXPECT_FALSE(r.err.empty()) << args;
    EXPECT_LE(std::count(r.err.begin(), r.err.end(), '\n'), 2) << args << "\n" << r.err;
  }
}

// Mistakes that used to surface only after the whole search (or never): output paths are checked
// first, options that cannot work together are refused, numbers are plain decimals.
TEST(SearchCli, OutputsAndOptionConflictsAreCheckedBeforeSearching) {
  const fs::path d = tmpdir() / "precheck";
  fs::create_directories(d);
  const std::string file = (d / "a_file").string();
  std::ofstream(file) << "x";
  const std::string same = (d / "s.json").string();
  const std::string bad[] = {
      "search --workload ncf --evals 20 --out ''",
      "search --workload ncf --evals 20 --out /nonexistent/dir/x.json",
      "search --workload ncf --evals 20 --design-dir " + file,
      "search --workload ncf --evals 20 --checkpoint " + same + " --out " + same,
      "search --workload ncf --evals 20 --stop-after-generations 1",
      "search --workload ncf --evals 20 --checkpoint " + same + " --stop-after-generations -1",
      "search --workload ncf --evals 20 --pop 5 --ops pop=3",
      "search --workload ncf --evals 20 --ops tile=nan",
      "search --workload ncf --evals 20 --ops pop=3.5",
      "search --workload ncf --evals 20 --budget 0x1",
      "search --workload ncf --evals 20 --budget ' 1'",
      // Options the algorithm would ignore.
      "search --workload ncf --evals 20 --algo sa --pop 8",
      "search --workload ncf --evals 20 --algo random --pop 8",
      "search --workload ncf --evals 20 --algo de --ops=-crossover",
      "search --workload ncf --evals 20 --checkpoint-every 3",
      "eval --workload ncf --layer 0 --hw tiny --mapping " + file + " --seed 5",
  };
  for (const std::string& args : bad) {
    Result r = run(args);
    EXPECT_EQ(r.code, 2) << args << "\n" << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << args << "\n" << r.err;
  }
  EXPECT_FALSE(fs::exists(same));

  // Outputs never overwrite inputs: the result JSON, a design file or a checkpoint over the
  // workload file, and a search design over an emitted design (its manifest and Verilog would
  // no longer match its hw.yaml).
  const std::string w = (d / "w.yaml").string();
  const std::string wl = "name: w\nlayers:\n  - {name: fc1, kind: fc, in: 16, out: 8}\n";
  std::ofstream(w) << wl;
  fs::create_directories(d / "dd");
  const std::string in_dir = (d / "dd" / "hw.yaml").string();
  std::ofstream(in_dir) << wl;
  ASSERT_EQ(run("eval --workload " + in_dir + " --hw tiny --mapping random").code, 0);
  const fs::path emitted = d / "emitted";
  fs::remove_all(emitted);
  ASSERT_EQ(run("emit --hw tiny --out " + emitted.string()).code, 0);
  const std::string emitted_hw = slurp((emitted / "hw.yaml").string());
  for (const std::string& args :
       {"search --workload " + w + " --evals 5 --quiet --out " + w,
        "search --workload " + w + " --evals 5 --quiet --checkpoint " + w,
        "search --workload " + in_dir + " --evals 5 --quiet --design-dir " + (d / "dd").string(),
        "search --workload " + w + " --evals 5 --quiet --design-dir " + emitted.string()}) {
    Result r = run(args);
    EXPECT_EQ(r.code, 2) << args << "\n" << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << args << "\n" << r.err;
  }
  EXPECT_EQ(slurp(w), wl);
  EXPECT_EQ(slurp(in_dir), wl);
  EXPECT_EQ(slurp((emitted / "hw.yaml").string()), emitted_hw);
}

// A design directory reused by another search holds only the new design's files; the whole
// history ends at the last evaluation like each run's; a tiny MAC area does not overflow the
// PE limit (the search still finds arrays larger than 1x1).
TEST(SearchCli, DesignDirHistoryAndTinyMacArea) {
  const fs::path d = tmpdir() / "reuse";
  fs::remove_all(d);
  ASSERT_EQ(run("search --workload resnet18 --evals 40 --quiet --design-dir " + d.string()).code, 0);
  ASSERT_TRUE(fs::exists(d / "mapping_layer20.yaml"));
  std::ofstream(d / "notes.txt") << "mine";
  Result r = run("search --workload ncf --evals 41 --quiet --json --design-dir " + d.string());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_FALSE(fs::exists(d / "mapping_layer20.yaml"));
  EXPECT_TRUE(fs::exists(d / "mapping_layer3.yaml"));
  EXPECT_TRUE(fs::exists(d / "notes.txt"));  // not ours: left alone
  const json j = json::parse(r.out);
  EXPECT_EQ(j["history"].back()[0].get<int64_t>(), 41);
  EXPECT_EQ(j["runs"][0]["history"].back()[0].get<int64_t>(), 41);

  // Model mode writes mappings.yaml for one layer too (docs/search.md section 7), and eval takes it.
  const fs::path one = tmpdir() / "one_layer";
  fs::remove_all(one);
  ASSERT_EQ(run("search --workload ncf --layer 1 --evals 20 --quiet --design-dir " + one.string()).code,
            0);
  ASSERT_TRUE(fs::exists(one / "mappings.yaml"));
  EXPECT_EQ(run("eval --workload ncf --layer 1 --hw " + (one / "hw.yaml").string() + " --mapping " +
                (one / "mappings.yaml").string()).code,
            0);

  const std::string tech = (d / "tech.yaml").string();
  std::ofstream(tech) << "mac_um2: 1e-14\n";
  Result t = run("search --workload ncf --evals 200 --seed 4 --quiet --json --tech " + tech);
  ASSERT_EQ(t.code, 0) << t.err;
  const json hw = json::parse(t.out)["best"]["hw"];
  EXPECT_GT(hw["rows"].get<int64_t>() * hw["cols"].get<int64_t>(), 1);
}

// compare --resume reuses a stored run only when it was the same search: a changed workload file
// (or other --ops) is run again. Lists that would share run files or have no subject are refused
// before the output directory is created.
TEST(SearchCli, CompareResumeReusesOnlyTheSameSearch) {
  const fs::path d = tmpdir() / "compare_resume";
  fs::remove_all(d);
  fs::create_directories(d / "sub");
  const std::string w = (d / "w.yaml").string(), out = (d / "c").string();
  std::ofstream(w) << "name: w\nlayers:\n  - {name: a, kind: fc, out: 64, in: 64}\n";
  fs::copy_file(w, d / "sub" / "w.yaml");
  const std::string args = "compare --workloads " + w +
                           " --budgets edge --algos digamma,random --evals 20 --seeds 1 --quiet --out " + out;
  ASSERT_EQ(run(args).code, 0);
  const std::string before = slurp(out + "/runs.csv");
  ASSERT_EQ(run(args + " --resume").code, 0);
  EXPECT_EQ(slurp(out + "/runs.csv"), before);  // unchanged: reused
  std::ofstream(w) << "name: w\nlayers:\n  - {name: a, kind: fc, out: 512, in: 512}\n";
  ASSERT_EQ(run(args + " --resume").code, 0);
  const std::string after = slurp(out + "/runs.csv");
  EXPECT_NE(after, before);  // the changed workload was searched again
  // Other operators: the stored DiGamma run is redone (its fingerprint now has them; with 20
  // evaluations the result itself may well be the same).
  const std::string dg = out + "/runs/w.yaml_edge_digamma_s1.json";
  const json before_ops = json::parse(slurp(dg))["fingerprint"]["digamma"];
  ASSERT_EQ(run(args + " --resume --ops reference").code, 0);
  EXPECT_NE(json::parse(slurp(dg))["fingerprint"]["digamma"], before_ops);
  EXPECT_EQ(slurp(out + "/convergence.csv").find("inf"), std::string::npos);

  for (const std::string& bad :
       {"compare --workloads " + w + "," + (d / "sub" / "w.yaml").string() + " --evals 5 --out ",
        std::string("compare --workloads ncf,ncf --evals 5 --out "),
        std::string("compare --workloads ncf --budgets edge,edge --evals 5 --out "),
        std::string("compare --workloads ncf --algos random,sa --evals 5 --out "),
        std::string("compare --workloads ncf --algos digamma --evals 5 --out "),
        std::string("compare --workloads ncf --first-seed -1 --evals 5 --out "),
        std::string("compare --workloads ncf, --evals 5 --out "),
        std::string("compare --workloads ,ncf --evals 5 --out "),
        std::string("compare --workloads ncf --budgets edge,,cloud --evals 5 --out "),
        std::string("compare --workloads ncf --algos digamma,random, --evals 5 --out "),
        // Same area twice; an exhaustive space over its limit (refused before any run).
        std::string("compare --workloads ncf --budgets 0.2,0.20 --evals 5 --out "),
        std::string("compare --workloads ncf --budgets edge,0.2 --evals 5 --out "),
        std::string("compare --workloads ncf --algos digamma,random,exhaustive --evals 5 --out ")}) {
    const std::string never = (d / "never").string();
    Result r = run(bad + never);
    EXPECT_EQ(r.code, 2) << bad << "\n" << r.err;
    EXPECT_FALSE(fs::exists(never)) << bad;
  }
}

TEST(SearchCli, CompareWritesTheTableCsvAndPlot) {
  const fs::path d = tmpdir() / "cmp";
  Result r = run("compare --workloads ncf,dlrm --budgets edge,cloud --algos digamma,random,sa "
                 "--evals 40 --seeds 2 --quiet --out " + d.string());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(r.err.empty()) << r.err;  // --quiet: nothing on stderr
  EXPECT_NE(r.out.find("geomean speedup"), std::string::npos);
  for (const char* f : {"table.md", "table.csv", "runs.csv", "convergence.csv", "convergence.svg", "results.json"})
    EXPECT_TRUE(fs::exists(d / f)) << f;
  EXPECT_EQ(slurp((d / "convergence.svg").string()).rfind("<svg", 0), 0u);
  const std::string runs = slurp((d / "runs.csv").string());
  EXPECT_EQ(std::count(runs.begin(), runs.end(), '\n'), 1 + 2 * 2 * 3 * 2);
  const json j = json::parse(slurp((d / "results.json").string()));
  EXPECT_EQ(j["geomean_speedup"].size(), 2u);
  for (const auto& run : j["runs"]) EXPECT_EQ(run["evals_used"].get<int64_t>(), 40);
  // --resume reuses every run.
  Result again = run("compare --workloads ncf,dlrm --budgets edge,cloud --algos digamma,random,sa "
                     "--evals 40 --seeds 2 --resume --out " + d.string());
  ASSERT_EQ(again.code, 0) << again.err;
  EXPECT_NE(again.err.find("(reused)"), std::string::npos);
  EXPECT_EQ(std::count(again.err.begin(), again.err.end(), '\n'), 24 + 6);  // runs + files
}

}  // namespace
