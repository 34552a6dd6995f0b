// Exhaustive enumeration covers exactly the documented space and finds its true optimum; loop
// orders that differ only in one-iteration loops cost the same (so enumerating the orders of the
// active dims loses nothing); no other algorithm finds anything better on that space.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "costmodel/cost.h"
#include "search/driver.h"
#include "search/evaluator.h"
#include "search/exhaustive.h"
#include "search/genes.h"

namespace af::search {
namespace {

Problem tiny(Objective obj = Objective::Latency) {
  auto l = make_gemm("g", 3, 2, 2);
  EXPECT_TRUE(l.ok());
  auto p = make_problem("tiny", {*l}, {0}, *parse_budget("edge"), Tech{}, obj);
  EXPECT_TRUE(p.ok()) << p.status().message();
  return std::move(p).value();
}

// The test's own enumeration of the space (nested loops, std::next_permutation).
template <typename F>
void enumerate(const Problem& p, F&& visit) {
  const Layer& layer = p.layers[0];
  const auto act = active_dims(layer);
  std::vector<Dim> inactive;
  for (Dim d : kAllDims)
    if (layer[d] <= 1) inactive.push_back(d);
  std::vector<std::pair<int64_t, int64_t>> pairs_per;  // unused helper
  for (Dim r : p.par_dims)
    for (Dim c : p.par_dims) {
      if (r == c) continue;
      for (int64_t rows = 1; rows <= std::min(p.max_extent[idx(r)], p.pe_limit); ++rows)
        for (int64_t cols = 1; cols <= std::min(p.max_extent[idx(c)], p.pe_limit / rows); ++cols) {
          // Tiles: odometer over active dims.
          std::vector<int64_t> t2(act.size(), 1), t1(act.size(), 1);
          for (;;) {
            std::vector<Dim> o2 = act;
            std::sort(o2.begin(), o2.end());
            do {
              std::vector<Dim> o1 = act;
              std::sort(o1.begin(), o1.end());
              do {
                Genome g;
                g.rows = rows;
                g.cols = cols;
                g.row_dim = r;
                g.col_dim = c;
                g.maps.resize(1);
                Mapping& m = g.maps[0];
                for (size_t a = 0; a < act.size(); ++a) {
                  m.l2.tile[idx(act[a])] = t2[a];
                  m.l1.tile[idx(act[a])] = t1[a];
                }
                size_t k = 0;
                for (Dim d : inactive) m.l2.order[k] = m.l1.order[k] = d, ++k;
                for (size_t a = 0; a < act.size(); ++a) {
                  m.l2.order[k + a] = o2[a];
                  m.l1.order[k + a] = o1[a];
                }
                visit(g);
              } while (std::next_permutation(o1.begin(), o1.end()));
            } while (std::next_permutation(o2.begin(), o2.end()));
            size_t a = 0;
            for (; a < act.size(); ++a) {
              if (t1[a] < t2[a]) {
                ++t1[a];
                break;
              }
              t1[a] = 1;
              if (t2[a] < layer[act[a]]) {
                ++t2[a];
                break;
              }
              t2[a] = 1;
            }
            if (a == act.size()) break;
          }
        }
    }
}

TEST(SearchExhaustive, SpaceSizeMatchesAnIndependentEnumeration) {
  const Problem p = tiny();
  uint64_t n = 0;
  enumerate(p, [&](const Genome&) { ++n; });
  const Exhaustive ex(p);
  EXPECT_EQ(ex.size(), n);
  EXPECT_DOUBLE_EQ(exhaustive_space_size(p), double(n));
  // Every point of the optimizer's enumeration is distinct.
  std::set<uint64_t> hashes;
  for (uint64_t k = 0; k < ex.size(); ++k) hashes.insert(ex.point(k).hash());
  EXPECT_EQ(hashes.size(), n);
}

TEST(SearchExhaustive, FindsTheTrueOptimum) {
  for (Objective obj : {Objective::Latency, Objective::Energy, Objective::Edp}) {
    const Problem p = tiny(obj);
    Key best{1e300, 1e300, 1e300};
    uint64_t legal = 0;
    enumerate(p, [&](const Genome& g0) {
      Genome g = g0;
      repair(p, g);
      if (!g.same_design(g0)) return;  // over the area budget
      ++legal;
      const Fitness f = evaluate_genome(p, g);
      ASSERT_TRUE(f.feasible) << f.reason;
      best = std::min(best, objective_key(f, obj));
    });
    ASSERT_GT(legal, 0u);
    SearchSpec s;
    s.workload = "tiny";
    s.layers = p.layers;
    s.layer_index = {0};
    s.mode = Mode::Layer;
    s.objective = obj;
    s.budget = p.budget;
    RunOptions o;
    o.algo = "exhaustive";
    o.evals = int64_t(1) << 40;
    o.threads = 2;
    auto out = run_search(s, o);
    ASSERT_TRUE(out.ok()) << out.status().message();
    EXPECT_EQ(uint64_t(out->evals_used), legal);
    ASSERT_FALSE(out->results[0].top.empty());
    EXPECT_EQ(objective_key(out->results[0].top[0].fitness, obj), best) << objective_name(obj);
    // No algorithm beats it on the same space.
    for (const char* algo : {"digamma", "random", "stdga", "sa", "de"}) {
      o.algo = algo;
      o.evals = 600;
      auto r = run_search(s, o);
      ASSERT_TRUE(r.ok());
      EXPECT_GE(objective_key(r->results[0].top[0].fitness, obj), best) << algo;
    }
  }
}

TEST(SearchExhaustive, OrderOfOneIterationLoopsDoesNotMatter) {
  // Random genomes of small odd layers versus the same genome with the active dims' relative
  // order kept and the inactive dims moved to the front: identical cost.
  std::vector<Layer> layers = {*make_gemm("g", 5, 3, 1), *make_conv("c", 1, 1, 3, 1, 4, 1, 3, 1, 1, 1, 0, 0),
                               *make_depthwise("d", 1, 5, 4, 4, 1, 1, 1, 0)};
  for (const Layer& l : layers) {
    auto p = make_problem("t", {l}, {0}, *parse_budget("edge"), Tech{}, Objective::Latency);
    ASSERT_TRUE(p.ok());
    Rng rng(21);
    for (int i = 0; i < 300; ++i) {
      const Genome g = random_genome(*p, rng);
      Genome c = g;
      for (DimOrder* o : {&c.maps[0].l2.order, &c.maps[0].l1.order}) {
        std::stable_partition(o->begin(), o->end(), [&](Dim d) { return l[d] <= 1; });
      }
      const HwConfig hw = to_hw(*p, g);
      const Cost a = evaluate(l, hw, g.maps[0], p->tech);
      const Cost b = evaluate(l, hw, c.maps[0], p->tech);
      ASSERT_TRUE(a.status.ok() && b.status.ok());
      EXPECT_EQ(a.cycles, b.cycles);
      EXPECT_DOUBLE_EQ(a.energy_pj(), b.energy_pj());
    }
  }
}

TEST(SearchExhaustive, RefusesSpacesThatAreTooLarge) {
  auto l = make_conv("big", 1, 1, 64, 64, 56, 56, 3, 3, 1, 1, 1, 1);
  auto p = make_problem("big", {*l}, {0}, *parse_budget("edge"), Tech{}, Objective::Latency);
  ASSERT_TRUE(p.ok());
  auto o = make_optimizer("exhaustive", *p, AlgoOptions{}, 1, 100);
  ASSERT_FALSE(o.ok());
  EXPECT_NE(o.status().message().find("points"), std::string::npos);
}

}  // namespace
}  // namespace af::search
