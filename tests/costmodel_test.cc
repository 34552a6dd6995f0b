// Cost model: hand-computed cases, legality statuses, and invariants over thousands of random
// legal mappings of real and odd layers (the fidelity contract of docs/template.md).
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "core/hw_config.h"
#include "core/io.h"
#include "core/layer.h"
#include "core/template_constants.h"
#include "costmodel/calibration.h"
#include "costmodel/cost.h"
#include "costmodel/random_mapping.h"
#include "costmodel/timing.h"
#include "costmodel/tiling.h"

namespace af {
namespace {

Layer conv(int64_t k, int64_t c, int64_t h, int64_t w, int64_t r, int64_t s, int64_t stride = 1,
           int64_t pad = 0, int64_t g = 1, int64_t n = 1) {
  Expected<Layer> l = make_conv("t", n, g, k, c, h, w, r, s, stride, stride, pad, pad);
  EXPECT_TRUE(l.ok()) << l.status().message();
  return *l;
}

Mapping whole(const Layer& layer) {
  Mapping m;
  m.l2.tile = layer.dims;
  m.l1.tile = layer.dims;
  return m;
}

HwConfig big_buffers(int64_t rows, int64_t cols, Dim row_dim, Dim col_dim) {
  HwConfig hw;
  hw.rows = rows;
  hw.cols = cols;
  hw.row_dim = row_dim;
  hw.col_dim = col_dim;
  hw.l1_bytes = {1 << 20, 1 << 20, 1 << 20};
  hw.l2_bytes = {1 << 24, 1 << 24, 1 << 24};
  hw.noc_words_per_cycle = 1;
  hw.dram_bytes_per_cycle = 8;
  hw.dram_latency_cycles = 20;
  return hw;
}

// A 1x1 "array" computing a 2x3 GEMM-like layer in one tile: every number worked out by hand.
TEST(CostModelHand, SinglePeSingleTile) {
  const Layer layer = conv(/*k=*/2, /*c=*/3, 1, 1, 1, 1);
  const HwConfig hw = big_buffers(1, 1, Dim::C, Dim::K);
  const Cost c = evaluate(layer, hw, whole(layer), Tech{});
  ASSERT_TRUE(c.status.ok()) << c.status.reason();
  EXPECT_EQ(c.macs, 6);
  const auto& a = c.accesses;
  EXPECT_EQ(a[0][idx(Tensor::W)].reads, 6);
  EXPECT_EQ(a[0][idx(Tensor::I)].reads, 3);
  EXPECT_EQ(a[0][idx(Tensor::O)].updates, 2);
  EXPECT_EQ(a[0][idx(Tensor::O)].reads, 0);
  EXPECT_EQ(a[1][idx(Tensor::W)].reads, 6);
  EXPECT_EQ(a[1][idx(Tensor::O)].updates, 2);
  EXPECT_EQ(a[2][idx(Tensor::I)].fills, 3);
  EXPECT_EQ(a[2][idx(Tensor::O)].drains, 2);
  EXPECT_EQ(a[2][idx(Tensor::W)].reads, 6);
  // L1: fill max(6,3,2 words)+2 = 8, compute 6, drain 2+2 = 4 -> 18.
  // DMA: fill 20 + 1 + 1 + 1 beats = 23; one L2 period 18 + 1; drain 1 beat. Total 43.
  EXPECT_EQ(c.breakdown.compute, 6);
  EXPECT_EQ(c.breakdown.fill_drain, 8 + 4 + 23 + 1);
  EXPECT_EQ(c.breakdown.dram_stall, 1);
  EXPECT_EQ(c.cycles, 43);
}

// Two L2 tiles along K with weights reloaded and inputs stationary: K=4 split 2+2 at L2.
TEST(CostModelHand, InputStationaryAtL2) {
  const Layer layer = conv(4, 2, 1, 1, 1, 1);
  const HwConfig hw = big_buffers(1, 1, Dim::C, Dim::K);
  Mapping m = whole(layer);
  m.l2.tile[idx(Dim::K)] = 2;
  m.l1.tile[idx(Dim::K)] = 2;
  const Cost c = evaluate(layer, hw, m, Tech{});
  ASSERT_TRUE(c.status.ok());
  EXPECT_EQ(c.accesses[0][idx(Tensor::W)].reads, 8);  // each weight once
  EXPECT_EQ(c.accesses[0][idx(Tensor::I)].reads, 2);  // K is irrelevant to inputs: loaded once
  EXPECT_EQ(c.accesses[0][idx(Tensor::O)].updates, 4);
  EXPECT_EQ(c.accesses[1][idx(Tensor::I)].reads, 4);  // L1 reloads everything per L2 tile
}

// C outer, K inner at L2 with C split: outputs leave and come back, psums refetched from DRAM.
TEST(CostModelHand, PartialSumsRoundTrip) {
  const Layer layer = conv(2, 4, 1, 1, 1, 1);
  const HwConfig hw = big_buffers(1, 1, Dim::Y, Dim::X);
  Mapping m = whole(layer);
  m.l2.tile[idx(Dim::C)] = 2;
  m.l2.tile[idx(Dim::K)] = 1;
  m.l1.tile = m.l2.tile;
  m.l2.order = {Dim::N, Dim::G, Dim::C, Dim::K, Dim::Y, Dim::X, Dim::R, Dim::S};
  const Cost c = evaluate(layer, hw, m, Tech{});
  ASSERT_TRUE(c.status.ok());
  // Output tile (one word) visited 4 times (2 C-tiles x 2 K-tiles, K inner): 4 drains, 2 fresh.
  EXPECT_EQ(c.accesses[0][idx(Tensor::O)].updates, 4);
  EXPECT_EQ(c.accesses[0][idx(Tensor::O)].reads, 2);
  // Inputs: C-tile changes only with the outer loop: 2 loads of 2 words.
  EXPECT_EQ(c.accesses[0][idx(Tensor::I)].reads, 4);
}

// Multicast: K on the columns is irrelevant to inputs, so each input word is read from L2 once
// per step but filled into every active column.
TEST(CostModelHand, MulticastInputsOverK) {
  const Layer layer = conv(4, 1, 1, 1, 1, 1);
  const HwConfig hw = big_buffers(1, 4, Dim::C, Dim::K);
  Mapping m = whole(layer);
  m.l1.tile[idx(Dim::K)] = 1;
  const Cost c = evaluate(layer, hw, m, Tech{});
  ASSERT_TRUE(c.status.ok());
  EXPECT_EQ(c.accesses[1][idx(Tensor::I)].reads, 1);
  EXPECT_EQ(c.accesses[2][idx(Tensor::I)].fills, 4);
  EXPECT_EQ(c.accesses[1][idx(Tensor::W)].reads, 4);
  EXPECT_EQ(c.breakdown.compute, 1);  // one step, each PE one MAC
}

// Reduction over C on the rows: four PEs' partial sums are added by the tree.
TEST(CostModelHand, SpatialReductionOverC) {
  const Layer layer = conv(1, 4, 1, 1, 1, 1);
  const HwConfig hw = big_buffers(4, 1, Dim::C, Dim::K);
  Mapping m = whole(layer);
  m.l1.tile[idx(Dim::C)] = 1;
  const Cost c = evaluate(layer, hw, m, Tech{});
  ASSERT_TRUE(c.status.ok());
  EXPECT_EQ(c.accesses[1][idx(Tensor::O)].updates, 1);  // one reduced word into L2
  EXPECT_EQ(c.accesses[2][idx(Tensor::O)].drains, 4);   // four PEs send a psum each
}

TEST(CostModelHand, DmaBeatsMergeContiguousRuns) {
  const Layer layer = conv(4, 8, 6, 6, 3, 3);  // output 4x4
  const HwConfig hw = big_buffers(2, 2, Dim::C, Dim::K);
  const model::Geometry g = model::make_geometry(layer, hw, whole(layer));
  // Whole weight tensor: one run of 4*8*9 = 288 bytes = 36 beats of 8 bytes.
  EXPECT_EQ(model::dma_beats(g, hw, Tensor::W, layer.dims), 36);
  // Half of S: runs of 2 bytes, each one beat: 4*8*3 runs.
  DimArray x = layer.dims;
  x[idx(Dim::S)] = 2;
  EXPECT_EQ(model::dma_beats(g, hw, Tensor::W, x), 4 * 8 * 3);
  // Outputs (int32): X tile 3 of 4 -> runs of 12 bytes = 2 beats, 4*4 runs.
  x = layer.dims;
  x[idx(Dim::X)] = 3;
  EXPECT_EQ(model::dma_beats(g, hw, Tensor::O, x), 4 * 4 * 2);
}

TEST(CostModelStatus, ReportsOverflowAndBadTiles) {
  const Layer layer = conv(16, 16, 8, 8, 3, 3);
  HwConfig hw = big_buffers(2, 2, Dim::C, Dim::K);
  hw.l1_bytes[idx(Tensor::W)] = 100;
  Cost c = evaluate(layer, hw, whole(layer), Tech{});
  EXPECT_EQ(c.status.code, EvalCode::kBufferOverflow);
  EXPECT_EQ(c.status.level, 1);
  EXPECT_EQ(c.status.tensor, idx(Tensor::W));
  EXPECT_EQ(c.status.needed, 2 * 16 * 16 * 9);
  EXPECT_NE(c.status.reason().find("L1 weights buffer overflows"), std::string::npos);

  Mapping m = whole(layer);
  m.l1.tile[idx(Dim::K)] = 17;
  c = evaluate(layer, big_buffers(2, 2, Dim::C, Dim::K), m, Tech{});
  EXPECT_EQ(c.status.code, EvalCode::kBadTile);
  EXPECT_NE(c.status.reason().find("L1 tile of K is 17 (allowed: 1..16)"), std::string::npos);

  m = whole(layer);
  m.l2.order[0] = Dim::K;  // K twice, N missing
  c = evaluate(layer, big_buffers(2, 2, Dim::C, Dim::K), m, Tech{});
  EXPECT_EQ(c.status.code, EvalCode::kBadOrder);

  c = evaluate(layer, big_buffers(2, 2, Dim::C, Dim::C), whole(layer), Tech{});
  EXPECT_EQ(c.status.code, EvalCode::kBadDataflow);
}

TEST(CostModelArea, UsesDiGammaConstants) {
  HwConfig hw = big_buffers(2, 3, Dim::C, Dim::K);
  hw.l1_bytes = {10, 20, 30};
  hw.l2_bytes = {100, 200, 300};
  const AreaBreakdown a = area_of(hw, Tech{});
  EXPECT_DOUBLE_EQ(a.pe_um2, 6 * 282.0);
  EXPECT_DOUBLE_EQ(a.l1_um2, 6 * 60 * 8 * 0.086);
  EXPECT_DOUBLE_EQ(a.l2_um2, 600 * 8 * 0.086);
}

// Random layers covering the odd cases: primes, 1x1, stride 2, padding, depthwise, groups, GEMM.
Expected<Layer> random_layer_once(std::mt19937_64& rng) {
  auto pick = [&](int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(rng() % static_cast<uint64_t>(hi - lo + 1));
  };
  switch (rng() % 5) {
    case 0: return make_gemm("gemm", pick(1, 23), pick(1, 29), pick(1, 31), pick(1, 2));
    case 1: {
      const int64_t r = pick(1, 3), stride = pick(1, 2), pad = pick(0, r - 1);
      return make_depthwise("dw", pick(1, 2), pick(1, 13), pick(r, 11), pick(r, 11), r, r,
                             stride, pad);
    }
    default: {
      const int64_t r = pick(1, 5), s = pick(1, 5), stride = pick(1, 3);
      const int64_t pad = pick(0, std::min(r, s) - 1);
      return make_conv("conv", pick(1, 2), pick(1, 3), pick(1, 17), pick(1, 13),
                        pick(std::max(r, s), 13), pick(std::max(r, s), 13), r, s, stride, stride,
                        pad, pad);
    }
  }
}

Layer random_layer(std::mt19937_64& rng) {
  for (;;) {
    Expected<Layer> l = random_layer_once(rng);
    if (l.ok()) return *l;
  }
}

HwConfig random_hw(std::mt19937_64& rng) {
  HwConfig hw;
  hw.rows = 1 + rng() % 5;
  hw.cols = 1 + rng() % 5;
  hw.row_dim = kAllDims[rng() % kNumDims];
  do hw.col_dim = kAllDims[rng() % kNumDims];
  while (hw.col_dim == hw.row_dim);
  hw.l1_bytes = {int64_t(32 + rng() % 512), int64_t(32 + rng() % 512), int64_t(64 + rng() % 1024)};
  hw.l2_bytes = {int64_t(1024 + rng() % 65536), int64_t(1024 + rng() % 65536),
                 int64_t(2048 + rng() % 65536)};
  hw.noc_words_per_cycle = 1 + rng() % 4;
  hw.dram_bytes_per_cycle = int64_t(1) << (rng() % 6);
  hw.dram_latency_cycles = 1 + rng() % 100;
  return hw;
}

int64_t touched_input_words(const Layer& l) {
  auto touched = [](int64_t out, int64_t filt, int64_t stride) {
    return filt >= stride ? (out - 1) * stride + filt : out * filt;
  };
  return l[Dim::N] * l[Dim::G] * l[Dim::C] * touched(l[Dim::Y], l[Dim::R], l.stride_y) *
         touched(l[Dim::X], l[Dim::S], l.stride_x);
}

TEST(CostModelProperty, FidelityContractOverRandomLegalMappings) {
  std::mt19937_64 rng(2026);
  int evaluated = 0;
  for (int trial = 0; trial < 5000; ++trial) {
    const Layer layer = random_layer(rng);
    const HwConfig hw = random_hw(rng);
    Expected<Mapping> m = random_mapping(layer, hw, rng());
    if (!m.ok()) continue;
    const Cost c = evaluate(layer, hw, *m, Tech{});
    ASSERT_TRUE(c.status.ok()) << c.status.reason();
    ++evaluated;
    SCOPED_TRACE(trial);
    EXPECT_EQ(c.macs, layer.macs());
    EXPECT_LE(c.utilization, 1.0);
    EXPECT_GE(c.cycles * c.pes, c.macs);
    EXPECT_EQ(c.cycles, c.breakdown.total());
    EXPECT_GE(c.breakdown.compute * c.pes, c.macs);
    const auto& a = c.accesses;
    EXPECT_GE(a[0][idx(Tensor::W)].reads, layer.tensor_words(Tensor::W));
    EXPECT_GE(a[0][idx(Tensor::I)].reads, touched_input_words(layer));
    EXPECT_GE(a[0][idx(Tensor::O)].updates, layer.tensor_words(Tensor::O));
    for (Tensor t : {Tensor::W, Tensor::I}) {
      // Multicast never sends more than it delivers; L1 refills at least what L2 was filled with.
      EXPECT_LE(a[1][idx(t)].reads, a[2][idx(t)].fills);
    }
    EXPECT_LE(a[1][idx(Tensor::O)].updates, a[2][idx(Tensor::O)].drains);
    for (int level = 0; level < 2; ++level)
      for (Tensor t : kAllTensors)
        EXPECT_LE(c.buffer_bytes[level][idx(t)],
                  level == 0 ? hw.l1_bytes[idx(t)] : hw.l2_bytes[idx(t)]);
    EXPECT_GT(c.energy_pj(), 0);
  }
  EXPECT_GT(evaluated, 4000);
}

TEST(CostModelProperty, RandomMappingIsDeterministicAndLegal) {
  const Layer layer = conv(64, 64, 56, 56, 3, 3, 1, 1);
  const HwConfig hw = *hw_preset("edge");
  for (uint64_t seed = 0; seed < 200; ++seed) {
    Expected<Mapping> a = random_mapping(layer, hw, seed);
    Expected<Mapping> b = random_mapping(layer, hw, seed);
    ASSERT_TRUE(a.ok());
    EXPECT_EQ(*a, *b);
    EXPECT_TRUE(evaluate(layer, hw, *a, Tech{}).status.ok());
  }
}

// Calibration scales each cause and adds the offset.
TEST(CostModelCalibration, AppliesPerCauseMultipliers) {
  const Layer layer = conv(8, 8, 6, 6, 3, 3);
  const HwConfig hw = big_buffers(2, 2, Dim::C, Dim::K);
  const Cost raw = evaluate(layer, hw, whole(layer), Tech{});
  Calibration cal;
  cal.compute = 2.0;
  cal.offset_cycles = 10;
  const Cost scaled = evaluate(layer, hw, whole(layer), Tech{}, &cal);
  EXPECT_EQ(scaled.cycles, raw.cycles + raw.breakdown.compute + 10);
  EXPECT_EQ(scaled.breakdown.compute, raw.breakdown.compute);
}

}  // namespace
}  // namespace af

namespace af {
namespace {

// The size limits of core/layer.h and HwConfig keep every int64 of the model exact: layers at
// the limits (2^40 MACs; stride 256 with large reloaded input tiles) on the largest, slowest
// hardware (2^16 cycles of DRAM latency, 1 byte per cycle) give positive cycles of at least
// MACs / PEs and below 2^59, never wrapped ones.
// Before the limits, fc 3e9 x 3e9 on tiny and gemm 1e6^3 gave negative cycles.
TEST(CostModelLimits, LayersAtTheLimitsDoNotWrap) {
  std::vector<Layer> layers;
  layers.push_back(*make_gemm("gemm", int64_t{1} << 20, int64_t{1} << 10, int64_t{1} << 10));
  layers.push_back(*make_fc("fc", 1, int64_t{1} << 40));
  layers.push_back(*make_fc("fc2", int64_t{1} << 20, int64_t{1} << 20));
  // 2^26 output channels over 4 x 64 x 64 outputs of a stride-256 1x1 conv: 2^40 MACs, 2^30
  // stored input words, reloaded once per output channel tile.
  layers.push_back(*make_conv("strided", 1, 1, int64_t{1} << 26, 4, 16129, 16129, 1, 1, 256, 256,
                              0, 0));
  layers.push_back(*make_conv("strided3", 1, 1, int64_t{1} << 20, 16, 16131, 16131, 3, 3, 256,
                              256, 0, 0));
  HwConfig slow = *hw_preset("tiny");
  slow.rows = slow.cols = 255;
  slow.l1_bytes = {131072, 131072, 524288};
  slow.l2_bytes = {33554430, 33554430, 33554430};
  slow.noc_words_per_cycle = 1;
  slow.dram_bytes_per_cycle = 1;
  slow.dram_latency_cycles = MAX_DRAM_LATENCY_CYCLES;
  ASSERT_TRUE(validate(slow).ok()) << validate(slow).message();
  HwConfig slow_rows = slow;
  slow_rows.row_dim = Dim::Y;
  slow_rows.col_dim = Dim::X;
  const HwConfig hws[] = {*hw_preset("tiny"), *hw_preset("cloud"), slow, slow_rows};
  Tech tech;
  tech.dram_pj_per_byte = tech.mac_pj = tech.noc_pj_per_byte = 1e6;
  tech.sram_pj_per_byte_at_8kib = tech.sram_min_pj_per_byte = 1e6;
  tech.mac_um2 = tech.sram_um2_per_bit = 1e6;
  ASSERT_TRUE(validate(tech).ok());
  Calibration largest;
  largest.compute = largest.input_wait = largest.output_wait = largest.dram_stall =
      largest.fill_drain = 100;
  largest.offset_cycles = 1e9;
  int evaluated = 0;
  for (const Layer& layer : layers) {
    ASSERT_TRUE(validate(layer).ok()) << layer.name << ": " << validate(layer).message();
    ASSERT_LE(layer.macs(), MAX_LAYER_MACS);
    for (const HwConfig& hw : hws) {
      std::vector<Mapping> mappings;
      for (uint64_t seed = 1; seed <= 12; ++seed) {
        Expected<Mapping> m = random_mapping(layer, hw, seed);
        if (m.ok()) mappings.push_back(*m);
      }
      // Unit tiles (the most tiles, so the most latencies) in a few orders, with the K loop
      // outermost (every input reloaded once per output channel) among them.
      for (const char* order : {"KNGCYXRS", "NGCYXRSK", "YXRSNGKC"}) {
        Mapping unit;
        unit.l2.order = unit.l1.order = *parse_order(order);
        mappings.push_back(unit);
        Mapping rows = unit;  // whole rows of outputs in L2: large strided input tiles
        rows.l2.tile[idx(Dim::Y)] = rows.l1.tile[idx(Dim::Y)] = layer[Dim::Y];
        mappings.push_back(rows);
      }
      for (const Mapping& m : mappings) {
        const Cost c = evaluate(layer, hw, m, tech);
        SCOPED_TRACE(layer.name + " on " + hw.name + ": " + mapping_to_yaml(m));
        EXPECT_GE(c.breakdown.compute, 0);
        EXPECT_GE(c.breakdown.input_wait, 0);
        EXPECT_GE(c.breakdown.output_wait, 0);
        EXPECT_GE(c.breakdown.dram_stall, 0);
        EXPECT_GE(c.breakdown.fill_drain, 0);
        EXPECT_TRUE(std::isfinite(c.energy_pj()));
        EXPECT_TRUE(std::isfinite(c.area_um2()));
        if (!c.status.ok()) continue;
        ++evaluated;
        EXPECT_EQ(c.macs, layer.macs());
        EXPECT_EQ(c.cycles, c.breakdown.total());
        EXPECT_GE(c.cycles, (layer.macs() + c.pes - 1) / c.pes);
        EXPECT_LT(c.cycles, int64_t{1} << 59);  // measured: at most ~2^56 (one latency per tile)
        EXPECT_GE(c.energy_pj(), 0);
        // The largest calibration the reader accepts (100 * 2^56 + 1e9 < 2^63; cost.cc also
        // clamps calibrated cycles at 2^62).
        const Cost cc = evaluate(layer, hw, m, tech, &largest);
        EXPECT_GE(cc.cycles, c.cycles);
      }
    }
  }
  EXPECT_GE(evaluated, 50);
}

// The random mapping's divisor search works at the largest extents (it overflowed, and hung,
// with v * v <= extent near INT64_MAX; at 2^40 it takes 2^20 steps).
TEST(CostModelLimits, RandomMappingAtTheLargestExtent) {
  const Layer layer = *make_fc("fc", 1, int64_t{1} << 40);
  for (uint64_t seed = 1; seed <= 8; ++seed) {
    Expected<Mapping> m = random_mapping(layer, *hw_preset("edge"), seed);
    ASSERT_TRUE(m.ok()) << m.status().message();
    EXPECT_TRUE(validate(*m, layer).ok()) << validate(*m, layer).message();
    EXPECT_TRUE(evaluate(layer, *hw_preset("edge"), *m, Tech{}).status.ok());
  }
}

TEST(CalibrationFile, RoundTripsAndRejectsBadFields) {
  Calibration c;
  c.compute = 1.25;
  c.dram_stall = 0.5;
  c.offset_cycles = -12;
  Expected<Calibration> back = parse_calibration_yaml(calibration_to_yaml(c), "c.yaml");
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->compute, 1.25);
  EXPECT_EQ(back->dram_stall, 0.5);
  EXPECT_EQ(back->offset_cycles, -12);
  struct Bad {
    const char* text;
    const char* prefix;
  } cases[] = {
      {"template_version: 1\ncompute: 1\nbogus: 2\n", "c.yaml:3: bogus: unknown field (allowed:"},
      {"compute: 1\n", "c.yaml:1: template_version: missing"},
      {"template_version: 2\n", "c.yaml:1: template_version: calibration is for another"},
      {"template_version: 1\ninput_wait: -1\n",
       "c.yaml:2: input_wait: negative factor -1 (allowed: a number > 0 and <= 100 (fitted factors "
       "are near 1))"},
      {"template_version: 1\nfill_drain: abc\n", "c.yaml:2: fill_drain: not a finite number: 'abc'"},
      // The reader rules of core/io.h, as for every other file.
      {"template_version: 1\ncompute: 2\ncompute: 3\n",
       "c.yaml:3: compute: duplicate field (first at line 2) (allowed: each field once)"},
      {"template_version: 1\ncompute: 2\n---\ncompute: 3\n",
       "c.yaml:3: yaml: more than one document (allowed: exactly one YAML document)"},
      {"template_version: 1\n{compute: 2\n", "c.yaml:3: yaml: syntax error: end of map flow not found (allowed: valid YAML)"},
      {"template_version: 1\n[a]: 2\n", "c.yaml:2: (document): key is a list (allowed: plain scalar keys)"},
      {"template_version: 1\ncompute: \"2\"\n", "c.yaml:2: compute: expected a number, found the quoted string '2'"},
      // Bounds: factors in (0, 100], |offset| <= 1e9.
      {"template_version: 1\ncompute: 1e300\n",
       "c.yaml:2: compute: factor 1e+300 above the limit 100 (allowed: a number > 0 and <= 100"},
      {"template_version: 1\ndram_stall: 100.5\n", "c.yaml:2: dram_stall: factor 100.5 above"},
      {"template_version: 1\noutput_wait: 0\n", "c.yaml:2: output_wait: zero factor"},
      {"template_version: 1\noffset_cycles: -2e9\n",
       "c.yaml:2: offset_cycles: offset -2e+09 too large (allowed: a number with |offset| <= 1e9)"},
      {"template_version: [1\n", "c.yaml:"},
      {",\n", "c.yaml:1:"},
  };
  for (const Bad& b : cases) {
    Expected<Calibration> r = parse_calibration_yaml(b.text, "c.yaml");
    ASSERT_FALSE(r.ok()) << b.text;
    EXPECT_EQ(r.status().message().rfind(b.prefix, 0), 0u) << r.status().message();
    EXPECT_EQ(r.status().message().find('\n'), std::string::npos);
    EXPECT_NE(r.status().message().find(" (allowed: "), std::string::npos) << r.status().message();
  }
  Expected<Calibration> edge =
      parse_calibration_yaml("template_version: 1\ncompute: 100\noffset_cycles: -1e9\n", "c.yaml");
  ASSERT_TRUE(edge.ok()) << edge.status().message();
  EXPECT_EQ(edge->compute, 100);
  EXPECT_EQ(edge->offset_cycles, -1e9);
}

}  // namespace
}  // namespace af
