// NSGA-II ranking and the Pareto archive.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "search/driver.h"
#include "search/pareto.h"
#include "search/rng.h"

namespace af::search {
namespace {

TEST(SearchPareto, FrontsMatchBruteForceDominance) {
  Rng rng(1);
  for (int trial = 0; trial < 50; ++trial) {
    std::vector<Point> pts;
    const int n = int(rng.uniform(1, 60));
    for (int i = 0; i < n; ++i)  // small integer grid: many ties and duplicates
      pts.push_back({double(rng.uniform(0, 6)), double(rng.uniform(0, 6)), double(rng.uniform(0, 6))});
    const auto front = nondominated_fronts(pts);
    for (int i = 0; i < n; ++i) {
      ASSERT_GE(front[i], 0);
      bool dominated = false;
      for (int j = 0; j < n; ++j) {
        if (dominates(pts[j], pts[i])) {
          dominated = true;
          EXPECT_LT(front[j], front[i]);  // a dominator is in an earlier front
        }
      }
      EXPECT_EQ(front[i] == 0, !dominated);
      if (front[i] > 0) {  // something in the previous front dominates it
        bool found = false;
        for (int j = 0; j < n; ++j) found = found || (front[j] == front[i] - 1 && dominates(pts[j], pts[i]));
        EXPECT_TRUE(found);
      }
    }
    const auto order = nsga2_order(pts);
    for (size_t k = 1; k < order.size(); ++k) EXPECT_LE(front[order[k - 1]], front[order[k]]);
  }
}

TEST(SearchPareto, CrowdingKeepsTheExtremes) {
  std::vector<Point> pts = {{1, 5, 1}, {2, 4, 1}, {3, 3, 1}, {4, 2, 1}, {5, 1, 1}};
  const auto cd = crowding_distance(pts, std::vector<int>(pts.size(), 0));
  EXPECT_TRUE(std::isinf(cd[0]));
  EXPECT_TRUE(std::isinf(cd[4]));
  EXPECT_GT(cd[2], 0);
  EXPECT_FALSE(std::isinf(cd[2]));
}

TEST(SearchPareto, SearchFrontIsNonDominated) {
  SearchSpec s;
  s.workload = "p";
  s.layers = {*make_conv("a", 1, 1, 32, 16, 14, 14, 3, 3, 1, 1, 1, 1), *make_fc("b", 64, 48, 4)};
  s.layer_index = {0, 1};
  s.objective = Objective::Pareto;
  s.budget = *parse_budget("0.5");
  for (Mode mode : {Mode::Model, Mode::Layer})
    for (const char* algo : {"digamma", "random", "stdga", "sa", "de"}) {
      s.mode = mode;
      RunOptions o;
      o.algo = algo;
      o.evals = 400;
      auto out = run_search(s, o);
      ASSERT_TRUE(out.ok()) << out.status().message();
      for (const auto& r : out->results) {
        ASSERT_GE(r.front.size(), 2u) << algo;
        for (const auto& a : r.front) {
          EXPECT_TRUE(a.fitness.feasible);
          EXPECT_LE(a.fitness.area_um2, s.budget.area_um2);
          for (const auto& b : r.front)
            EXPECT_FALSE(dominates(pareto_point(b.fitness), pareto_point(a.fitness))) << algo;
        }
        // The best-latency design is on the front, and nothing in top-K dominates the front.
        double min_cycles = 1e300;
        for (const auto& a : r.front) min_cycles = std::min(min_cycles, a.fitness.cycles);
        EXPECT_EQ(min_cycles, r.top[0].fitness.cycles) << algo;
      }
      const auto j = result_to_json(s, o, *out, false);
      EXPECT_TRUE(j["runs"][0].contains("pareto_front"));
    }
}

}  // namespace
}  // namespace af::search
