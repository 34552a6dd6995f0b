// The optimized evaluate() against the frozen pre-optimization model (costmodel_reference.h):
// every field of Cost must be bit-identical, over thousands of random (layer, hardware, mapping)
// cases: the walker's small cases, and real zoo layers on presets and on randomly perturbed
// hardware (any dataflow, bus and DRAM widths), where the shortcuts for compute-bound pipelines,
// shared tile shapes and fused access counts are all exercised. Also: evaluate() split in two
// (evaluate_mapping, then finish_evaluation on hardware with other buffer capacities, as the
// search's cache uses it) gives the same Cost as evaluate() on that hardware.
#include <gtest/gtest.h>

#include <cstring>

#include "core/hw_config.h"
#include "core/zoo.h"
#include "costmodel/cost.h"
#include "costmodel/random_mapping.h"
#include "tests/costmodel_reference.h"
#include "tests/support/random_cases.h"

namespace af::test {
namespace {

// Doubles are compared by their bits: "equal" must mean the same computation.
bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

void expect_same_cost(const Cost& f, const Cost& r, const std::string& what) {
  EXPECT_EQ(f.status.code, r.status.code) << what;
  EXPECT_EQ(f.status.level, r.status.level) << what;
  EXPECT_EQ(f.status.tensor, r.status.tensor) << what;
  EXPECT_EQ(f.status.dim, r.status.dim) << what;
  EXPECT_EQ(f.status.needed, r.status.needed) << what;
  EXPECT_EQ(f.status.allowed, r.status.allowed) << what;
  EXPECT_EQ(f.macs, r.macs) << what;
  EXPECT_EQ(f.pes, r.pes) << what;
  EXPECT_EQ(f.cycles, r.cycles) << what;
  EXPECT_EQ(f.breakdown.compute, r.breakdown.compute) << what;
  EXPECT_EQ(f.breakdown.input_wait, r.breakdown.input_wait) << what;
  EXPECT_EQ(f.breakdown.output_wait, r.breakdown.output_wait) << what;
  EXPECT_EQ(f.breakdown.dram_stall, r.breakdown.dram_stall) << what;
  EXPECT_EQ(f.breakdown.fill_drain, r.breakdown.fill_drain) << what;
  EXPECT_TRUE(same_bits(f.utilization, r.utilization)) << what;
  EXPECT_EQ(f.accesses, r.accesses) << what;
  EXPECT_EQ(f.buffer_bytes, r.buffer_bytes) << what;
  const double fe[] = {f.energy.mac_pj, f.energy.l1_pj, f.energy.l2_pj, f.energy.dram_pj,
                       f.energy.noc_pj, f.area.pe_um2, f.area.l1_um2, f.area.l2_um2};
  const double re[] = {r.energy.mac_pj, r.energy.l1_pj, r.energy.l2_pj, r.energy.dram_pj,
                       r.energy.noc_pj, r.area.pe_um2, r.area.l1_um2, r.area.l2_um2};
  for (int i = 0; i < 8; ++i) EXPECT_TRUE(same_bits(fe[i], re[i])) << "field " << i << " " << what;
}

void expect_identical(const Layer& layer, const HwConfig& hw, const Mapping& m,
                      const Calibration* cal, const std::string& what) {
  expect_same_cost(evaluate(layer, hw, m, Tech{}, cal),
                   ref::evaluate_reference(layer, hw, m, Tech{}, cal), what);
}

std::string describe(const Layer& layer, const HwConfig& hw, const Mapping& m) {
  std::string s = layer.name + " on " + hw.name + " " + std::to_string(hw.rows) + "x" +
                  std::to_string(hw.cols) + " " + dim_char(hw.row_dim) + dim_char(hw.col_dim) +
                  " noc " + std::to_string(hw.noc_words_per_cycle) + " dram " +
                  std::to_string(hw.dram_bytes_per_cycle) + "/" +
                  std::to_string(hw.dram_latency_cycles) + " | T2";
  for (int64_t v : m.l2.tile) s += " " + std::to_string(v);
  s += " " + order_string(m.l2.order) + " T1";
  for (int64_t v : m.l1.tile) s += " " + std::to_string(v);
  return s + " " + order_string(m.l1.order);
}

TEST(CostModelFastPath, WalkerCasesIdentical) {
  Calibration cal;
  cal.compute = 1.1;
  cal.dram_stall = 0.7;
  cal.offset_cycles = 3;
  for (uint64_t seed = 1; seed <= 4000; ++seed) {
    const Case c = random_case(seed, /*large=*/seed % 4 == 0);
    expect_identical(c.layer, c.hw, c.mapping, seed % 5 == 0 ? &cal : nullptr, c.describe());
    if (HasFailure()) return;  // one detailed failure is enough to debug
  }
}

// Real layers: random legal mappings on the presets and on hardware with a random dataflow,
// array shape, bus width and DRAM port (from fast compute-bound designs to starved ones).
TEST(CostModelFastPath, ZooLayersIdentical) {
  Rng rng(7);
  int cases = 0;
  for (const char* model : {"resnet18", "mobilenet_v2", "bert", "vgg16", "resnext50_32x4d", "ncf"}) {
    const Workload w = *zoo_model(model);
    for (const char* preset : {"tiny", "edge", "cloud"}) {
      for (int i = 0; i < 120; ++i) {
        HwConfig hw = *hw_preset(preset);
        if (i % 2 == 1) {
          hw.rows = rng.uniform(1, 16);
          hw.cols = rng.uniform(1, 16);
          hw.row_dim = static_cast<Dim>(rng.uniform(0, 7));
          do {
            hw.col_dim = static_cast<Dim>(rng.uniform(0, 7));
          } while (hw.col_dim == hw.row_dim);
          hw.noc_words_per_cycle = int64_t(1) << rng.uniform(0, 6);
          hw.dram_bytes_per_cycle = int64_t(1) << rng.uniform(0, 6);
          hw.dram_latency_cycles = rng.uniform(1, 200);
        }
        const Layer& layer = w.layers[rng.uniform(0, static_cast<int64_t>(w.layers.size()) - 1)];
        const Expected<Mapping> m = random_mapping(layer, hw, rng.uniform(0, 1 << 30));
        if (!m.ok()) continue;
        expect_identical(layer, hw, *m, nullptr, describe(layer, hw, *m));
        ++cases;
        if (HasFailure()) return;
      }
    }
  }
  EXPECT_GT(cases, 1600);
}

// Illegal points: every status field (code, level, tensor, dim, sizes) must match too.
TEST(CostModelFastPath, IllegalPointsIdentical) {
  Rng rng(11);
  const Workload w = *zoo_model("resnet18");
  for (int i = 0; i < 2000; ++i) {
    HwConfig hw = *hw_preset(i % 2 ? "edge" : "tiny");
    const Layer& layer = w.layers[rng.uniform(0, static_cast<int64_t>(w.layers.size()) - 1)];
    Mapping m;
    for (int d = 0; d < kNumDims; ++d) {
      m.l2.tile[d] = rng.uniform(0, layer.dims[d] + 1);
      m.l1.tile[d] = rng.uniform(0, m.l2.tile[d] + 1);
    }
    m.l2.order = rng.order();
    m.l1.order = rng.order();
    if (rng.chance(5)) m.l1.order[0] = m.l1.order[1];
    if (rng.chance(3)) hw.col_dim = hw.row_dim;
    expect_identical(layer, hw, m, nullptr, describe(layer, hw, m));
    if (HasFailure()) return;
  }
}

// The mapping part of an evaluation does not depend on buffer capacities, the tech table or the
// calibration: finishing it on hardware that differs only in those gives exactly what evaluate()
// gives there, including a buffer overflow (capacities are drawn around the needs) and the
// structural statuses.
TEST(CostModelSplit, FinishingTheMappingPartOnOtherBuffersEqualsEvaluate) {
  Rng rng(13);
  Calibration cal;
  cal.input_wait = 1.3;
  cal.fill_drain = 0.5;
  cal.offset_cycles = -2;
  Tech tech;
  tech.dram_pj_per_byte = 20;
  int overflows = 0, legal = 0;
  for (uint64_t seed = 1; seed <= 3000; ++seed) {
    const Case c = random_case(seed, /*large=*/seed % 4 == 0);
    Mapping m = c.mapping;
    if (seed % 10 == 0) m.l1.tile[0] = m.l2.tile[0] + 1;  // a structural problem now and then
    const std::array<std::array<int64_t, kNumTensors>, 2> need =
        required_buffer_bytes(c.layer, c.hw, m);
    HwConfig other = c.hw;
    for (int t = 0; t < kNumTensors; ++t) {
      other.l1_bytes[t] = std::max<int64_t>(1, need[0][t] + rng.uniform(-2, 40));
      other.l2_bytes[t] = std::max<int64_t>(1, need[1][t] + rng.uniform(-2, 400));
    }
    const Calibration* with = seed % 3 == 0 ? &cal : nullptr;
    const MappingCost part = evaluate_mapping(c.layer, c.hw, m);
    const Cost finished = finish_evaluation(part, other, tech, with);
    const Cost direct = evaluate(c.layer, other, m, tech, with);
    expect_same_cost(finished, direct, c.describe());
    overflows += direct.status.code == EvalCode::kBufferOverflow;
    legal += direct.status.ok();
    if (HasFailure()) return;
  }
  EXPECT_GT(overflows, 300);
  EXPECT_GT(legal, 1500);
}

// A calibration that undershoots what the array can do (tiny factors, a large negative offset)
// stops at MACs / PEs, so utilization never exceeds 1 (fidelity contract); a huge one stops at
// 2^62 cycles instead of overflowing.
TEST(CostModelCalibration, CalibratedCyclesStayWithinWhatTheArrayCanDo) {
  Calibration low;
  low.compute = low.input_wait = low.output_wait = low.dram_stall = low.fill_drain = 0.01;
  low.offset_cycles = -1e9;
  Calibration high;
  high.compute = 1e300;
  int clamped = 0;
  for (uint64_t seed = 1; seed <= 500; ++seed) {
    const Case c = random_case(seed);
    const Cost cost = evaluate(c.layer, c.hw, c.mapping, Tech{}, &low);
    if (!cost.status.ok()) continue;
    EXPECT_LE(cost.utilization, 1.0) << c.describe();
    EXPECT_EQ(cost.cycles, (cost.macs + cost.pes - 1) / cost.pes) << c.describe();
    const Cost big = evaluate(c.layer, c.hw, c.mapping, Tech{}, &high);
    EXPECT_EQ(big.cycles, int64_t{1} << 62) << c.describe();
    EXPECT_GT(big.utilization, 0.0);
    ++clamped;
  }
  EXPECT_GT(clamped, 300);
}

}  // namespace
}  // namespace af::test
