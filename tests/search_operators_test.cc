// DiGamma operators and repair keep every genome legal: thousands of random applications on real
// and odd layers, single-layer and whole-model problems, edge / cloud / tiny budgets, and huge
// layers on a huge budget where the template's size limits bind. "Legal" is checked four ways:
// is_legal() (repair would change nothing, area within budget), the cost model's own status,
// buffers equal to the largest double-buffered need, and validate(HwConfig), which includes the
// template's limits (every candidate can be emitted as RTL).
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "core/zoo.h"
#include "costmodel/cost.h"
#include "search/digamma.h"
#include "search/evaluator.h"
#include "search/genes.h"

namespace af::search {
namespace {

Layer L(Expected<Layer> l) {
  EXPECT_TRUE(l.ok()) << l.status().message();
  return std::move(l).value();
}

std::vector<Layer> odd_layers() {
  return {L(make_conv("prime", 1, 1, 13, 7, 17, 11, 3, 3, 1, 1, 1, 1)),
          L(make_conv("stride2", 2, 1, 24, 5, 29, 23, 5, 3, 2, 2, 2, 1)),
          L(make_depthwise("dw", 1, 37, 19, 19, 3, 3, 2, 1)),
          L(make_conv("grouped", 1, 4, 6, 5, 9, 9, 3, 3, 1, 1, 0, 0)),
          L(make_gemm("gemm", 31, 53, 47)),
          L(make_fc("fc", 97, 61, 3)),
          L(make_conv("one", 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0))};
}

Problem problem(std::vector<Layer> layers, const std::string& budget) {
  std::vector<int> idx(layers.size());
  for (size_t i = 0; i < idx.size(); ++i) idx[i] = int(i);
  auto b = parse_budget(budget);
  EXPECT_TRUE(b.ok()) << b.status().message();
  auto p = make_problem("test", std::move(layers), idx, *b, Tech{}, Objective::Latency);
  EXPECT_TRUE(p.ok()) << p.status().message();
  return std::move(p).value();
}

// Full legality check of a repaired genome.
void expect_legal(const Problem& p, const Genome& g, const std::string& what) {
  ASSERT_TRUE(is_legal(p, g)) << what;
  EXPECT_LE(genome_area_um2(p, g), p.budget.area_um2) << what;
  EXPECT_NE(g.row_dim, g.col_dim) << what;
  EXPECT_LE(g.rows * g.cols, p.pe_limit) << what;
  const HwConfig hw = to_hw(p, g);
  // Within the template's limits (validate() includes them): the RTL can build it.
  const Status valid = validate(hw);
  ASSERT_TRUE(valid.ok()) << what << ": " << valid.message();
  std::array<std::array<int64_t, kNumTensors>, 2> mx{};
  for (size_t i = 0; i < p.layers.size(); ++i) {
    EXPECT_TRUE(validate(g.maps[i], p.layers[i]).ok()) << what;
    const Cost c = evaluate(p.layers[i], hw, g.maps[i], p.tech);
    ASSERT_TRUE(c.status.ok()) << what << ": layer " << i << ": " << c.status.reason();
    EXPECT_EQ(c.macs, p.layers[i].macs()) << what;
    const auto need = required_buffer_bytes(p.layers[i], hw, g.maps[i]);
    for (int lv = 0; lv < 2; ++lv)
      for (int t = 0; t < kNumTensors; ++t) mx[lv][t] = std::max(mx[lv][t], need[lv][t]);
  }
  EXPECT_EQ(g.l1_bytes, mx[0]) << what << ": buffers not sized to the need";
  EXPECT_EQ(g.l2_bytes, mx[1]) << what << ": buffers not sized to the need";
}

struct Case {
  std::string name;
  std::vector<Layer> layers;
  std::string budget;
};

std::vector<Case> cases() {
  std::vector<Case> cs;
  for (const Layer& l : odd_layers()) {
    cs.push_back({l.name + "/edge", {l}, "edge"});
    cs.push_back({l.name + "/0.01mm2", {l}, "0.01"});
  }
  const Workload r18 = *zoo_model("resnet18");
  cs.push_back({"resnet18.conv1/cloud", {r18.layers[0]}, "cloud"});
  cs.push_back({"odd-model/edge", odd_layers(), "edge"});
  std::vector<Layer> some(r18.layers.begin(), r18.layers.begin() + 6);
  cs.push_back({"resnet18[0:6]-model/edge", some, "edge"});
  cs.push_back({"resnet18[0:6]-model/cloud", some, "cloud"});
  const Workload mb = *zoo_model("mobilenet_v2");
  cs.push_back({"mobilenet_v2[0:5]-model/0.05mm2",
                std::vector<Layer>(mb.layers.begin(), mb.layers.begin() + 5), "0.05"});
  // Layers and a budget large enough that the template's limits bind before the area does:
  // more than 255 rows / cols, L1 and L2 tiles beyond the 16-bit L1 and 24-bit L2 addresses.
  cs.push_back({"huge-gemm/1000mm2", {L(make_gemm("huge", 8192, 8192, 8192))}, "1000"});
  // 6.3e11 MACs: within the 2^40 of core/layer.h (2048 channels each way would be 9x that).
  cs.push_back({"huge-conv/1000mm2",
                {L(make_conv("huge", 4, 1, 512, 512, 258, 258, 3, 3, 1, 1, 1, 1))}, "1000"});
  return cs;
}

TEST(SearchOperators, RandomGenomesAndRepairAreLegal) {
  for (const Case& c : cases()) {
    const Problem p = problem(c.layers, c.budget);
    Rng rng(7);
    for (int i = 0; i < 200; ++i) {
      Genome g = i % 5 == 0 ? unit_genome(p, rng) : random_genome(p, rng);
      expect_legal(p, g, c.name + " random #" + std::to_string(i));
      // Repair is idempotent.
      Genome h = g;
      ASSERT_TRUE(repair(p, h));
      EXPECT_TRUE(h.same_design(g));
    }
  }
}

TEST(SearchOperators, RepairFixesArbitraryGarbage) {
  for (const Case& c : cases()) {
    const Problem p = problem(c.layers, c.budget);
    Rng rng(11);
    for (int i = 0; i < 200; ++i) {
      Genome g;
      g.rows = rng.uniform(-5, 100000);
      g.cols = rng.uniform(-5, 100000);
      g.row_dim = Dim(rng.uniform(0, 7));
      g.col_dim = Dim(rng.uniform(0, 7));
      g.maps.resize(p.layers.size());
      for (Mapping& m : g.maps)
        for (int d = 0; d < kNumDims; ++d) {
          m.l2.tile[d] = rng.uniform(-3, 5000);
          m.l1.tile[d] = rng.uniform(-3, 5000);
          if (rng.chance(0.1)) m.l1.order[d] = Dim(0);  // not a permutation
        }
      ASSERT_TRUE(repair(p, g)) << c.name;
      expect_legal(p, g, c.name + " garbage #" + std::to_string(i));
    }
  }
}

TEST(SearchOperators, EveryOperatorKeepsLegalityOverThousandsOfApplications) {
  DigammaOptions o;
  o.growth = o.aging = true;
  int applications = 0;
  for (const Case& c : cases()) {
    const Problem p = problem(c.layers, c.budget);
    const DigammaOperators ops(p, o);
    Rng rng(3);
    Genome a = random_genome(p, rng), b = random_genome(p, rng);
    Fitness fa = evaluate_genome(p, a);
    for (int i = 0; i < 400; ++i) {
      const int op = int(rng.uniform(0, 6));
      const size_t layer = ops.pick_layer(&fa, rng);
      ASSERT_LT(layer, p.layers.size());
      switch (op) {
        case 0: ops.crossover(a, b, layer, rng); break;
        case 1: ops.reorder(a, layer, rng); break;
        case 2: ops.mutate_tile(a, layer, rng); break;
        case 3: ops.mutate_pe(a, rng); break;
        case 4: ops.level_swap(a); break;
        case 5: ops.growth(a, rng); break;
        case 6: ops.aging(a); break;
      }
      ASSERT_TRUE(repair(p, a));
      ASSERT_TRUE(repair(p, b));
      expect_legal(p, a, c.name + " op " + std::to_string(op) + " #" + std::to_string(i));
      expect_legal(p, b, c.name + " op " + std::to_string(op) + " #" + std::to_string(i));
      ++applications;
      if (i % 50 == 0) {
        b = random_genome(p, rng);
        fa = evaluate_genome(p, a);
        ASSERT_TRUE(fa.feasible) << fa.reason;
      }
    }
  }
  EXPECT_GE(applications, 5000);
}

TEST(SearchOperators, CrossoverSwapsOneDimensionAtBothLevels) {
  const Problem p = problem({odd_layers()[0]}, "cloud");
  const DigammaOperators ops(p, DigammaOptions{});
  Rng rng(5);
  for (int i = 0; i < 500; ++i) {
    const Genome a0 = random_genome(p, rng), b0 = random_genome(p, rng);
    Genome a = a0, b = b0;
    ops.crossover(a, b, 0, rng);
    int changed = 0;
    for (int d = 0; d < kNumDims; ++d) {
      const bool swapped = a.maps[0].l2.tile[d] == b0.maps[0].l2.tile[d] &&
                           a.maps[0].l1.tile[d] == b0.maps[0].l1.tile[d] &&
                           b.maps[0].l2.tile[d] == a0.maps[0].l2.tile[d] &&
                           b.maps[0].l1.tile[d] == a0.maps[0].l1.tile[d];
      const bool same = a.maps[0].l2.tile[d] == a0.maps[0].l2.tile[d] &&
                        a.maps[0].l1.tile[d] == a0.maps[0].l1.tile[d];
      ASSERT_TRUE(swapped || same) << "dim " << d;
      if (!same) ++changed;
    }
    EXPECT_LE(changed, 1);
    EXPECT_EQ(a.maps[0].l2.order, a0.maps[0].l2.order);
    EXPECT_EQ(a.rows, a0.rows);  // hardware genes stay with the child
  }
}

TEST(SearchOperators, ReorderSwapsTwoActiveLoops) {
  const Problem p = problem({odd_layers()[1]}, "edge");
  const DigammaOperators ops(p, DigammaOptions{});
  Rng rng(9);
  for (int i = 0; i < 500; ++i) {
    const Genome g0 = random_genome(p, rng);
    Genome g = g0;
    ops.reorder(g, 0, rng);
    int diff = 0;
    for (int lv = 0; lv < 2; ++lv) {
      const DimOrder& o0 = lv ? g0.maps[0].l1.order : g0.maps[0].l2.order;
      const DimOrder& o1 = lv ? g.maps[0].l1.order : g.maps[0].l2.order;
      for (int k = 0; k < kNumDims; ++k)
        if (o0[k] != o1[k]) {
          ++diff;
          EXPECT_GT(p.layers[0][o1[k]], 1) << "moved a one-iteration loop";
        }
    }
    EXPECT_EQ(diff, 2);
  }
}

TEST(SearchOperators, PeMutationSamplesTheUpperHalfOfTheBusyRange) {
  const Problem p = problem({odd_layers()[0]}, "cloud");
  const DigammaOperators ops(p, DigammaOptions{});
  Rng rng(13);
  for (int i = 0; i < 1000; ++i) {
    Genome g = random_genome(p, rng);
    const int r = idx(g.row_dim);
    const Mapping& m = g.maps[0];
    const int64_t busy = (m.l2.tile[r] + m.l1.tile[r] - 1) / m.l1.tile[r];
    const int64_t M = std::max<int64_t>(1, std::min(p.pe_limit / g.cols, busy));
    ops.mutate_pe(g, rng);
    EXPECT_GE(g.rows, std::max<int64_t>(1, M / 2));
    EXPECT_LE(g.rows, M);
  }
}

TEST(SearchOperators, TileMutationStaysWithinTheParentTile) {
  const Problem p = problem({odd_layers()[4]}, "edge");
  const DigammaOperators ops(p, DigammaOptions{});
  Rng rng(17);
  std::set<Dim> par_seen;
  for (int i = 0; i < 2000; ++i) {
    Genome g = random_genome(p, rng);
    ops.mutate_tile(g, 0, rng);
    for (int d = 0; d < kNumDims; ++d) {
      EXPECT_GE(g.maps[0].l1.tile[d], 1);
      EXPECT_LE(g.maps[0].l1.tile[d], g.maps[0].l2.tile[d]);
      EXPECT_LE(g.maps[0].l2.tile[d], p.layers[0].dims[d]);
    }
    EXPECT_NE(g.row_dim, g.col_dim);
    par_seen.insert(g.row_dim);
  }
  EXPECT_GE(par_seen.size(), 2u);  // header genes are mutated too
}

TEST(SearchOperators, GrowthAndAgingChangeTheArrayDimensionalityButNotThePeCount) {
  const Problem p = problem({odd_layers()[0]}, "cloud");
  DigammaOptions o;
  const DigammaOperators ops(p, o);
  Rng rng(19);
  for (int i = 0; i < 500; ++i) {
    Genome g = random_genome(p, rng);
    const int64_t pes = g.rows * g.cols;
    ops.aging(g);
    EXPECT_EQ(g.cols, 1);
    EXPECT_EQ(g.rows, pes);
    ops.growth(g, rng);
    EXPECT_LE(g.rows * g.cols, pes);
    EXPECT_GE(g.rows * g.cols, 1);
    EXPECT_NE(g.row_dim, g.col_dim);
  }
}

TEST(SearchOperators, BudgetBelowTheSmallestDesignIsRejected) {
  auto b = parse_budget("0.00001");
  ASSERT_TRUE(b.ok());
  auto p = make_problem("t", {odd_layers()[0]}, {0}, *b, Tech{}, Objective::Latency);
  EXPECT_FALSE(p.ok());
  EXPECT_FALSE(parse_budget("-1").ok());
  EXPECT_FALSE(parse_budget("abc").ok());
  EXPECT_FALSE(parse_budget("").ok());
  EXPECT_DOUBLE_EQ(parse_budget("edge")->area_um2, 200000.0);
  EXPECT_DOUBLE_EQ(parse_budget("cloud")->area_um2, 7e6);
}

// Interfaces of a numeric budget: geometric between the edge and cloud presets' (docs/search.md
// section 1), clamped at the ends.
TEST(SearchOperators, NumericBudgetInterpolatesTheInterfaces) {
  const HwConfig edge = *hw_preset("edge"), cloud = *hw_preset("cloud");
  auto one = parse_budget("1");
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->noc_words_per_cycle, 11);  // round(8^(1-t) * 16^t), t = ln 5 / ln 35
  EXPECT_EQ(one->dram_bytes_per_cycle, 30);
  EXPECT_EQ(one->dram_latency_cycles, 137);
  auto small = parse_budget("0.01"), big = parse_budget("100");
  ASSERT_TRUE(small.ok() && big.ok());
  EXPECT_EQ(small->noc_words_per_cycle, edge.noc_words_per_cycle);
  EXPECT_EQ(small->dram_latency_cycles, edge.dram_latency_cycles);
  EXPECT_EQ(big->noc_words_per_cycle, cloud.noc_words_per_cycle);
  EXPECT_EQ(big->dram_bytes_per_cycle, cloud.dram_bytes_per_cycle);
}

}  // namespace
}  // namespace af::search

namespace af::search {
namespace {

TEST(SearchOperators, OpsSpecSwitchesOperatorsAndRates) {
  DigammaOptions o;
  ASSERT_TRUE(apply_ops_spec("-crossover,+growth,tile=0.25,pop=40,tile_trials=5", o).ok());
  EXPECT_FALSE(o.crossover);
  EXPECT_TRUE(o.growth);
  EXPECT_DOUBLE_EQ(o.tile_rate, 0.25);
  EXPECT_EQ(o.pop, 40);
  EXPECT_EQ(o.tile_trials, 5);
  ASSERT_TRUE(apply_ops_spec("reference", o).ok());
  EXPECT_EQ(o.pop, 40);  // kept
  EXPECT_TRUE(o.crossover && o.reorder && o.tile && o.pe);
  EXPECT_FALSE(o.level_swap || o.growth || o.aging || o.weighted_layers);
  EXPECT_EQ(o.factor_rate, 0);
  EXPECT_EQ(o.align_rate, 0);
  EXPECT_EQ(o.layer_crossover_rate, 0);
  EXPECT_DOUBLE_EQ(o.crossover_rate, 0.57);
  EXPECT_DOUBLE_EQ(o.reorder_rate, 0.47);
  EXPECT_DOUBLE_EQ(o.tile_rate, 0.53);
  EXPECT_DOUBLE_EQ(o.pe_rate, 0.5);
  for (const char* bad : {"+teleport", "tile=2", "pop=1", "crossover", "x=1", "tile=-1", "tile=abc"})
    EXPECT_FALSE(apply_ops_spec(bad, o).ok()) << bad;
}

}  // namespace
}  // namespace af::search
