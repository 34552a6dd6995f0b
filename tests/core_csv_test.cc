// DiGamma / GAMMA layer CSVs (docs/formats.md, /work/shared/workloads/README.md): every shipped
// file loads (except the malformed example.csv, which must give a clean error), each error kind
// gives `file:line: column: problem`.
#include <dirent.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/io.h"

namespace af {
namespace {

::testing::AssertionResult StartsWith(const std::string& text, const std::string& prefix) {
  if (text.compare(0, prefix.size(), prefix) == 0) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "'" << text << "' does not start with '" << prefix << "'";
}

template <typename T>
std::string ErrorOf(const Expected<T>& e) {
  return e.ok() ? std::string("<ok>") : e.status().message();
}

const std::string kShared = AF_SOURCE_DIR "/../shared/workloads";

std::vector<std::string> CsvFiles(const std::string& dir) {
  std::vector<std::string> files;
  DIR* d = opendir(dir.c_str());
  if (!d) return files;
  while (dirent* e = readdir(d)) {
    const std::string name = e->d_name;
    if (name.size() > 4 && name.substr(name.size() - 4) == ".csv") files.push_back(name);
  }
  closedir(d);
  std::sort(files.begin(), files.end());
  return files;
}

// Independent reading of a GAMMA CSV: MACs per row, straight from the README's definitions.
struct RawRow {
  int64_t v[7];
};
std::vector<RawRow> RawRows(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::vector<RawRow> rows;
  bool header = true;
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    if (header) {
      header = false;
      continue;
    }
    RawRow r{};
    std::stringstream ss(line);
    std::string cell;
    for (int i = 0; i < 7 && std::getline(ss, cell, ','); ++i) r.v[i] = std::stoll(cell);
    rows.push_back(r);
  }
  return rows;
}
int64_t RawMacs(const RawRow& r) {
  const int64_t* v = r.v;
  switch (v[6]) {
    case 0: return v[0] * v[1];                                                    // O x I
    case 1: return v[0] * v[1] * (v[2] - v[4] + 1) * (v[3] - v[5] + 1) * v[4] * v[5];
    case 2: return v[1] * (v[2] - v[4] + 1) * (v[3] - v[5] + 1) * v[4] * v[5];    // C channels
    case 3: return v[0] * v[1] * v[2];                                             // M x N x K
  }
  return -1;
}

TEST(core_Csv, EverySharedCsvLoads) {
  const std::vector<std::string> files = CsvFiles(kShared);
  if (files.empty()) GTEST_SKIP() << "no shared workloads at " << kShared;
  int loaded = 0;
  for (const std::string& f : files) {
    const std::string path = kShared + "/" + f;
    auto w = read_workload_csv(path);
    if (f == "example.csv") {
      ASSERT_FALSE(w.ok());
      EXPECT_EQ(w.status().message(),
                path + ":2: row: 6 columns in '32,32,16,16.1,1,1' (allowed: 7 columns as in the "
                       "header: K,C,Y,X,R,S,T | M,N,K,0,0,0,T | O,I,0,0,0,0,T)");
      continue;
    }
    ASSERT_TRUE(w.ok()) << ErrorOf(w);
    ++loaded;
    const std::string stem = f.substr(0, f.size() - 4);
    EXPECT_EQ(w->name, stem);
    EXPECT_TRUE(validate(*w).ok()) << f << ": " << validate(*w).message();
    const std::vector<RawRow> raw = RawRows(path);
    ASSERT_EQ(w->layers.size(), raw.size()) << f;
    for (size_t i = 0; i < raw.size(); ++i) {
      const Layer& l = w->layers[i];
      EXPECT_EQ(l.name, stem + "_L" + std::to_string(i));
      EXPECT_EQ(l.macs(), RawMacs(raw[i])) << f << " row " << i;
      EXPECT_EQ(l.stride_y, 1);
      EXPECT_EQ(l.pad_y, 0);
      const LayerKind expected[] = {LayerKind::Fc, LayerKind::Conv, LayerKind::Depthwise,
                                    LayerKind::Gemm};
      EXPECT_EQ(l.kind, expected[raw[i].v[6]]) << f << " row " << i;
    }
    // CSV-loaded workloads survive our YAML writer.
    auto back = parse_workload_yaml(workload_to_yaml(*w), stem + ".yaml");
    ASSERT_TRUE(back.ok()) << ErrorOf(back);
    EXPECT_EQ(*back, *w);
  }
  EXPECT_EQ(loaded, 20);  // 21 files at the top level, example.csv excluded
  auto confuciux = read_workload_csv(kShared + "/confuciux/example.csv");
  ASSERT_TRUE(confuciux.ok()) << ErrorOf(confuciux);
  EXPECT_EQ(confuciux->layers.size(), 2u);
}

TEST(core_Csv, SpotChecksOfTheConventions) {
  if (CsvFiles(kShared).empty()) GTEST_SKIP() << "no shared workloads at " << kShared;
  // resnet18.csv row 1: 64,3,224,224,7,7,1 -- Y, X are input sizes, stride 1, no padding.
  auto r = read_workload_csv(kShared + "/resnet18.csv");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->layers[0].dims, (DimArray{1, 1, 64, 3, 218, 218, 7, 7}));
  // mobilenet_v2.csv row 2: 1,32,112,112,3,3,2 -- depthwise, K = 1, C = channels.
  auto m = read_workload_csv(kShared + "/mobilenet_v2.csv");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->layers[1].kind, LayerKind::Depthwise);
  EXPECT_EQ(m->layers[1].dims, (DimArray{1, 32, 1, 1, 110, 110, 3, 3}));
  // BERT_m.csv row 1: 512,768,768 (M, N, K) -> K := N, C := K, Y := M.
  auto b = read_workload_csv(kShared + "/BERT_m.csv");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->layers[0].dims, (DimArray{1, 1, 768, 768, 512, 1, 1, 1}));
  EXPECT_EQ(b->layers[4].dims, (DimArray{1, 1, 768, 3072, 512, 1, 1, 1}));
  // dlrmRMC1_m.csv row 2: O=128, I=256.
  auto d = read_workload_csv(kShared + "/dlrmRMC1_m.csv");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->layers[1].dims, (DimArray{1, 1, 128, 256, 1, 1, 1, 1}));
  // manual.csv mixes CONV rows and a GEMM row under a K,C,Y,X,R,S,T header: T decides.
  auto mix = read_workload_csv(kShared + "/manual.csv");
  ASSERT_TRUE(mix.ok());
  EXPECT_EQ(mix->layers[2].kind, LayerKind::Gemm);
  EXPECT_EQ(mix->layers[2].dims, (DimArray{1, 1, 2048, 64, 2048, 1, 1, 1}));
}

TEST(core_Csv, TestDataFile) {
  auto w = read_workload_csv(AF_SOURCE_DIR "/tests/data/core/small.csv");
  ASSERT_TRUE(w.ok()) << ErrorOf(w);
  ASSERT_EQ(w->layers.size(), 4u);
  EXPECT_EQ(w->layers[0].name, "small_L0");
  EXPECT_EQ(w->layers[0], make_conv("small_L0", 1, 1, 64, 3, 224, 224, 7, 7, 1, 1, 0, 0).value());
  EXPECT_EQ(w->layers[1], make_depthwise("small_L1", 1, 32, 112, 112, 3, 3, 1, 0).value());
  EXPECT_EQ(w->layers[2], make_gemm("small_L2", 512, 768, 64).value());
  EXPECT_EQ(w->layers[3], make_fc("small_L3", 1000, 512).value());
}

TEST(core_Csv, ToleratesCrLfBlankLinesSpacesAndBom) {
  auto w = parse_workload_csv("\xEF\xBB\xBF K, C, Y, X, R, S, T\r\n\r\n 8, 4, 10, 10, 3, 3, 1 \r\n\n",
                              "dir/x.csv");
  ASSERT_TRUE(w.ok()) << ErrorOf(w);
  EXPECT_EQ(w->name, "x");
  ASSERT_EQ(w->layers.size(), 1u);
  EXPECT_EQ(w->layers[0].name, "x_L0");
  EXPECT_EQ(w->layers[0].dims, (DimArray{1, 1, 8, 4, 8, 8, 3, 3}));
  // GEMM and FC padding columns may be 0 or 1.
  auto g = parse_workload_csv("M,N,K,0,0,0,T\n4,5,6,0,0,0,3\n4,5,6,1,1,1,3\n", "g.csv");
  ASSERT_TRUE(g.ok()) << ErrorOf(g);
  EXPECT_EQ(g->layers[0].dims, g->layers[1].dims);
}

TEST(core_Csv, Errors) {
  struct Case {
    const char* text;
    const char* prefix;
  } cases[] = {
      {"", "x.csv:1: header: missing header (empty file) (allowed: K,C,Y,X,R,S,T | M,N,K,0,0,0,T | O,I,0,0,0,0,T)"},
      {"\n\n  \n", "x.csv:1: header: missing header (empty file)"},
      {"K,C,Y,X,R,S\n1,1,1,1,1,1\n", "x.csv:1: header: unknown header 'K,C,Y,X,R,S' (allowed: K,C,Y,X,R,S,T"},
      {"\nK,C,Y,X,R,S,T\n", "x.csv:2: rows: no layer rows after the header (allowed: at least one row)"},
      // At the line of the header (docs/formats.md said line 2 for a header on line 1).
      {"K,C,Y,X,R,S,T\n", "x.csv:1: rows: no layer rows after the header (allowed: at least one row)"},
      {"K,C,Y,X,R,S,T\n32,32,16,16.1,1,1\n", "x.csv:2: row: 6 columns in '32,32,16,16.1,1,1' (allowed: 7 columns"},
      {"K,C,Y,X,R,S,T\n1,2,3,4,5,6,1,8\n", "x.csv:2: row: 8 columns"},
      {"K,C,Y,X,R,S,T\n32,32,16,16.1,1,1,1\n", "x.csv:2: X: not an integer: '16.1' (allowed: integer >= 1)"},
      {"K,C,Y,X,R,S,T\n0,32,16,16,1,1,1\n", "x.csv:2: K: zero value (allowed: integer >= 1)"},
      {"K,C,Y,X,R,S,T\n8,8,8,8,3,3,1\n8,-2,16,16,1,1,1\n", "x.csv:3: C: negative value -2"},
      {"K,C,Y,X,R,S,T\n8,8,99999999999999999999,8,3,3,1\n", "x.csv:2: Y: value '99999999999999999999' overflows int64"},
      {"K,C,Y,X,R,S,T\n8,8,8,8,3,3,\n", "x.csv:2: T: empty value"},
      {"K,C,Y,X,R,S,T\n8,8,8,8,3,3,4\n", "x.csv:2: T: unknown layer type 4 (allowed: 0 (FC), 1 (CONV), 2 (depth-wise CONV), 3 (GEMM))"},
      {"K,C,Y,X,R,S,T\n8,8,8,8,3,3,-1\n", "x.csv:2: T: negative value -1"},
      {"K,C,Y,X,R,S,T\n8,8,8,8,3,3,conv\n", "x.csv:2: T: not an integer: 'conv'"},
      {"K,C,Y,X,R,S,T\n8,8,2,8,3,3,1\n", "x.csv:2: R: filter height 3 larger than the input height Y=2 (allowed: R <= Y (Y is the input height))"},
      {"K,C,Y,X,R,S,T\n8,8,8,2,3,3,1\n", "x.csv:2: S: filter width 3 larger than the input width X=2"},
      {"K,C,Y,X,R,S,T\n4,32,8,8,3,3,2\n", "x.csv:2: K: depth-wise row with K=4 (allowed: K = 1 (C holds the channel count))"},
      {"M,N,K,0,0,0,T\n4,5,6,1,2,1,3\n", "x.csv:2: column 5: padding column of a GEMM row is 2 (allowed: 0 or 1)"},
      {"O,I,0,0,0,0,T\n4,5,1,1,1,7,0\n", "x.csv:2: column 6: padding column of a FC row is 7 (allowed: 0 or 1)"},
      {"O,I,0,0,0,0,T\n4,0,1,1,1,1,0\n", "x.csv:2: I: zero value"},
      {"M,N,K,0,0,0,T\n4,,6,1,1,1,3\n", "x.csv:2: N: empty value"},
      {"M,N,K,0,0,0,T\n4294967296,4294967296,4294967296,1,1,1,3\n",
       "x.csv:2: row: macs: MAC count N*G*K*C*Y*X*R*S overflows int64, above the limit"},
  };
  for (const Case& c : cases) {
    auto w = parse_workload_csv(c.text, "x.csv");
    ASSERT_FALSE(w.ok()) << c.prefix;
    EXPECT_TRUE(StartsWith(w.status().message(), c.prefix));
    EXPECT_EQ(w.status().message().find('\n'), std::string::npos);
  }
}

// The size limits of core/layer.h, per row and for the whole file.
TEST(core_Csv, SizeLimits) {
  auto big = parse_workload_csv("O,I,0,0,0,0,T\n3000000000,3000000000,1,1,1,1,0\n", "x.csv");
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.status().message(),
            "x.csv:2: row: macs: MAC count N*G*K*C*Y*X*R*S = 9000000000000000000, above the limit "
            "1099511627776 (allowed: a product <= 1099511627776 (2^40))");
  // Two rows of 2^40 - 2^10 MACs: the second takes the workload beyond 2^40.
  auto sum = parse_workload_csv(
      "M,N,K,0,0,0,T\n1073741823,1024,1,1,1,1,3\n1073741823,1024,1,1,1,1,3\n", "x.csv");
  ASSERT_FALSE(sum.ok());
  EXPECT_EQ(sum.status().message(),
            "x.csv:3: row: macs: the workload's MACs reach 2199023253504 with this layer, above "
            "the limit 1099511627776 (allowed: at most 1099511627776 (2^40) MACs in all the layers "
            "of a workload)");
  auto one = parse_workload_csv("M,N,K,0,0,0,T\n1048576,1024,1024,1,1,1,3\n", "x.csv");
  EXPECT_TRUE(one.ok()) << (one.ok() ? "" : one.status().message());
}

// Raw bytes of a cell or a line are escaped and cut: the message stays one printable line.
TEST(core_Csv, EchoedValuesAreEscapedAndCut) {
  struct Case {
    std::string text;
    std::string message;
  } cases[] = {
      {std::string("K,C,Y,X,R,S,T\n8,8,8,8,3,3,1") + '\0' + "\n",
       "x.csv:2: T: not an integer: '1\\x00' (allowed: integer >= 0)"},
      {"K,C,Y,X,R,S,T\n8,8,\xff,8,3,3,1\n",
       "x.csv:2: Y: not an integer: '\\xff' (allowed: integer >= 1)"},
      {"K,C,Y,X,R,S,T\n8,8,8,8,3,3," + std::string(100000, '7') + "x\n",
       "x.csv:2: T: not an integer: '" + std::string(40, '7') + "...' (allowed: integer >= 0)"},
      {"K,C,Y,X,R,S,T\n8,8,8,8,3,3," + std::string(100000, '7') + "\n",
       "x.csv:2: T: value '" + std::string(40, '7') +
           "...' overflows int64 (allowed: integer >= 0 and <= 9223372036854775807)"},
      {"K,C\r\x01Y\n", "x.csv:1: header: unknown header 'K,C\\r\\x01Y' (allowed: K,C,Y,X,R,S,T | "
                       "M,N,K,0,0,0,T | O,I,0,0,0,0,T)"},
      {"K,C,Y,X,R,S,T\n" + std::string(500, ',') + "\n",
       "x.csv:2: row: 501 columns in '" + std::string(40, ',') +
           "...' (allowed: 7 columns as in the header: K,C,Y,X,R,S,T | M,N,K,0,0,0,T | "
           "O,I,0,0,0,0,T)"},
  };
  for (const Case& c : cases) {
    auto w = parse_workload_csv(c.text, "x.csv");
    ASSERT_FALSE(w.ok()) << c.message;
    EXPECT_EQ(w.status().message(), c.message);
  }
}

}  // namespace
}  // namespace af
