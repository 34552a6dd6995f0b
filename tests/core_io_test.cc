// Readers and writers of the vocabulary (core/io.h): our YAML files for workloads, hardware,
// mappings and tech tables. One test per error kind, each asserting the exact
// `file:line: field: problem` prefix of the one-line message.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "core/io.h"
#include "core/zoo.h"

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

const std::string kData = AF_SOURCE_DIR "/tests/data/core/";

// A fresh scratch directory under the build tree.
std::string ScratchDir(const std::string& name) {
  const std::string dir = std::string(AF_BINARY_DIR) + "/core_io_test_" + name;
  std::string cmd = "rm -rf '" + dir + "' && mkdir -p '" + dir + "'";
  EXPECT_EQ(std::system(cmd.c_str()), 0);
  return dir;
}

// ---- workload YAML: good files ----------------------------------------------------------------

TEST(core_WorkloadYaml, ReadsTheExampleFile) {
  auto w = read_workload_yaml(kData + "workload.yaml");
  ASSERT_TRUE(w.ok()) << ErrorOf(w);
  EXPECT_EQ(w->name, "example");
  ASSERT_EQ(w->layers.size(), 5u);
  EXPECT_EQ(w->layers[0], make_conv("conv1", 1, 1, 64, 3, 224, 224, 7, 7, 2, 2, 3, 3).value());
  EXPECT_EQ(w->layers[1], make_conv("grouped", 2, 32, 4, 4, 56, 56, 3, 3, 2, 1, 1, 1).value());
  EXPECT_EQ(w->layers[2], make_depthwise("dw", 1, 96, 112, 112, 3, 3, 2, 1).value());
  EXPECT_EQ(w->layers[3], make_gemm("qk", 512, 512, 64, 12).value());
  EXPECT_EQ(w->layers[4], make_fc("classifier", 1000, 512).value());
}

TEST(core_WorkloadYaml, OptionalFieldsDefault) {
  // n, g default to 1; stride to 1; pad to 0; batch to 1. Kinds and dims are case-insensitive.
  auto w = parse_workload_yaml(
      "name: w\n"
      "layers:\n"
      "  - {name: a, kind: conv, k: 2, c: 3, h: 5, w: 5, r: 3, s: 3}\n"
      "  - {name: b, kind: GEMM, m: 2, n: 3, k: 4}\n"
      "  - {name: c, kind: fc, out: 2, in: 3}\n",
      "w.yaml");
  ASSERT_TRUE(w.ok()) << ErrorOf(w);
  EXPECT_EQ(w->layers[0], make_conv("a", 1, 1, 2, 3, 5, 5, 3, 3, 1, 1, 0, 0).value());
  EXPECT_EQ(w->layers[1], make_gemm("b", 2, 3, 4, 1).value());
  EXPECT_EQ(w->layers[2], make_fc("c", 2, 3, 1).value());
}

TEST(core_WorkloadYaml, WriterRoundTripsTheZoo) {
  for (const std::string& name : zoo_names()) {
    const Workload w = *zoo_model(name);
    const std::string text = workload_to_yaml(w);
    auto back = parse_workload_yaml(text, name + ".yaml");
    ASSERT_TRUE(back.ok()) << name << ": " << ErrorOf(back);
    EXPECT_EQ(*back, w) << name;
    EXPECT_EQ(workload_to_yaml(*back), text);
  }
}

// ---- workload YAML: one test per error kind ---------------------------------------------------

struct ErrorCase {
  const char* text;
  const char* prefix;
};

void ExpectWorkloadErrors(const std::vector<ErrorCase>& cases) {
  for (const ErrorCase& c : cases) {
    auto w = parse_workload_yaml(c.text, "w.yaml");
    ASSERT_FALSE(w.ok()) << c.text;
    EXPECT_TRUE(StartsWith(w.status().message(), c.prefix)) << c.text;
    EXPECT_EQ(w.status().message().find('\n'), std::string::npos);  // one line
  }
}

TEST(core_WorkloadYaml, MalformedYaml) {
  ExpectWorkloadErrors({
      {"name: w\nlayers: [\n  {name: a\n", "w.yaml:4: yaml: syntax error: "},
      {"name: w\n  bad: indent\n", "w.yaml:2: yaml: syntax error: illegal map value"},
      {"name: w\nlayers: *nowhere\n", "w.yaml:2: yaml: syntax error: the referenced anchor is not defined"},
      {"", "w.yaml:1: yaml: empty document (allowed: a YAML map)"},
      {"# only a comment\n", "w.yaml:1: yaml: empty document"},
      {"name: a\n---\nname: b\n", "w.yaml:2: yaml: more than one document"},  // at the ---
      // yaml-cpp 0.7's LoadAll() never returns on these (a top-level ',' consumes nothing).
      {",X,R,S,T\n1,2\n", "w.yaml:1: yaml: syntax error: unexpected ','"},
      {"name: a\n---\n,\n", "w.yaml:3: yaml: syntax error: unexpected ','"},
      {"- 1\n- 2\n", "w.yaml:1: (document): expected a map, found a list"},
      {"just text\n", "w.yaml:1: (document): expected a map, found a scalar"},
  });
}

TEST(core_WorkloadYaml, MissingField) {
  ExpectWorkloadErrors({
      {"layers: []\n", "w.yaml:1: name: missing (allowed: a non-empty string)"},
      {"name: w\n", "w.yaml:1: layers: missing (allowed: a non-empty list of layers)"},
      {"name: w\nlayers:\n  - {kind: conv, k: 1, c: 1, h: 1, w: 1, r: 1, s: 1}\n",
       "w.yaml:3: layers[0].name: missing"},
      {"name: w\nlayers:\n  - {name: a, k: 1, c: 1, h: 1, w: 1, r: 1, s: 1}\n",
       "w.yaml:3: layers[0].kind: missing (allowed: conv, depthwise, gemm, fc)"},
      {"name: w\nlayers:\n  - name: a\n    kind: conv\n    c: 1\n    h: 1\n    w: 1\n    r: 1\n    s: 1\n",
       "w.yaml:3: layers[0].k: missing (allowed: integer >= 1)"},
      {"name: w\nlayers:\n  - {name: a, kind: gemm, m: 1, k: 1}\n", "w.yaml:3: layers[0].n: missing"},
      {"name: w\nlayers:\n  - {name: a, kind: fc, out: 1}\n", "w.yaml:3: layers[0].in: missing"},
      {"name: w\nlayers:\n  - {name: a, kind: depthwise, h: 4, w: 4, r: 3, s: 3}\n",
       "w.yaml:3: layers[0].channels: missing"},
  });
}

TEST(core_WorkloadYaml, EmptyOrWrongValues) {
  ExpectWorkloadErrors({
      {"name: w\nlayers: []\n", "w.yaml:2: layers: empty list (allowed: a non-empty list of layers)"},
      {"name: w\nlayers: {a: 1}\n", "w.yaml:2: layers: expected a list"},
      {"name: w\nlayers:\n  - 5\n", "w.yaml:3: layers[0]: expected a map, found a scalar"},
      {"name:\nlayers: []\n", "w.yaml:1: name: expected a string, found an empty value"},
      {"name: [a]\nlayers: []\n", "w.yaml:1: name: expected a string, found a list"},
      {"name: \"\"\nlayers: []\n", "w.yaml:1: name: empty string"},
      {"name: w\nlayers:\n  - {name: a, kind: fc, out: , in: 2}\n",
       "w.yaml:3: layers[0].out: expected an integer, found an empty value"},
      {"name: w\nlayers:\n  - {name: a, kind: fc, out: [1], in: 2}\n",
       "w.yaml:3: layers[0].out: expected an integer, found a list"},
  });
}

TEST(core_WorkloadYaml, UnknownField) {
  ExpectWorkloadErrors({
      {"name: w\nlayers: []\nmodel: x\n", "w.yaml:3: model: unknown field (allowed: name, layers)"},
      {"name: w\nlayers:\n  - {name: a, kind: conv, k: 1, c: 1, h: 1, w: 1, r: 1, s: 1, m: 3}\n",
       "w.yaml:3: layers[0].m: unknown field for a conv layer (allowed: name, kind, n, g, k, c, h, w"},
      {"name: w\nlayers:\n  - {name: a, kind: gemm, m: 1, n: 1, k: 1, h: 3}\n",
       "w.yaml:3: layers[0].h: unknown field for a gemm layer (allowed: name, kind, m, n, k, batch)"},
      {"name: w\nlayers:\n  - {name: a, kind: depthwise, channels: 2, k: 1, h: 4, w: 4, r: 3, s: 3}\n",
       "w.yaml:3: layers[0].k: unknown field for a depthwise layer"},
      {"name: w\nlayers:\n  - {name: a, kind: fc, out: 1, in: 1, n: 1}\n",
       "w.yaml:3: layers[0].n: unknown field for a fc layer (allowed: name, kind, out, in, batch)"},
  });
}

TEST(core_WorkloadYaml, DuplicateField) {
  ExpectWorkloadErrors({
      {"name: w\nname: v\nlayers: []\n", "w.yaml:2: name: duplicate field (first at line 1)"},
      {"name: w\nlayers:\n  - name: a\n    kind: fc\n    out: 1\n    in: 2\n    out: 3\n",
       "w.yaml:7: layers[0].out: duplicate field (first at line 5)"},
      {"name: w\nlayers:\n  - {name: a, kind: fc, out: 1, in: 2}\n  - {name: a, kind: fc, out: 1, in: 2}\n",
       "w.yaml:4: layers[1].name: duplicate layer name 'a' (also layers[0] at line 3)"},
  });
}

TEST(core_WorkloadYaml, ZeroNegativeNonIntegerOverflow) {
  const std::string head = "name: w\nlayers:\n  - name: a\n    kind: conv\n";
  const std::string rest = "    c: 3\n    h: 8\n    w: 8\n    r: 3\n    s: 3\n";
  struct Case {
    std::string k;
    const char* prefix;
  } cases[] = {
      {"0", "w.yaml:5: layers[0].k: zero value (allowed: integer >= 1)"},
      {"-4", "w.yaml:5: layers[0].k: negative value -4 (allowed: integer >= 1)"},
      {"2.5", "w.yaml:5: layers[0].k: not an integer: '2.5' (allowed: integer >= 1)"},
      {"1e3", "w.yaml:5: layers[0].k: not an integer: '1e3'"},
      {"0x10", "w.yaml:5: layers[0].k: not an integer: '0x10'"},
      {"sixty", "w.yaml:5: layers[0].k: not an integer: 'sixty'"},
      {"true", "w.yaml:5: layers[0].k: not an integer: 'true'"},
      {"99999999999999999999", "w.yaml:5: layers[0].k: value '99999999999999999999' overflows int64"},
      {"-99999999999999999999", "w.yaml:5: layers[0].k: value '-99999999999999999999' overflows int64"},
  };
  for (const Case& c : cases) {
    auto w = parse_workload_yaml(head + "    k: " + c.k + "\n" + rest, "w.yaml");
    ASSERT_FALSE(w.ok()) << c.k;
    EXPECT_TRUE(StartsWith(w.status().message(), c.prefix));
  }
  ExpectWorkloadErrors({
      {"name: w\nlayers:\n  - {name: a, kind: conv, k: 1, c: 1, h: 8, w: 8, r: 3, s: 3, pad: -1}\n",
       "w.yaml:3: layers[0].pad: negative value -1 (allowed: integer >= 0)"},
      {"name: w\nlayers:\n  - {name: a, kind: conv, k: 1, c: 1, h: 8, w: 8, r: 3, s: 3, stride: 0}\n",
       "w.yaml:3: layers[0].stride: zero value"},
      {"name: w\nlayers:\n  - {name: a, kind: gemm, m: 1, n: 1, k: 1, batch: 0}\n",
       "w.yaml:3: layers[0].batch: zero value"},
  });
}

TEST(core_WorkloadYaml, BadKind) {
  ExpectWorkloadErrors({
      {"name: w\nlayers:\n  - {name: a, kind: pool, k: 1}\n",
       "w.yaml:3: layers[0].kind: unknown layer kind 'pool' (allowed: conv, depthwise, gemm, fc)"},
      {"name: w\nlayers:\n  - {name: a, kind: [conv]}\n",
       "w.yaml:3: layers[0].kind: expected a string, found a list"},
  });
}

TEST(core_WorkloadYaml, StrideAndPadForms) {
  ExpectWorkloadErrors({
      {"name: w\nlayers:\n  - {name: a, kind: conv, k: 1, c: 1, h: 8, w: 8, r: 3, s: 3, stride: 1, stride_y: 2}\n",
       "w.yaml:3: layers[0].stride_y: given together with stride (allowed: stride, or both stride_y and stride_x (default 1))"},
      {"name: w\nlayers:\n  - {name: a, kind: conv, k: 1, c: 1, h: 8, w: 8, r: 3, s: 3, pad_y: 1}\n",
       "w.yaml:3: layers[0].pad_x: missing (allowed: pad, or both pad_y and pad_x (default 0))"},
  });
}

TEST(core_WorkloadYaml, ShapeProblemsNameTheField) {
  ExpectWorkloadErrors({
      // pad must be smaller than the filter: named as written (pad), at its line.
      {"name: w\nlayers:\n  - name: a\n    kind: conv\n    k: 1\n    c: 1\n    h: 8\n    w: 8\n"
       "    r: 3\n    s: 3\n    pad: 3\n",
       "w.yaml:11: layers[0].pad: padding 3 not smaller than the filter height 3 (allowed: 0 <= pad_y < r)"},
      {"name: w\nlayers:\n  - name: a\n    kind: conv\n    k: 1\n    c: 1\n    h: 8\n    w: 8\n"
       "    r: 3\n    s: 1\n    pad_y: 1\n    pad_x: 1\n",
       "w.yaml:12: layers[0].pad_x: padding 1 not smaller than the filter width 1"},
      {"name: w\nlayers:\n  - name: a\n    kind: conv\n    k: 1\n    c: 1\n    h: 2\n    w: 8\n"
       "    r: 5\n    s: 3\n",
       "w.yaml:9: layers[0].r: filter height 5 larger than the padded input height 2 (h + 2*pad_y)"},
      {"name: w\nlayers:\n  - {name: a, kind: gemm, m: 4294967296, n: 4294967296, k: 4294967296}\n",
       "w.yaml:3: layers[0].macs: MAC count N*G*K*C*Y*X*R*S overflows int64"},
  });
}

// Sizes the cost model could not evaluate within int64 (core/layer.h): they printed negative
// cycles, and `fc out: 1, in: INT64_MAX` hung the random mapping's divisor search.
TEST(core_WorkloadYaml, SizeLimits) {
  ExpectWorkloadErrors({
      {"name: x\nlayers:\n  - {name: a, kind: fc, out: 1, in: 9223372036854775807}\n",
       "w.yaml:3: layers[0].macs: MAC count N*G*K*C*Y*X*R*S = 9223372036854775807, above the limit "
       "1099511627776 (allowed: a product <= 1099511627776 (2^40))"},
      {"name: x\nlayers:\n  - {name: a, kind: fc, out: 3000000000, in: 3000000000}\n",
       "w.yaml:3: layers[0].macs: MAC count N*G*K*C*Y*X*R*S = 9000000000000000000, above"},
      {"name: x\nlayers:\n  - {name: a, kind: gemm, m: 1000000, n: 1000000, k: 1000000}\n",
       "w.yaml:3: layers[0].macs: MAC count"},
      {"name: x\nlayers:\n  - {name: a, kind: conv, k: 1, c: 1, h: 9, w: 9, r: 1, s: 1, stride: 257}\n",
       "w.yaml:3: layers[0].stride: stride 257 above the limit 256 (allowed: integer 1..256)"},
      {"name: x\nlayers:\n  - {name: a, kind: conv, k: 1, c: 1, h: 9, w: 9, r: 1, s: 1,\n"
       "     stride_y: 1, stride_x: 300}\n",
       "w.yaml:4: layers[0].stride_x: stride 300 above the limit 256"},
      // Each layer 2^40 - 2^10 MACs: the second one takes the workload beyond 2^40.
      {"name: x\nlayers:\n  - {name: a, kind: gemm, m: 1073741823, n: 1024, k: 1}\n"
       "  - {name: b, kind: gemm, m: 1073741823, n: 1024, k: 1}\n",
       "w.yaml:4: layers[1].macs: the workload's MACs reach 2199023253504 with this layer, above "
       "the limit 1099511627776 (allowed: at most 1099511627776 (2^40) MACs in all the layers of "
       "a workload)"},
  });
  auto one = parse_workload_yaml(
      "name: x\nlayers:\n  - {name: a, kind: gemm, m: 1048576, n: 1024, k: 1024}\n", "w.yaml");
  EXPECT_TRUE(one.ok()) << ErrorOf(one);  // exactly 2^40
}

// Quoted scalars are strings, not integers (yaml-cpp tags them "!").
TEST(core_WorkloadYaml, QuotedIntegersAreRejected) {
  ExpectWorkloadErrors({
      {"name: x\nlayers:\n  - {name: a, kind: fc, out: \"10\", in: 5}\n",
       "w.yaml:3: layers[0].out: expected an integer, found the quoted string '10' (allowed: "
       "integer >= 1, unquoted)"},
      {"name: x\nlayers:\n  - {name: a, kind: fc, out: \"  10\", in: 5}\n",
       "w.yaml:3: layers[0].out: expected an integer, found the quoted string '  10'"},
      {"name: x\nlayers:\n  - {name: a, kind: fc, out: '10', in: 5}\n",
       "w.yaml:3: layers[0].out: expected an integer, found the quoted string '10'"},
  });
  auto m = parse_mapping_list_yaml(
      "mappings:\n  - index: \"0\"\n    l2: {tile: {N: 1, G: 1, K: 1, C: 1, Y: 1, X: 1, R: 1, S: 1},"
      " order: NGKCYXRS}\n    l1: {tile: {N: 1, G: 1, K: 1, C: 1, Y: 1, X: 1, R: 1, S: 1}, order:"
      " NGKCYXRS}\n",
      "m.yaml");
  ASSERT_FALSE(m.ok());
  EXPECT_TRUE(StartsWith(m.status().message(),
                         "m.yaml:2: mappings[0].index: expected an integer, found the quoted string "
                         "'0'"))
      << m.status().message();
  // Plain integers, also with an explicit !!int tag, still read.
  auto plain = parse_workload_yaml("name: x\nlayers:\n  - {name: a, kind: fc, out: !!int 10, in: 5}\n",
                                   "w.yaml");
  EXPECT_TRUE(plain.ok()) << ErrorOf(plain);
}

// Echoed values are escaped and cut, so that every message is one line.
TEST(core_WorkloadYaml, EchoedValuesAreEscapedAndCut) {
  ExpectWorkloadErrors({
      // Strings with control characters are refused (they would break tables, messages and
      // the emitted files that carry names); the echo is escaped.
      {"name: x\nlayers:\n  - {name: a, kind: \"p\\nq\", out: 10, in: 5}\n",
       "w.yaml:3: layers[0].kind: control character in 'p\\nq' (allowed: a string without control "
       "characters)"},
      {"name: x\nlayers:\n  - {name: \"a\\tb\", kind: fc, out: 10, in: 5}\n",
       "w.yaml:3: layers[0].name: control character in 'a\\tb'"},
      {"name: \"w\\r\"\nlayers:\n  - {name: a, kind: fc, out: 10, in: 5}\n",
       "w.yaml:1: name: control character in 'w\\r'"},
      {"name: x\nlayers:\n  - {name: a, kind: fc, out: \"1\\n0\", in: 5}\n",
       "w.yaml:3: layers[0].out: expected an integer, found the quoted string '1\\n0'"},
      {"name: x\nlayers:\n  - {name: \"a\\u2028b\", kind: fc, out: 10, in: 5}\n"
       "  - {name: \"a\\u2028b\", kind: fc, out: 10, in: 5}\n",
       "w.yaml:4: layers[1].name: duplicate layer name 'a\\xe2\\x80\\xa8b' (also layers[0] at line 3)"},
      {"name: x\nlayers:\n  - {name: a, kind: \"\\xff\\x7f\", out: 10, in: 5}\n",
       "w.yaml:3: layers[0].kind: control character in '\u00ff\\x7f'"},
      {"name: x\nlayers:\n  - {name: a, kind: \"\\xff\\u0085\", out: 10, in: 5}\n",
       "w.yaml:3: layers[0].kind: unknown layer kind '\u00ff\\xc2\\x85'"},
      {"name: x\nlayers:\n  - {name: a, kind: fc, out: 10, in: 5, \"k\\ney\": 1}\n",
       "w.yaml:3: layers[0].k\\ney: unknown field for a fc layer"},
  });
  // A NUL byte: named as such, not as yaml-cpp's "unknown escape character: <newline>".
  const std::string nul = std::string("name: x") + '\0' + "\nlayers: []\n";
  auto w = parse_workload_yaml(nul, "w.yaml");
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.status().message(),
            "w.yaml:1: yaml: control character '\\x00' (allowed: valid YAML: no control characters "
            "but tab and line breaks)");
  // A long value is cut after 40 characters.
  auto l = parse_workload_yaml(
      "name: x\nlayers:\n  - {name: a, kind: " + std::string(1000, 'z') + ", out: 1, in: 1}\n",
      "w.yaml");
  ASSERT_FALSE(l.ok());
  EXPECT_EQ(l.status().message(), "w.yaml:3: layers[0].kind: unknown layer kind '" +
                                      std::string(40, 'z') +
                                      "...' (allowed: conv, depthwise, gemm, fc)");
  // Valid UTF-8 is kept as it is.
  auto u = parse_workload_yaml("name: x\nlayers:\n  - {name: a, kind: \"faltung\u00e4\"}\n", "w.yaml");
  ASSERT_FALSE(u.ok());
  EXPECT_TRUE(StartsWith(u.status().message(),
                         "w.yaml:3: layers[0].kind: unknown layer kind 'faltung\u00e4'"))
      << u.status().message();
}

TEST(core_WorkloadYaml, NonScalarKey) {
  ExpectWorkloadErrors({
      {"name: w\n? [a, b]\n: 3\nlayers: []\n", "w.yaml:2: (document): key is a list (allowed: plain scalar keys)"},
  });
}

TEST(core_WorkloadYaml, NeverThrowsOnGarbage) {
  const std::string inputs[] = {
      std::string(5000, '['), std::string(5000, '{'), "\xff\xfe\x00\x01", "name: w\nlayers:\n  - " +
      std::string(3000, '-') + " x\n", "%YAML 9.9\n---\na: 1\n", "a: !!binary ~~~\n", "\t\t:\n",
      "name: &a w\nlayers: *a\n", "name: w\nlayers:\n  - {name: a, kind: fc, out: 1, in: 2, <<: {x: 1}}\n"};
  for (const std::string& in : inputs) {
    auto w = parse_workload_yaml(in, "g.yaml");
    EXPECT_FALSE(w.ok());
    EXPECT_TRUE(StartsWith(w.status().message(), "g.yaml:")) << w.status().message();
  }
}

// Random mutations of the example files: every reader answers with a value or with one line
// starting with `file:` -- no exception, no crash, no hang -- and whatever the workload reader
// accepts survives a write/read round trip.
TEST(core_Fuzz, MutatedFilesGiveOneLineErrors) {
  std::vector<std::string> seeds;
  for (const char* f : {"workload.yaml", "hw.yaml", "mapping.yaml", "mappings.yaml", "tech.yaml",
                        "small.csv"}) {
    seeds.push_back(read_text_file(kData + f).value());
  }
  std::mt19937_64 rng(2024);
  const std::string alphabet = "{}[]:,-#&*!|>'\"%@` \n\t0123456789.eE+-KCNYXRSabc~?";
  const auto one_line_error = [](const Status& s) {
    return s.message().rfind("f:", 0) == 0 && s.message().find('\n') == std::string::npos;
  };
  for (int i = 0; i < 1500; ++i) {
    std::string s = seeds[rng() % seeds.size()];
    for (int m = 0, n = 1 + static_cast<int>(rng() % 4); m < n && !s.empty(); ++m) {
      const size_t at = rng() % s.size();
      switch (rng() % 3) {
        case 0: s[at] = alphabet[rng() % alphabet.size()]; break;
        case 1: s.erase(at, 1 + rng() % 5); break;
        default: s.insert(at, 1, alphabet[rng() % alphabet.size()]); break;
      }
    }
    const auto w = parse_workload_yaml(s, "f");
    const Status statuses[] = {w.status(), parse_workload_csv(s, "f").status(),
                               parse_hw_yaml(s, "f").status(), parse_mapping_yaml(s, "f").status(),
                               parse_mapping_list_yaml(s, "f").status(),
                               parse_tech_yaml(s, "f").status()};
    for (const Status& st : statuses) {
      ASSERT_TRUE(st.ok() || one_line_error(st)) << st.message() << "\n--- input:\n" << s;
    }
    if (w.ok()) {
      auto back = parse_workload_yaml(workload_to_yaml(*w), "f");
      ASSERT_TRUE(back.ok()) << ErrorOf(back);
      ASSERT_EQ(*back, *w);
    }
  }
}

// ---- hardware YAML ----------------------------------------------------------------------------

TEST(core_HwYaml, ReadsTheExampleFileAndPresetsRoundTrip) {
  auto hw = read_hw_yaml(kData + "hw.yaml");
  ASSERT_TRUE(hw.ok()) << ErrorOf(hw);
  EXPECT_EQ(*hw, *hw_preset("edge"));
  for (const std::string& name : hw_preset_names()) {
    const HwConfig preset = *hw_preset(name);
    auto back = parse_hw_yaml(hw_to_yaml(preset), name + ".yaml");
    ASSERT_TRUE(back.ok()) << ErrorOf(back);
    EXPECT_EQ(*back, preset);
  }
}

const char* kHwText =
    "name: t\n"                    // 1
    "rows: 4\n"                    // 2
    "cols: 4\n"                    // 3
    "row_dim: C\n"                 // 4
    "col_dim: K\n"                 // 5
    "l1_w_bytes: 64\n"             // 6
    "l1_i_bytes: 64\n"             // 7
    "l1_o_bytes: 128\n"            // 8
    "l2_w_bytes: 4096\n"           // 9
    "l2_i_bytes: 4096\n"           // 10
    "l2_o_bytes: 8192\n"           // 11
    "noc_words_per_cycle: 2\n"     // 12
    "dram_bytes_per_cycle: 8\n"    // 13
    "dram_latency_cycles: 20\n";   // 14

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

TEST(core_HwYaml, Errors) {
  auto base = parse_hw_yaml(kHwText, "hw.yaml");
  ASSERT_TRUE(base.ok()) << ErrorOf(base);
  HwConfig expected = *hw_preset("tiny");
  expected.name = "t";
  EXPECT_EQ(*base, expected);
  struct Case {
    std::string text;
    const char* prefix;
  } cases[] = {
      {Replace(kHwText, "rows: 4\n", ""), "hw.yaml:1: rows: missing (allowed: integer >= 1)"},
      {std::string(kHwText) + "clock_mhz: 200\n", "hw.yaml:15: clock_mhz: unknown field (allowed: name, rows, cols"},
      {Replace(kHwText, "rows: 4", "rows: 0"), "hw.yaml:2: rows: zero value (allowed: integer >= 1)"},
      {Replace(kHwText, "cols: 4", "cols: -1"), "hw.yaml:3: cols: negative value -1"},
      {Replace(kHwText, "cols: 4", "cols: 4.0"), "hw.yaml:3: cols: not an integer: '4.0'"},
      {Replace(kHwText, "l2_w_bytes: 4096", "l2_w_bytes: 18446744073709551616"),
       "hw.yaml:9: l2_w_bytes: value '18446744073709551616' overflows int64"},
      {Replace(kHwText, "row_dim: C", "row_dim: Q"),
       "hw.yaml:4: row_dim: unknown dimension 'Q' (allowed: one of N G K C Y X R S)"},
      {Replace(kHwText, "row_dim: C", "row_dim: CK"), "hw.yaml:4: row_dim: unknown dimension 'CK'"},
      {Replace(kHwText, "col_dim: K", "col_dim: c"),
       "hw.yaml:5: col_dim: same dimension as row_dim (C) (allowed: two different dimensions"},
      {Replace(kHwText, "l1_o_bytes: 128", "l1_o_bytes: 4"),
       "hw.yaml:8: l1_o_bytes: value 4 below the minimum 8"},
      {Replace(kHwText, "l1_w_bytes: 64", "l1_w_bytes: 0"), "hw.yaml:6: l1_w_bytes: zero value"},
      // The template's limits (docs/template.md section 8), at the line of the field.
      {Replace(kHwText, "cols: 4", "cols: 300"),
       "hw.yaml:3: cols: value 300 above the template's limit 255 (allowed: integer 1..255"},
      {Replace(kHwText, "l2_o_bytes: 8192", "l2_o_bytes: 67108864"),
       "hw.yaml:11: l2_o_bytes: value 67108864 above the template's limit 33554430"},
      {Replace(kHwText, "dram_bytes_per_cycle: 8", "dram_bytes_per_cycle: 256"),
       "hw.yaml:13: dram_bytes_per_cycle: value 256 above the template's limit 64"},
      {Replace(kHwText, "dram_latency_cycles: 20", "dram_latency_cycles: -5"),
       "hw.yaml:14: dram_latency_cycles: negative value -5 (allowed: integer >= 1)"},
      // The registered memory port answers one cycle after a request at the earliest.
      {Replace(kHwText, "dram_latency_cycles: 20", "dram_latency_cycles: 0"),
       "hw.yaml:14: dram_latency_cycles: zero value (allowed: integer >= 1)"},
      // Not a field width: a bound that keeps the cost model's cycles within int64.
      {Replace(kHwText, "dram_latency_cycles: 20", "dram_latency_cycles: 1000000000000000"),
       "hw.yaml:14: dram_latency_cycles: value 1000000000000000 above the limit 65536 "
       "(allowed: integer 1..65536 (2^16; keeps the cost model's cycle counts within int64))"},
      {Replace(kHwText, "dram_latency_cycles: 20", "dram_latency_cycles: \"20\""),
       "hw.yaml:14: dram_latency_cycles: expected an integer, found the quoted string '20'"},
      {std::string(kHwText) + "weight_bits: 4\n", "hw.yaml:15: weight_bits: unsupported precision 4 (allowed: 8)"},
      {std::string(kHwText) + "psum_bits: 16\n", "hw.yaml:15: psum_bits: unsupported precision 16 (allowed: 32)"},
      {std::string(kHwText) + "rows: 8\n", "hw.yaml:15: rows: duplicate field (first at line 2)"},
      {"rows: [4\n", "hw.yaml:2: yaml: syntax error"},
  };
  for (const Case& c : cases) {
    auto hw = parse_hw_yaml(c.text, "hw.yaml");
    ASSERT_FALSE(hw.ok()) << c.prefix;
    EXPECT_TRUE(StartsWith(hw.status().message(), c.prefix));
  }
  auto max_latency = parse_hw_yaml(
      Replace(kHwText, "dram_latency_cycles: 20", "dram_latency_cycles: 65536"), "hw.yaml");
  EXPECT_TRUE(max_latency.ok()) << ErrorOf(max_latency);
  // name and the precisions are optional; explicit legal precisions are accepted.
  auto no_name = parse_hw_yaml(Replace(kHwText, "name: t\n", "") + "weight_bits: 8\npsum_bits: 32\n",
                               "hw.yaml");
  ASSERT_TRUE(no_name.ok()) << ErrorOf(no_name);
  EXPECT_EQ(no_name->name, "custom");
}

TEST(core_HwYaml, LoadHw) {
  auto preset = load_hw("cloud");
  ASSERT_TRUE(preset.ok());
  EXPECT_EQ(*preset, *hw_preset("cloud"));
  auto file = load_hw(kData + "hw.yaml");
  ASSERT_TRUE(file.ok()) << ErrorOf(file);
  EXPECT_EQ(file->name, "edge");
  auto unknown = load_hw("giant");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().message(),
            "hw: 'giant' is neither a preset nor a .yaml/.yml file (allowed: tiny, edge, cloud, or a "
            "path ending in .yaml or .yml)");
  auto missing = load_hw("/nonexistent/hw.yaml");
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(StartsWith(missing.status().message(),
                         "/nonexistent/hw.yaml:0: file: cannot open (No such file or directory)"));
}

// ---- mapping YAML -----------------------------------------------------------------------------

TEST(core_MappingYaml, ReadsTheExampleFile) {
  auto m = read_mapping_yaml(kData + "mapping.yaml");
  ASSERT_TRUE(m.ok()) << ErrorOf(m);
  EXPECT_EQ(m->l2.tile, (DimArray{1, 1, 16, 3, 28, 28, 7, 7}));
  EXPECT_EQ(order_string(m->l2.order), "NGKCYXRS");
  EXPECT_EQ(m->l1.tile, (DimArray{1, 1, 1, 1, 4, 4, 7, 7}));
  EXPECT_EQ(order_string(m->l1.order), "NGYXKCRS");
  auto back = parse_mapping_yaml(mapping_to_yaml(*m), "m.yaml");
  ASSERT_TRUE(back.ok()) << ErrorOf(back);
  EXPECT_EQ(*back, *m);
}

const char* kMappingText =
    "l2:\n"                                                              // 1
    "  tile: {N: 1, G: 1, K: 16, C: 3, Y: 28, X: 28, R: 7, S: 7}\n"      // 2
    "  order: NGKCYXRS\n"                                                // 3
    "l1:\n"                                                              // 4
    "  tile:\n"                                                          // 5
    "    N: 1\n"                                                         // 6
    "    G: 1\n"                                                         // 7
    "    K: 4\n"                                                         // 8
    "    C: 1\n"                                                         // 9
    "    Y: 4\n"                                                         // 10
    "    X: 4\n"                                                         // 11
    "    R: 7\n"                                                         // 12
    "    S: 7\n"                                                         // 13
    "  order: NGYXKCRS\n";                                               // 14

TEST(core_MappingYaml, Errors) {
  ASSERT_TRUE(parse_mapping_yaml(kMappingText, "m.yaml").ok());
  struct Case {
    std::string text;
    const char* prefix;
  } cases[] = {
      {Replace(kMappingText, "  order: NGYXKCRS\n", ""),
       "m.yaml:5: l1.order: missing (allowed: a permutation of the 8 letters NGKCYXRS, outermost first)"},
      {Replace(kMappingText, "    S: 7\n", ""), "m.yaml:6: l1.tile.S: missing (allowed: integer >= 1 (every dimension))"},
      {Replace(kMappingText, "    S: 7\n", "    S: 7\n    Q: 1\n"),
       "m.yaml:14: l1.tile.Q: unknown dimension (allowed: the 8 dimensions N G K C Y X R S, each once)"},
      {Replace(kMappingText, "    S: 7\n", "    S: 7\n    k: 1\n"),
       "m.yaml:14: l1.tile.k: duplicate dimension (first at line 8)"},
      {Replace(kMappingText, "    K: 4\n", "    K: 0\n"), "m.yaml:8: l1.tile.K: zero value"},
      {Replace(kMappingText, "    K: 4\n", "    K: -2\n"), "m.yaml:8: l1.tile.K: negative value -2"},
      {Replace(kMappingText, "    K: 4\n", "    K: four\n"), "m.yaml:8: l1.tile.K: not an integer: 'four'"},
      {Replace(kMappingText, "    K: 4\n", "    K: 17\n"),
       "m.yaml:8: l1.tile.K: tile 17 larger than the L2 tile 16 (allowed: 1..16)"},
      {Replace(kMappingText, "order: NGYXKCRS", "order: NGYXKCRR"),
       "m.yaml:14: l1.order: 'NGYXKCRR' is not a permutation, repeats R, misses S"},
      {Replace(kMappingText, "order: NGYXKCRS", "order: NGYXKC"),
       "m.yaml:14: l1.order: 'NGYXKC' is not a permutation (6 letters), misses RS"},
      {Replace(kMappingText, "order: NGKCYXRS", "order: NGKCYXRZ"),
       "m.yaml:3: l2.order: 'Z' in 'NGKCYXRZ' is not a dimension"},
      {Replace(kMappingText, "order: NGKCYXRS", "order: [N, G]"),
       "m.yaml:3: l2.order: expected a string of 8 dimension letters, found a list"},
      {Replace(kMappingText, "  order: NGKCYXRS\n", "  order: NGKCYXRS\n  spatial: K\n"),
       "m.yaml:4: l2.spatial: unknown field (allowed: tile, order)"},
      {std::string(kMappingText) + "l3: {}\n", "m.yaml:15: l3: unknown field (allowed: l2, l1)"},
      {Replace(kMappingText, "  tile: {N: 1, G: 1, K: 16, C: 3, Y: 28, X: 28, R: 7, S: 7}\n", ""),
       "m.yaml:2: l2.tile: missing (allowed: a map)"},  // the l2 map now starts at line 2
      {Replace(kMappingText, "l1:\n", "l0:\n"), "m.yaml:4: l0: unknown field (allowed: l2, l1)"},
      {"l2: 3\nl1: 4\n", "m.yaml:1: l2: expected a map, found a scalar"},
      {"mappings: []\n", "m.yaml:1: mappings: a list of mappings where one mapping was expected"},
  };
  for (const Case& c : cases) {
    auto m = parse_mapping_yaml(c.text, "m.yaml");
    ASSERT_FALSE(m.ok()) << c.prefix;
    EXPECT_TRUE(StartsWith(m.status().message(), c.prefix));
  }
}

TEST(core_MappingYaml, ListReadResolveAndErrors) {
  auto list = read_mapping_list_yaml(kData + "mappings.yaml");
  ASSERT_TRUE(list.ok()) << ErrorOf(list);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].layer, "conv1");
  EXPECT_EQ((*list)[0].index, -1);
  EXPECT_EQ((*list)[0].line, 3);
  EXPECT_EQ((*list)[1].layer, "");
  EXPECT_EQ((*list)[1].index, 1);
  auto back = parse_mapping_list_yaml(mapping_list_to_yaml(*list), "l.yaml");
  ASSERT_TRUE(back.ok()) << ErrorOf(back);
  ASSERT_EQ(back->size(), 2u);
  EXPECT_EQ((*back)[0].mapping, (*list)[0].mapping);
  EXPECT_EQ((*back)[1].index, 1);

  Workload w;
  w.name = "two";
  w.layers.push_back(make_conv("conv1", 1, 1, 64, 3, 224, 224, 7, 7, 2, 2, 3, 3).value());
  w.layers.push_back(make_conv("conv2", 1, 1, 64, 64, 56, 56, 1, 1, 1, 1, 0, 0).value());
  auto resolved = resolve_mappings(w, *list, "mappings.yaml");
  ASSERT_TRUE(resolved.ok()) << ErrorOf(resolved);
  EXPECT_EQ((*resolved)[0], (*list)[0].mapping);
  EXPECT_EQ((*resolved)[1], (*list)[1].mapping);

  // Resolution errors.
  Workload one = w;
  one.layers.pop_back();
  auto out_of_range = resolve_mappings(one, *list, "mappings.yaml");
  EXPECT_TRUE(StartsWith(out_of_range.status().message(),
                         "mappings.yaml:6: mappings[1].index: index 1 out of range for workload 'two' (allowed: 0..0)"));
  std::vector<LayerMapping> renamed = *list;
  renamed[0].layer = "conv9";
  EXPECT_TRUE(StartsWith(resolve_mappings(w, renamed, "mappings.yaml").status().message(),
                         "mappings.yaml:3: mappings[0].layer: no layer named 'conv9' in workload 'two'"));
  std::vector<LayerMapping> partial = {(*list)[0]};
  EXPECT_TRUE(StartsWith(resolve_mappings(w, partial, "mappings.yaml").status().message(),
                         "mappings.yaml:0: mappings: no mapping for layer 'conv2' (index 1)"));
  std::vector<LayerMapping> twice = *list;
  twice[1].index = 0;
  EXPECT_TRUE(StartsWith(resolve_mappings(w, twice, "mappings.yaml").status().message(),
                         "mappings.yaml:6: mappings[1]: second mapping for layer 'conv1' (first at line 3)"));
  std::vector<LayerMapping> too_big = *list;
  too_big[1].mapping.l2.tile[idx(Dim::K)] = 65;
  EXPECT_TRUE(StartsWith(resolve_mappings(w, too_big, "mappings.yaml").status().message(),
                         "mappings.yaml:6: mappings[1].l2.tile.K: tile 65 larger than the layer extent 64"));

  // Parse errors.
  const std::string level = "{tile: {N: 1, G: 1, K: 1, C: 1, Y: 1, X: 1, R: 1, S: 1}, order: NGKCYXRS}";
  struct Case {
    std::string text;
    const char* prefix;
  } cases[] = {
      {"mappings:\n  - {l2: " + level + ", l1: " + level + "}\n",
       "l.yaml:2: mappings[0].layer: missing (allowed: exactly one of layer (a layer name) and index (0-based))"},
      {"mappings:\n  - {layer: a, index: 0, l2: " + level + ", l1: " + level + "}\n",
       "l.yaml:2: mappings[0].index: given together with layer"},
      {"mappings:\n  - {layer: a, l2: " + level + ", l1: " + level + "}\n  - {layer: a, l2: " + level +
           ", l1: " + level + "}\n",
       "l.yaml:3: mappings[1].layer: second mapping for the same layer (first at line 2)"},
      {"mappings:\n  - {index: -1, l2: " + level + ", l1: " + level + "}\n",
       "l.yaml:2: mappings[0].index: negative value -1 (allowed: integer >= 0)"},
      {"mappings: []\n", "l.yaml:1: mappings: empty list"},
      {"mapping: []\n", "l.yaml:1: mapping: unknown field (allowed: mappings)"},
      {"mappings:\n  - {layer: a, l2: " + level + "}\n", "l.yaml:2: mappings[0].l1: missing (allowed: a map)"},
  };
  for (const Case& c : cases) {
    auto r = parse_mapping_list_yaml(c.text, "l.yaml");
    ASSERT_FALSE(r.ok()) << c.prefix;
    EXPECT_TRUE(StartsWith(r.status().message(), c.prefix));
  }
}

// ---- tech YAML --------------------------------------------------------------------------------

TEST(core_TechYaml, SubsetOverridesAndRoundTrip) {
  auto t = read_tech_yaml(kData + "tech.yaml");
  ASSERT_TRUE(t.ok()) << ErrorOf(t);
  Tech expected;
  expected.dram_pj_per_byte = 20;
  expected.noc_pj_per_byte = 0.05;
  EXPECT_EQ(*t, expected);
  auto empty = parse_tech_yaml("{}\n", "t.yaml");
  ASSERT_TRUE(empty.ok()) << ErrorOf(empty);
  EXPECT_EQ(*empty, Tech());
  Tech odd;
  odd.mac_um2 = 123.456789012345;
  odd.sram_um2_per_bit = 1e-7;
  odd.mac_pj = 0.1 + 0.2;
  odd.dram_pj_per_byte = 999999.75;
  auto back = parse_tech_yaml(tech_to_yaml(odd), "t.yaml");
  ASSERT_TRUE(back.ok()) << ErrorOf(back);
  EXPECT_EQ(*back, odd);
}

TEST(core_TechYaml, Errors) {
  struct Case {
    const char* text;
    const char* prefix;
  } cases[] = {
      {"mac_pj: 0.3\nsram_pj: 1\n", "t.yaml:2: sram_pj: unknown field (allowed: mac_um2, sram_um2_per_bit, mac_pj"},
      {"mac_pj: abc\n", "t.yaml:1: mac_pj: not a finite number: 'abc'"},
      {"mac_pj: .nan\n", "t.yaml:1: mac_pj: not a finite number: '.nan'"},
      {"mac_pj: .inf\n", "t.yaml:1: mac_pj: not a finite number"},
      {"mac_pj: 1e999\n", "t.yaml:1: mac_pj: not a finite number: '1e999'"},
      {"mac_pj:\n", "t.yaml:1: mac_pj: expected a number, found an empty value"},
      {"mac_pj: [1]\n", "t.yaml:1: mac_pj: expected a number, found a list"},
      {"mac_pj: \"1\"\n", "t.yaml:1: mac_pj: expected a number, found the quoted string '1' (allowed: a finite number, unquoted)"},
      {"\nmac_um2: 0\n", "t.yaml:2: mac_um2: zero value (allowed: a finite number > 0 and <= 1e6)"},
      {"dram_pj_per_byte: -3\n", "t.yaml:1: dram_pj_per_byte: negative value"},
      {"mac_pj: 1\nmac_pj: 2\n", "t.yaml:2: mac_pj: duplicate field (first at line 1)"},
      // Finite values that overflowed to inf energy or area in the model.
      {"dram_pj_per_byte: 1e308\n",
       "t.yaml:1: dram_pj_per_byte: value 1e+308 above the limit 1e6 (allowed: a finite number >= 0 "
       "and <= 1e6)"},
      {"mac_um2: 1e308\n",
       "t.yaml:1: mac_um2: value 1e+308 above the limit 1e6 (allowed: a finite number > 0 and <= 1e6)"},
      {"noc_pj_per_byte: 1000000.5\n", "t.yaml:1: noc_pj_per_byte: value 1000000.5 above the limit"},
      {"", "t.yaml:1: yaml: empty document"},
  };
  for (const Case& c : cases) {
    auto t = parse_tech_yaml(c.text, "t.yaml");
    ASSERT_FALSE(t.ok()) << c.prefix;
    EXPECT_TRUE(StartsWith(t.status().message(), c.prefix));
  }
}

// ---- loading and files ------------------------------------------------------------------------

TEST(core_Load, LoadWorkloadByZooNameCsvOrYaml) {
  auto zoo = load_workload("resnet18");
  ASSERT_TRUE(zoo.ok());
  EXPECT_EQ(zoo->name, "resnet18");
  auto csv = load_workload(kData + "small.csv");
  ASSERT_TRUE(csv.ok()) << ErrorOf(csv);
  EXPECT_EQ(csv->name, "small");
  auto yaml = load_workload(kData + "workload.yaml");
  ASSERT_TRUE(yaml.ok()) << ErrorOf(yaml);
  EXPECT_EQ(yaml->name, "example");
  const std::string dir = ScratchDir("load");
  ASSERT_TRUE(write_file_atomic(dir + "/w.YML", workload_to_yaml(*yaml)).ok());
  auto yml = load_workload(dir + "/w.YML");
  ASSERT_TRUE(yml.ok()) << ErrorOf(yml);
  EXPECT_EQ(*yml, *yaml);

  auto unknown = load_workload("resnet19");
  ASSERT_FALSE(unknown.ok());
  EXPECT_TRUE(StartsWith(unknown.status().message(),
                         "workload: 'resnet19' is neither a zoo model nor a .csv/.yaml/.yml file "
                         "(allowed: resnet18, "));
  auto missing = load_workload("/nonexistent/x.csv");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().message(),
            "/nonexistent/x.csv:0: file: cannot open (No such file or directory) (allowed: a "
            "readable regular file)");
  auto directory = read_workload_yaml(dir);
  ASSERT_FALSE(directory.ok());
  EXPECT_TRUE(StartsWith(directory.status().message(), dir + ":0: file: is a directory"));
}

TEST(core_Files, WriteFileAtomic) {
  const std::string dir = ScratchDir("atomic");
  const std::string path = dir + "/out.yaml";
  ASSERT_TRUE(write_file_atomic(path, "first\n").ok());
  EXPECT_EQ(read_text_file(path).value(), "first\n");
  ASSERT_TRUE(write_file_atomic(path, std::string(100000, 'x')).ok());  // replaces
  EXPECT_EQ(read_text_file(path).value(), std::string(100000, 'x'));
  ASSERT_TRUE(write_file_atomic(path, "").ok());
  EXPECT_EQ(read_text_file(path).value(), "");
  // No temporary file is left behind.
  const std::string listing = dir + "/listing.txt";
  ASSERT_EQ(std::system(("ls -A '" + dir + "' > '" + listing + "'").c_str()), 0);
  std::ifstream in(listing);
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_EQ(ss.str(), "listing.txt\nout.yaml\n");
  // Errors name the destination.
  const Status bad = write_file_atomic(dir + "/no/such/dir/x.yaml", "x");
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(StartsWith(bad.message(), dir + "/no/such/dir/x.yaml:0: file: cannot create temporary file"));
}

}  // namespace
}  // namespace af
