// Tests of the brute-force walker (tests/support/walker.h): cases worked out by hand from
// docs/template.md, and invariants over thousands of seeded random small layers and mappings.
// Dims as in core/dims.h (Y, X are OUTPUT rows / columns); layers are built field by field.
#include "tests/support/walker.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iostream>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/template_constants.h"
#include "tests/support/random_cases.h"

namespace af::test {
namespace {

using D = Dim;

Layer make_layer(DimArray dims, int64_t sy = 1, int64_t sx = 1, int64_t py = 0, int64_t px = 0) {
  Layer l;
  l.name = "t";
  l.dims = dims;
  l.stride_y = sy;
  l.stride_x = sx;
  l.pad_y = py;
  l.pad_x = px;
  return l;
}

int64_t product(const DimArray& a) {
  int64_t p = 1;
  for (int64_t v : a) p *= v;
  return p;
}

DimOrder order_of(const std::string& s) {
  DimOrder o{};
  for (int i = 0; i < kNumDims; ++i)
    o[i] = static_cast<Dim>(std::string("NGKCYXRS").find(s[static_cast<size_t>(i)]));
  return o;
}

HwConfig make_hw(int64_t rows, int64_t cols, Dim row_dim, Dim col_dim, int64_t noc = 1,
                 int64_t dram_bytes = 8, int64_t dram_latency = 20) {
  HwConfig hw;
  hw.rows = rows;
  hw.cols = cols;
  hw.row_dim = row_dim;
  hw.col_dim = col_dim;
  hw.noc_words_per_cycle = noc;
  hw.dram_bytes_per_cycle = dram_bytes;
  hw.dram_latency_cycles = dram_latency;
  return hw;
}

void expect_counts(const AccessCounts& a, int64_t reads, int64_t fills, int64_t updates,
                   int64_t drains, const char* where) {
  EXPECT_EQ(a.reads, reads) << where << " reads";
  EXPECT_EQ(a.fills, fills) << where << " fills";
  EXPECT_EQ(a.updates, updates) << where << " updates";
  EXPECT_EQ(a.drains, drains) << where << " drains";
}

void expect_cycles(const CycleBreakdown& b, int64_t compute, int64_t input_wait,
                   int64_t output_wait, int64_t dram_stall, int64_t fill_drain,
                   const char* which) {
  EXPECT_EQ(b.compute, compute) << which;
  EXPECT_EQ(b.input_wait, input_wait) << which;
  EXPECT_EQ(b.output_wait, output_wait) << which;
  EXPECT_EQ(b.dram_stall, dram_stall) << which;
  EXPECT_EQ(b.fill_drain, fill_drain) << which;
}

const AccessCounts& A(const WalkResult& r, Level level, Tensor t) {
  return r.accesses[static_cast<int>(level)][idx(t)];
}

// ---------------------------------------------------------------------------------------------
// Hand-computed cases (the arithmetic is in the comments).

// 1x1 array, one L2 tile, one step. K=C=Y=X=R=S=2: MACs 64, |W| 16, |I| 2*3*3 = 18, |O| 8.
// d_0 = max(16+2, 18+2) = 20, c_0 = 64, u = 8+2 = 10 -> C_0 = 94.
// DMA (8 B/cycle, latency 20): W one run of 16 B = 2 beats, I one run of 18 B = 3 beats, O
// cleared at the same rate as a psum fill (32 B = 4 beats): fill = 20 + 9 = 29; period = 94 + 1;
// drain = 8 words * 4 B = 4 beats. Total 128.
TEST(walker_hand, OneByOneArrayOneTile) {
  const Layer layer = make_layer({1, 1, 2, 2, 2, 2, 2, 2});
  const HwConfig hw = make_hw(1, 1, D::C, D::K);
  Mapping m;
  m.l2.tile = layer.dims;
  m.l1.tile = layer.dims;
  const WalkResult r = walk(layer, hw, m);
  EXPECT_EQ(r.macs, 64);
  EXPECT_EQ(r.l2_tiles, 1);
  EXPECT_EQ(r.steps, 1);
  expect_counts(A(r, Level::DRAM, Tensor::W), 16, 0, 0, 0, "DRAM W");
  expect_counts(A(r, Level::DRAM, Tensor::I), 18, 0, 0, 0, "DRAM I");
  expect_counts(A(r, Level::DRAM, Tensor::O), 0, 0, 8, 0, "DRAM O");
  expect_counts(A(r, Level::L2, Tensor::W), 16, 16, 0, 0, "L2 W");
  expect_counts(A(r, Level::L2, Tensor::I), 18, 18, 0, 0, "L2 I");
  expect_counts(A(r, Level::L2, Tensor::O), 0, 0, 8, 8, "L2 O");
  expect_counts(A(r, Level::L1, Tensor::W), 64, 16, 0, 0, "L1 W");
  expect_counts(A(r, Level::L1, Tensor::I), 64, 18, 0, 0, "L1 I");
  expect_counts(A(r, Level::L1, Tensor::O), 64, 0, 64, 8, "L1 O");
  EXPECT_EQ(r.buffer_bytes[0][0], 32);
  EXPECT_EQ(r.buffer_bytes[0][1], 36);
  EXPECT_EQ(r.buffer_bytes[0][2], 64);
  EXPECT_EQ(r.buffer_bytes[1], r.buffer_bytes[0]);
  expect_cycles(r.cycles, 64, 0, 0, 1, 63, "cycles");
  EXPECT_EQ(r.cycles.total(), 128);
}

// GEMM on a 2x2 array (rows = C, cols = K), exact division: K=C=4, Y=2, T1 = (K1, C1, Y2),
// steps (k,c) in order K outer, C inner: (0,0) (0,1) (1,0) (1,1).
// Per step: W 4 distinct 1-word tiles; I tiles (c, 2 y) shared along K: 2 distinct * 2 words
// (L1 fills 8); O (k, 2 y): reloaded at steps 0 and 2 only, fresh; collection 2 distinct * 2.
// c_j = 1*1*2 = 2, d_j = 4+2 = 6 (the O clear at step 2 is 4+2 too), u after step 1 = 6,
// u_last = 6. Periods: 6 6 6(tie d=u -> input) 2 = 20. C = 6+20+6 = 32.
// DMA: W 16 B = 2 beats, I 8 B = 1 beat, O clear 32 B = 4 beats: fill 27; period 33; drain 32 B
// = 4. Total 64.
TEST(walker_hand, TwoByTwoExactDivision) {
  const Layer layer = make_layer({1, 1, 4, 4, 2, 1, 1, 1});
  const HwConfig hw = make_hw(2, 2, D::C, D::K);
  Mapping m;
  m.l2.tile = layer.dims;
  m.l1.tile = {1, 1, 1, 1, 2, 1, 1, 1};
  m.l1.order = order_of("NGKCYXRS");
  const WalkResult r = walk(layer, hw, m);
  EXPECT_EQ(r.macs, 32);
  EXPECT_EQ(r.steps, 4);
  expect_counts(A(r, Level::DRAM, Tensor::W), 16, 0, 0, 0, "DRAM W");
  expect_counts(A(r, Level::DRAM, Tensor::I), 8, 0, 0, 0, "DRAM I");
  expect_counts(A(r, Level::DRAM, Tensor::O), 0, 0, 8, 0, "DRAM O");
  expect_counts(A(r, Level::L2, Tensor::W), 16, 16, 0, 0, "L2 W");
  expect_counts(A(r, Level::L2, Tensor::I), 16, 8, 0, 0, "L2 I");
  expect_counts(A(r, Level::L2, Tensor::O), 0, 0, 8, 8, "L2 O");
  expect_counts(A(r, Level::L1, Tensor::W), 32, 16, 0, 0, "L1 W");
  expect_counts(A(r, Level::L1, Tensor::I), 32, 32, 0, 0, "L1 I");
  expect_counts(A(r, Level::L1, Tensor::O), 32, 0, 32, 16, "L1 O");
  expect_cycles(r.cycles, 8, 12, 0, 1, 43, "cycles");
  EXPECT_EQ(r.cycles.total(), 64);
}

// Same GEMM with the reduction loop outside (order C outer, K inner): O reloads every step;
// steps 2 and 3 psum-fill 2 distinct 2-word tiles each (to the row-0 PE only).
// L2 O: reads 8 = updates 16 - |O| 8; L1 O fills 8, drains 4 steps * 4 PEs * 2 = 32.
// W reloads every step (16), I at steps 0 and 2 (2 * 4 words; L1 fills 2 * 8).
// d = 6 6 6 6 (O psum 4+2 = 6 at steps 2, 3), u after each step 6, u_last 6.
// Periods 6 6 6 6(u) = 24 (iw 12, ow 4): C = 36. DMA fill 27 (with the O clear), total
// 27 + 37 + 4 = 68.
TEST(walker_hand, TwoByTwoReductionOutside) {
  const Layer layer = make_layer({1, 1, 4, 4, 2, 1, 1, 1});
  const HwConfig hw = make_hw(2, 2, D::C, D::K);
  Mapping m;
  m.l2.tile = layer.dims;
  m.l1.tile = {1, 1, 1, 1, 2, 1, 1, 1};
  m.l1.order = order_of("NGCKYXRS");
  const WalkResult r = walk(layer, hw, m);
  EXPECT_EQ(r.macs, 32);
  expect_counts(A(r, Level::L2, Tensor::W), 16, 16, 0, 0, "L2 W");
  expect_counts(A(r, Level::L2, Tensor::I), 8, 8, 0, 0, "L2 I");
  expect_counts(A(r, Level::L2, Tensor::O), 8, 0, 16, 8, "L2 O");
  expect_counts(A(r, Level::L1, Tensor::W), 32, 16, 0, 0, "L1 W");
  expect_counts(A(r, Level::L1, Tensor::I), 32, 16, 0, 0, "L1 I");
  expect_counts(A(r, Level::L1, Tensor::O), 32, 8, 32, 32, "L1 O");
  expect_cycles(r.cycles, 8, 12, 4, 1, 43, "cycles");
  EXPECT_EQ(r.cycles.total(), 68);
}

// Ragged steps: K=3, Y=3 on a 2x2 array (rows = K, cols = Y), T1 = 1: steps (K outer, Y inner)
// [k0-1,y0-1] 4 PEs, [k0-1,y2] 2 PEs, [k2,y0-1] 2 PEs, [k2,y2] 1 PE: MACs 9.
// W (relevant K): loads at steps 0 (2 distinct, 4 PEs) and 2 (1 distinct, 2 PEs).
// I (relevant Y): every step, distinct per column: L2 2+1+2+1, L1 4+2+2+1.
// O: every step, fresh (cleared over the psum bus), all distinct: 4 2 2 1.
// c = 1 1 1 1; d = max(W/I, O clear) = 6 4 4 3; u after = 6 4 4, u_last 3.
// Periods: max(1,4,0)=4 iw3 | max(1,4,6)=6 ow5 | max(1,3,4)=4 ow3 | max(1,0,4)=4 ow3 -> 18
// DMA: W 3 B, I 3 B, O clear 36 B = 5 beats: fill 20 + 7 = 27; drain 5 beats. L1 fill/drain
// 6 + 3. Total 27 + 27 + 1 + 5 = 60.
TEST(walker_hand, RaggedSteps) {
  const Layer layer = make_layer({1, 1, 3, 1, 3, 1, 1, 1});
  const HwConfig hw = make_hw(2, 2, D::K, D::Y);
  Mapping m;
  m.l2.tile = layer.dims;
  m.l1.tile = {1, 1, 1, 1, 1, 1, 1, 1};
  m.l1.order = order_of("NGKCYXRS");
  const WalkResult r = walk(layer, hw, m);
  EXPECT_EQ(r.macs, 9);
  EXPECT_EQ(r.steps, 4);
  expect_counts(A(r, Level::L2, Tensor::W), 3, 3, 0, 0, "L2 W");
  expect_counts(A(r, Level::L2, Tensor::I), 6, 3, 0, 0, "L2 I");
  expect_counts(A(r, Level::L2, Tensor::O), 0, 0, 9, 9, "L2 O");
  expect_counts(A(r, Level::L1, Tensor::W), 9, 6, 0, 0, "L1 W");
  expect_counts(A(r, Level::L1, Tensor::I), 9, 9, 0, 0, "L1 I");
  expect_counts(A(r, Level::L1, Tensor::O), 9, 0, 9, 9, "L1 O");
  expect_cycles(r.cycles, 4, 3, 11, 1, 41, "cycles");
  EXPECT_EQ(r.cycles.total(), 60);
}

// Stride-2 padded 3x3 conv: input 5x5, pad 1 -> Y = X = 3, stored Hp = Wp = 7. 1x1 array.
// L2 tiles along Y: [0,2) and [2,3) (T2 Y=2, everything else full); T1 Y=1 -> 2 + 1 steps.
// L2: W 9 once; I tile 0 = ((2-1)*2+3) * 7 = 35, tile 1 = 3*7 = 21 (DRAM reads 56 >= 49);
// O 6 + 3, fresh. L1: W 9 per L2 tile (18); I 21 per step (63); O 3 per step.
// c = 27 per step; d = 23 (I), u = 3+2 = 5.
// L1: C_0 = 23 + 27 + 27 + 5 = 82, C_1 = 23 + 27 + 5 = 55.
// DMA: fill W 9 B = 2 beats, I one run of 35 B (w spans Wp, h does not span Hp) = 5 beats,
// O clear 24 B = 3 beats: 30. Tile 1 loads I 21 B = 3 beats + O clear 12 B = 2 beats. Store of
// tile 0: one run of 6 words = 24 B = 3 beats; final store 12 B = 2 beats.
// M_0 = 20+5 = 25 < C_0, M_1 = 3 (store of tile 0) < C_1. Total 30 + 83 + 56 + 2 = 171.
TEST(walker_hand, StrideTwoPaddedConv) {
  const Layer layer = make_layer({1, 1, 1, 1, 3, 3, 3, 3}, 2, 2, 1, 1);
  ASSERT_EQ(layer.padded_h(), 7);
  const HwConfig hw = make_hw(1, 1, D::C, D::K);
  Mapping m;
  m.l2.tile = {1, 1, 1, 1, 2, 3, 3, 3};
  m.l1.tile = {1, 1, 1, 1, 1, 3, 3, 3};
  const WalkResult r = walk(layer, hw, m);
  EXPECT_EQ(r.macs, 81);
  EXPECT_EQ(r.l2_tiles, 2);
  EXPECT_EQ(r.steps, 3);
  expect_counts(A(r, Level::DRAM, Tensor::W), 9, 0, 0, 0, "DRAM W");
  expect_counts(A(r, Level::DRAM, Tensor::I), 56, 0, 0, 0, "DRAM I");
  expect_counts(A(r, Level::DRAM, Tensor::O), 0, 0, 9, 0, "DRAM O");
  expect_counts(A(r, Level::L2, Tensor::W), 18, 9, 0, 0, "L2 W");
  expect_counts(A(r, Level::L2, Tensor::I), 63, 56, 0, 0, "L2 I");
  expect_counts(A(r, Level::L2, Tensor::O), 0, 0, 9, 9, "L2 O");
  expect_counts(A(r, Level::L1, Tensor::I), 81, 63, 0, 0, "L1 I");
  expect_counts(A(r, Level::L1, Tensor::O), 81, 0, 81, 9, "L1 O");
  EXPECT_EQ(r.buffer_bytes[1][0], 18);
  EXPECT_EQ(r.buffer_bytes[1][1], 70);
  EXPECT_EQ(r.buffer_bytes[1][2], 48);
  EXPECT_EQ(r.buffer_bytes[0][1], 42);
  EXPECT_EQ(r.buffer_bytes[0][2], 24);
  expect_cycles(r.cycles, 81, 0, 0, 2, 88, "cycles");
  EXPECT_EQ(r.cycles.total(), 171);
}

// Depthwise: G=4, K=C=1, Y=2, R=2 (Hp = 3) on a 2x2 array (rows = G, cols = Y), T1 = (G1, Y1,
// R2): two steps over G. W (g, 2 r) shared along Y: 2 distinct * 2 words per step (L1 4 * 2);
// I (g, y, 2 rows) all distinct: 8 per step. O 4 per step, fresh.
// c = 2, d = max(4+2, 8+2) = 10, u after step 0 = 6, u_last 6.
// Periods 10 (iw 8) + max(2, 0, 6) = 6 (ow 4): C = 32.
// DMA: W 8 B = 1 beat, I 12 B = 2 beats, O clear 32 B = 4 beats: fill 27; drain 4. Total 64.
TEST(walker_hand, Depthwise) {
  const Layer layer = make_layer({1, 4, 1, 1, 2, 1, 2, 1});
  const HwConfig hw = make_hw(2, 2, D::G, D::Y);
  Mapping m;
  m.l2.tile = layer.dims;
  m.l1.tile = {1, 1, 1, 1, 1, 1, 2, 1};
  const WalkResult r = walk(layer, hw, m);
  EXPECT_EQ(r.macs, 16);
  EXPECT_EQ(r.steps, 2);
  expect_counts(A(r, Level::DRAM, Tensor::W), 8, 0, 0, 0, "DRAM W");
  expect_counts(A(r, Level::DRAM, Tensor::I), 12, 0, 0, 0, "DRAM I");
  expect_counts(A(r, Level::L2, Tensor::W), 8, 8, 0, 0, "L2 W");
  expect_counts(A(r, Level::L2, Tensor::I), 16, 12, 0, 0, "L2 I");
  expect_counts(A(r, Level::L2, Tensor::O), 0, 0, 8, 8, "L2 O");
  expect_counts(A(r, Level::L1, Tensor::W), 16, 16, 0, 0, "L1 W");
  expect_counts(A(r, Level::L1, Tensor::I), 16, 16, 0, 0, "L1 I");
  expect_counts(A(r, Level::L1, Tensor::O), 16, 0, 16, 8, "L1 O");
  expect_cycles(r.cycles, 4, 8, 4, 1, 47, "cycles");
  EXPECT_EQ(r.cycles.total(), 64);
}

// Psum round trips through DRAM: GEMM K=2, C=4 on a 1x1 array, L2 tiles (C2, K1) in order C
// outer, K inner: (c0,k0) (c0,k1) (c1,k0) (c1,k1), one step each.
// DRAM: W 4*2 = 8, I 2*2 = 4, O reads 2 (tiles 2, 3) = updates 4 - |O| 2.
// Each L1 pipeline: d_0 = 4, c = 2, u_last = 3: C_i = 9.
// DMA beats (8 B): W tile = one 2-word run = 1, I = 1, O word = 1 (psum fill or clear). Loads
// per tile 3 2 3 2, stores after tiles 0 1 2 = 1 each, final store 1. Fill 23, drain 1.
// M = 22, 1+23, 1+22, 1 -> periods 23 25 24 10: total 106, dram_stall 46.
TEST(walker_hand, PsumThroughDram) {
  const Layer layer = make_layer({1, 1, 2, 4, 1, 1, 1, 1});
  const HwConfig hw = make_hw(1, 1, D::C, D::K);
  Mapping m;
  m.l2.tile = {1, 1, 1, 2, 1, 1, 1, 1};
  m.l2.order = order_of("NGCKYXRS");
  m.l1.tile = m.l2.tile;
  const WalkResult r = walk(layer, hw, m);
  EXPECT_EQ(r.macs, 8);
  EXPECT_EQ(r.l2_tiles, 4);
  expect_counts(A(r, Level::DRAM, Tensor::W), 8, 0, 0, 0, "DRAM W");
  expect_counts(A(r, Level::DRAM, Tensor::I), 4, 0, 0, 0, "DRAM I");
  expect_counts(A(r, Level::DRAM, Tensor::O), 2, 0, 4, 0, "DRAM O");
  expect_counts(A(r, Level::L2, Tensor::O), 2, 2, 4, 4, "L2 O");
  expect_counts(A(r, Level::L1, Tensor::O), 8, 2, 8, 4, "L1 O");
  expect_cycles(r.cycles, 8, 0, 0, 46, 52, "cycles");
  EXPECT_EQ(r.cycles.total(), 106);
}

// Multicast: FC with batch on the rows (irrelevant to W) and K on the columns (irrelevant to I).
// N=4, K=4, C=3 on a 4x4 array, T1 = (N1, K1, C3): one step. W: 4 distinct (k, 3 c) tiles of 3
// words = 12 L2 reads, 48 L1 fills; I: 4 distinct (n, 3 c) = 12 L2 reads, 48 L1 fills.
TEST(walker_hand, MulticastIrrelevantAxis) {
  const Layer layer = make_layer({4, 1, 4, 3, 1, 1, 1, 1});
  const HwConfig hw = make_hw(4, 4, D::N, D::K);
  Mapping m;
  m.l2.tile = layer.dims;
  m.l1.tile = {1, 1, 1, 3, 1, 1, 1, 1};
  const WalkResult r = walk(layer, hw, m);
  EXPECT_EQ(r.macs, 48);
  EXPECT_EQ(A(r, Level::L2, Tensor::W).reads, 12);
  EXPECT_EQ(A(r, Level::L1, Tensor::W).fills, 48);
  EXPECT_EQ(A(r, Level::L2, Tensor::I).reads, 12);
  EXPECT_EQ(A(r, Level::L1, Tensor::I).fills, 48);
  EXPECT_LT(A(r, Level::L2, Tensor::W).reads, A(r, Level::L1, Tensor::W).fills);
  EXPECT_EQ(A(r, Level::L2, Tensor::O).updates, 16);
  EXPECT_EQ(A(r, Level::L1, Tensor::O).drains, 16);
  // c = 3, d = 12 + 2 = 14, u = 16 + 2 = 18.
  EXPECT_EQ(r.cycles.compute, 3);
  // L1 fill: the O clear (16 words) is the longest, 16 + 2 = 18.
  // DMA fill: W 12 B + I 12 B + O clear 64 B = 2 + 2 + 8 beats after the latency; drain 8 beats.
  EXPECT_EQ(r.cycles.fill_drain, 20 + 12 + 18 + 18 + 8);
}

// Reduction on both axes (rows = C, cols = R): all 4 PEs of a step share one output word;
// collection = 1 word per step, L1 drains 4 per step, psum fill counted once.
TEST(walker_hand, ReductionOnBothAxes) {
  const Layer layer = make_layer({1, 1, 1, 4, 1, 1, 2, 1});
  const HwConfig hw = make_hw(2, 2, D::C, D::R);
  Mapping m;
  m.l2.tile = layer.dims;
  m.l1.tile = {1, 1, 1, 1, 1, 1, 1, 1};  // A: C 2, R 2 -> 2 steps over C
  const WalkResult r = walk(layer, hw, m);
  EXPECT_EQ(r.macs, 8);
  // Order NGKCYXRS: O is stationary over both steps (only C moves): one visit.
  expect_counts(A(r, Level::L2, Tensor::O), 0, 0, 1, 1, "L2 O");
  expect_counts(A(r, Level::L1, Tensor::O), 8, 0, 8, 4, "L1 O");
  // L2 tiles split C: O stays in L2 (no DRAM round trip) but leaves L1 at the end of each L2
  // tile and is psum-filled (1 word, once) into the second one.
  Mapping m2 = m;
  m2.l2.tile = {1, 1, 1, 2, 1, 1, 2, 1};
  const WalkResult r2 = walk(layer, hw, m2);
  expect_counts(A(r2, Level::L2, Tensor::O), 1, 0, 2, 1, "L2 O (split)");
  expect_counts(A(r2, Level::L1, Tensor::O), 8, 1, 8, 8, "L1 O (split)");
}

TEST(walker_hand, RejectsBadInput) {
  const Layer layer = make_layer({1, 1, 2, 2, 2, 2, 1, 1});
  Mapping m;
  m.l2.tile = layer.dims;
  m.l1.tile = layer.dims;
  EXPECT_THROW(walk(layer, make_hw(2, 2, D::K, D::K), m), std::invalid_argument);
  Mapping bad = m;
  bad.l1.tile[idx(D::K)] = 3;
  EXPECT_THROW(walk(layer, make_hw(2, 2, D::C, D::K), bad), std::invalid_argument);
  bad = m;
  bad.l2.order[0] = D::K;
  EXPECT_THROW(walk(layer, make_hw(2, 2, D::C, D::K), bad), std::invalid_argument);
}

// ---------------------------------------------------------------------------------------------
// Random small cases.

// Input words actually used by some MAC: distinct stored rows h = y*sy + r times columns.
int64_t input_footprint(const Layer& l) {
  std::set<int64_t> rows, cols;
  for (int64_t y = 0; y < l[D::Y]; ++y)
    for (int64_t r = 0; r < l[D::R]; ++r) rows.insert(y * l.stride_y + r);
  for (int64_t x = 0; x < l[D::X]; ++x)
    for (int64_t s = 0; s < l[D::S]; ++s) cols.insert(x * l.stride_x + s);
  return l[D::N] * l[D::G] * l[D::C] * static_cast<int64_t>(rows.size() * cols.size());
}

int64_t nominal_words(Tensor t, const DimArray& e, const Layer& l) {
  switch (t) {
    case Tensor::W:
      return e[idx(D::G)] * e[idx(D::K)] * e[idx(D::C)] * e[idx(D::R)] * e[idx(D::S)];
    case Tensor::I:
      return e[idx(D::N)] * e[idx(D::G)] * e[idx(D::C)] *
             ((e[idx(D::Y)] - 1) * l.stride_y + e[idx(D::R)]) *
             ((e[idx(D::X)] - 1) * l.stride_x + e[idx(D::S)]);
    case Tensor::O:
      return e[idx(D::N)] * e[idx(D::G)] * e[idx(D::K)] * e[idx(D::Y)] * e[idx(D::X)];
  }
  return 0;
}

// Upper bound on the number of array steps of a case (to keep the walk small).
int64_t step_bound(const Case& c) {
  int64_t steps = 1;
  for (int d = 0; d < kNumDims; ++d) {
    int64_t a = c.mapping.l1.tile[d];
    if (static_cast<Dim>(d) == c.hw.row_dim) a *= c.hw.rows;
    if (static_cast<Dim>(d) == c.hw.col_dim) a *= c.hw.cols;
    const int64_t t2 = c.mapping.l2.tile[d], n = c.layer.dims[d];
    steps *= ((n + t2 - 1) / t2) * ((t2 + a - 1) / a);
  }
  return steps;
}

void check_case(const Case& c) {
  const Layer& l = c.layer;
  WalkResult r;
  ASSERT_NO_THROW(r = walk(l, c.hw, c.mapping));

  const int64_t macs = product(l.dims);
  const int64_t w_words = l[D::G] * l[D::K] * l[D::C] * l[D::R] * l[D::S];
  const int64_t o_words = l[D::N] * l[D::G] * l[D::K] * l[D::Y] * l[D::X];
  const int64_t i_padded = l[D::N] * l[D::G] * l[D::C] * l.padded_h() * l.padded_w();
  EXPECT_EQ(r.macs, macs);

  auto at = [&](Level lv, Tensor t) -> const AccessCounts& { return A(r, lv, t); };
  // DRAM reads cover the touched footprint.
  EXPECT_GE(at(Level::DRAM, Tensor::W).reads, w_words);
  EXPECT_GE(at(Level::DRAM, Tensor::I).reads, input_footprint(l));
  // Level consistency.
  for (Tensor t : {Tensor::W, Tensor::I}) {
    EXPECT_EQ(at(Level::DRAM, t).reads, at(Level::L2, t).fills);
    EXPECT_LE(at(Level::L2, t).reads, at(Level::L1, t).fills);  // multicast
    EXPECT_EQ(at(Level::L1, t).reads, macs);
    EXPECT_EQ(at(Level::L1, t).updates, 0);
    EXPECT_EQ(at(Level::L1, t).drains, 0);
  }
  EXPECT_EQ(at(Level::L1, Tensor::O).reads, macs);
  EXPECT_EQ(at(Level::L1, Tensor::O).updates, macs);
  // Psum fills = drains - |O| at both boundaries.
  EXPECT_EQ(at(Level::DRAM, Tensor::O).reads, at(Level::DRAM, Tensor::O).updates - o_words);
  EXPECT_EQ(at(Level::L2, Tensor::O).fills, at(Level::L2, Tensor::O).drains - o_words);
  EXPECT_EQ(at(Level::DRAM, Tensor::O).updates, at(Level::L2, Tensor::O).drains);
  EXPECT_EQ(at(Level::L2, Tensor::O).reads, at(Level::L2, Tensor::O).updates - o_words);
  EXPECT_EQ(at(Level::L1, Tensor::O).fills, at(Level::L2, Tensor::O).reads);
  EXPECT_LE(at(Level::L2, Tensor::O).updates, at(Level::L1, Tensor::O).drains);  // reduction
  // One L2 tile: everything comes from DRAM exactly once.
  if (r.l2_tiles == 1) {
    EXPECT_EQ(at(Level::DRAM, Tensor::W).reads, w_words);
    EXPECT_EQ(at(Level::DRAM, Tensor::I).reads, i_padded);
    EXPECT_EQ(at(Level::DRAM, Tensor::O).updates, o_words);
  }
  // Buffers: the nominal (first, unclipped) tile is the largest.
  for (Tensor t : kAllTensors) {
    EXPECT_EQ(r.buffer_bytes[0][idx(t)],
              2 * nominal_words(t, c.mapping.l1.tile, l) * word_bytes(t));
    EXPECT_EQ(r.buffer_bytes[1][idx(t)],
              2 * nominal_words(t, c.mapping.l2.tile, l) * word_bytes(t));
  }
  // Cycles (walk() itself checks that the causes sum to the schedule it stepped through).
  const int64_t pes = c.hw.pes();
  const CycleBreakdown& b = r.cycles;
  EXPECT_GE(b.compute, 0);
  EXPECT_GE(b.input_wait, 0);
  EXPECT_GE(b.output_wait, 0);
  EXPECT_GE(b.dram_stall, r.l2_tiles * L2_TILE_OVERHEAD_CYCLES);
  EXPECT_GT(b.fill_drain, 0);
  EXPECT_GE(b.compute * pes, macs);  // utilization <= 1
  EXPECT_GE(b.total() * pes, macs);
  EXPECT_GE(b.compute, r.steps);
  EXPECT_GE(r.l2_tiles, 1);
  EXPECT_GE(r.steps, r.l2_tiles);
}

void run_random(uint64_t seed0, int cases, bool large) {
  int checked = 0;
  for (int i = 0; i < cases; ++i) {
    const Case c = random_case(seed0 + static_cast<uint64_t>(i), large);
    if (step_bound(c) > 50000) continue;
    SCOPED_TRACE("seed " + std::to_string(seed0 + static_cast<uint64_t>(i)) + ": " +
                 c.describe());
    check_case(c);
    ++checked;
    if (::testing::Test::HasFailure()) break;
  }
  EXPECT_GT(checked, cases / 2);
}

TEST(walker_random, Invariants) { run_random(0x5eed0000u, 3000, false); }

TEST(walker_random, InvariantsLarger) { run_random(0x1a7e0000u, 400, true); }

// The same seed gives the same result.
TEST(walker_random, Deterministic) {
  for (int i = 0; i < 50; ++i) {
    const Case a = random_case(777 + static_cast<uint64_t>(i));
    const Case b = random_case(777 + static_cast<uint64_t>(i));
    const WalkResult ra = walk(a.layer, a.hw, a.mapping);
    const WalkResult rb = walk(b.layer, b.hw, b.mapping);
    EXPECT_EQ(ra.accesses, rb.accesses);
    EXPECT_EQ(ra.cycles.total(), rb.cycles.total());
  }
}

}  // namespace
}  // namespace af::test
