// The analytical cost model against the brute-force walker (tests/support/walker.h), which steps
// through every tile, step and PE of docs/template.md: MACs, buffer needs and every access
// counter must be equal, and so must the cycle breakdown, cause by cause (the model is exact for
// the schedule the RTL runs, including edge tiles and neighbour pairing).
#include <gtest/gtest.h>

#include "costmodel/cost.h"
#include "tests/support/random_cases.h"
#include "tests/support/walker.h"

namespace af::test {
namespace {

void expect_same(const Case& c) {
  const Cost cost = evaluate(c.layer, c.hw, c.mapping, Tech{});
  ASSERT_TRUE(cost.status.ok()) << cost.status.reason() << "\n" << c.describe();
  const WalkResult w = walk(c.layer, c.hw, c.mapping);
  EXPECT_EQ(cost.macs, w.macs) << c.describe();
  EXPECT_EQ(cost.buffer_bytes, w.buffer_bytes) << c.describe();
  for (int level = 0; level < kNumLevels; ++level) {
    for (Tensor t : kAllTensors) {
      const AccessCounts& m = cost.accesses[level][idx(t)];
      const AccessCounts& b = w.accesses[level][idx(t)];
      EXPECT_EQ(m.reads, b.reads) << level_name(level) << " " << tensor_name(t) << "\n"
                                  << c.describe();
      EXPECT_EQ(m.fills, b.fills) << level_name(level) << " " << tensor_name(t) << "\n"
                                  << c.describe();
      EXPECT_EQ(m.updates, b.updates) << level_name(level) << " " << tensor_name(t) << "\n"
                                      << c.describe();
      EXPECT_EQ(m.drains, b.drains) << level_name(level) << " " << tensor_name(t) << "\n"
                                    << c.describe();
    }
  }
  const CycleBreakdown& m = cost.breakdown;
  const CycleBreakdown& r = w.cycles;
  EXPECT_EQ(m.compute, r.compute) << c.describe();
  EXPECT_EQ(m.input_wait, r.input_wait) << c.describe();
  EXPECT_EQ(m.output_wait, r.output_wait) << c.describe();
  EXPECT_EQ(m.dram_stall, r.dram_stall) << c.describe();
  EXPECT_EQ(m.fill_drain, r.fill_drain) << c.describe();
  EXPECT_EQ(cost.cycles, r.total()) << c.describe();
}

TEST(CostModelVsWalker, SmallRandomCasesAgreeExactly) {
  for (uint64_t seed = 1; seed <= 3000; ++seed) {
    expect_same(random_case(seed));
    if (HasFailure()) return;  // one detailed failure is enough to debug
  }
}

TEST(CostModelVsWalker, LargerRandomCasesAgreeExactly) {
  for (uint64_t seed = 100001; seed <= 100300; ++seed) {
    expect_same(random_case(seed, /*large=*/true));
    if (HasFailure()) return;
  }
}

}  // namespace
}  // namespace af::test
