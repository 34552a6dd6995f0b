// Unit tests of the testbench pieces that need no Verilator build: the golden convolution, the
// DRAM model's timing and ordering, the register programming, design manifests, and the test
// generators.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <set>
#include <string>

#include "core/io.h"
#include "sim/design.h"
#include "sim/golden.h"
#include "sim/harness.h"
#include "sim/memory.h"
#include "sim/program.h"
#include "sim/rtl_regs.h"
#include "sim/testgen.h"

namespace af::sim {
namespace {

Layer layer_of(DimArray dims, int64_t sy = 1, int64_t sx = 1, int64_t py = 0, int64_t px = 0) {
  Layer l;
  l.name = "t";
  l.dims = dims;
  l.stride_y = sy;
  l.stride_x = sx;
  l.pad_y = py;
  l.pad_x = px;
  return l;
}

// 1 input channel 3x3 (padded by 1 to 5x5 storage is not used here: pad 0), 2x2 filter, stride 1.
TEST(Golden, HandComputedConvolution) {
  const Layer l = layer_of({1, 1, 1, 1, 2, 2, 2, 2});
  LayerData d;
  d.weights = {1, 2, 3, 4};                  // [r][s]
  d.inputs = {1, 2, 3, 4, 5, 6, 7, 8, 9};    // [h][w], 3x3
  const std::vector<int32_t> o = golden_conv(l, d);
  ASSERT_EQ(o.size(), 4u);
  EXPECT_EQ(o[0], 1 * 1 + 2 * 2 + 3 * 4 + 4 * 5);
  EXPECT_EQ(o[1], 1 * 2 + 2 * 3 + 3 * 5 + 4 * 6);
  EXPECT_EQ(o[2], 1 * 4 + 2 * 5 + 3 * 7 + 4 * 8);
  EXPECT_EQ(o[3], 1 * 5 + 2 * 6 + 3 * 8 + 4 * 9);
}

TEST(Golden, SignedProductsAndStrideAndGroups) {
  // G=2 groups, K=1, C=1, 1x1 filter, stride 2 over a 3x3 input -> 2x2 outputs per group.
  const Layer l = layer_of({1, 2, 1, 1, 2, 2, 1, 1}, 2, 2);
  ASSERT_EQ(l.padded_h(), 3);
  LayerData d;
  d.weights = {-128, 3};
  d.inputs.assign(18, 0);
  for (int i = 0; i < 18; ++i) d.inputs[i] = static_cast<int8_t>(i % 2 ? -128 : 127 - i);
  const std::vector<int32_t> o = golden_conv(l, d);
  ASSERT_EQ(o.size(), 8u);
  // group 0 uses inputs (0,0) (0,2) (2,0) (2,2) = indices 0 2 6 8
  EXPECT_EQ(o[0], -128 * 127);
  EXPECT_EQ(o[1], -128 * 125);
  EXPECT_EQ(o[3], -128 * 119);
  // group 1: inputs 9 + {0 2 6 8} = 9 11 15 17 -> all odd -> -128
  EXPECT_EQ(o[4], 3 * -128);
}

TEST(Golden, WrapsAroundLikeInt32) {
  // 2^17 products of -128*-128 = 2^14 each: 2^31 wraps to INT32_MIN.
  const Layer l = layer_of({1, 1, 1, 1 << 17, 1, 1, 1, 1});
  LayerData d;
  d.weights.assign(1 << 17, -128);
  d.inputs.assign(1 << 17, -128);
  EXPECT_EQ(golden_conv(l, d)[0], std::numeric_limits<int32_t>::min());
}

TEST(Golden, PaddingBorderIsZeroAndDataIsSeeded) {
  Expected<Layer> l = make_conv("p", 1, 1, 2, 2, 4, 5, 3, 3, 1, 1, 1, 1);
  ASSERT_TRUE(l.ok());
  const LayerData a = make_layer_data(*l, 7), b = make_layer_data(*l, 7), c = make_layer_data(*l, 8);
  EXPECT_EQ(a.weights, b.weights);
  EXPECT_EQ(a.inputs, b.inputs);
  EXPECT_NE(a.inputs, c.inputs);
  const int64_t Hp = l->padded_h(), Wp = l->padded_w();
  ASSERT_EQ(Hp, 6);
  ASSERT_EQ(Wp, 7);
  int nonzero_inside = 0;
  for (int64_t ch = 0; ch < 2; ++ch)
    for (int64_t h = 0; h < Hp; ++h)
      for (int64_t w = 0; w < Wp; ++w) {
        const int8_t v = a.inputs[static_cast<size_t>((ch * Hp + h) * Wp + w)];
        const bool border = h == 0 || h == Hp - 1 || w == 0 || w == Wp - 1;
        if (border) {
          EXPECT_EQ(v, 0) << h << "," << w;
        } else {
          nonzero_inside += v != 0;
        }
      }
  EXPECT_GT(nonzero_inside, 30);
}

TEST(Dram, ReadLatencyOrderAndBeats) {
  DramModel m(64, /*latency=*/5, /*beat=*/4);
  for (int i = 0; i < 64; ++i) m.bytes()[i] = static_cast<uint8_t>(i);
  AfPins p{};
  // cycle 0: request 6 bytes at 10, cycle 1: request 2 bytes at 40
  m.drive(p, 0);
  EXPECT_EQ(p.mem_rd_valid, 0);
  p.mem_rd_req_valid = 1;
  p.mem_rd_req_addr = 10;
  p.mem_rd_req_bytes = 6;
  ASSERT_TRUE(m.observe(p, 0));
  m.drive(p, 1);
  p.mem_rd_req_addr = 40;
  p.mem_rd_req_bytes = 2;
  ASSERT_TRUE(m.observe(p, 1));
  p.mem_rd_req_valid = 0;
  std::vector<std::pair<int64_t, std::vector<uint8_t>>> beats;
  for (int64_t c = 2; c < 20; ++c) {
    m.drive(p, c);
    if (p.mem_rd_valid) beats.push_back({c, std::vector<uint8_t>(p.mem_rd_data, p.mem_rd_data + 4)});
    p.mem_rd_ready = 1;
    ASSERT_TRUE(m.observe(p, c));
  }
  ASSERT_EQ(beats.size(), 3u);
  EXPECT_EQ(beats[0].first, 5);  // accepted at 0, latency 5
  EXPECT_EQ(beats[1].first, 6);
  EXPECT_EQ(beats[2].first, 7);  // second request (due 6) follows back to back
  EXPECT_EQ(beats[0].second, (std::vector<uint8_t>{10, 11, 12, 13}));
  EXPECT_EQ(beats[1].second[0], 14);
  EXPECT_EQ(beats[1].second[1], 15);
  EXPECT_EQ(beats[2].second[0], 40);
  EXPECT_TRUE(m.idle());
}

TEST(Dram, WritesAndOutOfRange) {
  DramModel m(16, 1, 4);
  AfPins p{};
  m.drive(p, 0);
  EXPECT_EQ(p.mem_wr_ready, 1);
  p.mem_wr_valid = 1;
  p.mem_wr_addr = 12;
  p.mem_wr_bytes = 4;
  std::memcpy(p.mem_wr_data, "\x01\x02\x03\x04", 4);
  ASSERT_TRUE(m.observe(p, 0));
  EXPECT_EQ(m.bytes()[15], 4);
  p.mem_wr_addr = 13;
  EXPECT_FALSE(m.observe(p, 1));
  EXPECT_NE(m.error().find("out of range"), std::string::npos);
}

TEST(Dram, BackpressureWithholdsReadyAndData) {
  DramModel m(64, 0, 4);
  m.set_backpressure(100, 1);
  AfPins p{};
  m.drive(p, 0);
  EXPECT_EQ(p.mem_rd_req_ready, 0);
  EXPECT_EQ(p.mem_wr_ready, 0);
  p.mem_wr_valid = 1;  // not accepted: nothing written, no error
  p.mem_wr_addr = 0;
  p.mem_wr_bytes = 4;
  p.mem_wr_data[0] = 9;
  ASSERT_TRUE(m.observe(p, 0));
  EXPECT_EQ(m.bytes()[0], 0);
  EXPECT_EQ(m.write_bytes(), 0);
  m.set_backpressure(50, 2);
  int ready = 0;
  for (int c = 0; c < 1000; ++c) {
    m.drive(p, c);
    ready += p.mem_wr_ready;
  }
  EXPECT_GT(ready, 350);
  EXPECT_LT(ready, 650);
}

TEST(Program, OrderEncodingAndRegisters) {
  DimOrder o = {Dim::S, Dim::R, Dim::X, Dim::Y, Dim::C, Dim::K, Dim::G, Dim::N};
  EXPECT_EQ(encode_order(o), 0x01234567u);
  EXPECT_EQ(encode_order(kAllDims), 0x76543210u);
  Expected<Layer> l = make_conv("c", 1, 1, 3, 2, 5, 5, 3, 3, 2, 2, 1, 1);
  ASSERT_TRUE(l.ok());
  Mapping m;
  m.l2.tile = l->dims;
  m.l1.tile = {1, 1, 1, 1, 1, 1, 3, 3};
  const MemLayout mem = layout_for(*l);
  EXPECT_EQ(mem.base_w, 0u);
  EXPECT_EQ(mem.base_i % 64, 0u);
  EXPECT_GE(mem.base_i, static_cast<uint32_t>(l->tensor_words(Tensor::W)));
  EXPECT_GE(mem.base_o, mem.base_i + static_cast<uint32_t>(l->tensor_words(Tensor::I)));
  EXPECT_GE(mem.total_bytes, mem.base_o + 4 * static_cast<uint64_t>(l->tensor_words(Tensor::O)));
  std::set<uint8_t> addrs;
  for (const auto& [a, v] : register_writes(*l, m, mem)) {
    addrs.insert(a);
    if (a == regs::kStrideY) {
      EXPECT_EQ(v, 2u);
    } else if (a == regs::kDim0 + idx(Dim::K)) {
      EXPECT_EQ(v, 3u);
    } else if (a == regs::kT1_0 + idx(Dim::R)) {
      EXPECT_EQ(v, 3u);
    } else if (a == regs::kBaseO) {
      EXPECT_EQ(v, mem.base_o);
    }
  }
  EXPECT_EQ(addrs.size(), 24u + 4 + 3 + 2);  // dims, T2, T1; strides, pads; bases; orders
}

TEST(Design, ReferenceDesignManifestRoundTrip) {
  const std::string dir = std::string(AF_TEST_DESIGN_DIR) + "/unit_manifest";
  HwConfig hw = *hw_preset("tiny");
  ASSERT_TRUE(write_reference_design(hw, dir).ok());
  Expected<Design> d = load_design(dir);
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(d->top, "af_top");
  EXPECT_EQ(d->hw, hw);
  EXPECT_EQ(d->verilog.size(), 10u);
  EXPECT_EQ(d->top_params, top_params_for(hw));
  for (const std::string& f : d->verilog) EXPECT_TRUE(std::filesystem::exists(f)) << f;
}

TEST(Design, ManifestErrorsNameTheField) {
  const std::string dir = std::string(AF_TEST_DESIGN_DIR) + "/unit_bad_manifest";
  std::filesystem::create_directories(dir);
  ASSERT_TRUE(write_file_atomic(dir + "/manifest.yaml", "top: af_top\nhw: hw.yaml\n").ok());
  Expected<Design> d = load_design(dir);
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("verilog"), std::string::npos) << d.status().message();
  ASSERT_TRUE(write_file_atomic(dir + "/manifest.yaml", "verilog: [nope.v]\nhw: hw.yaml\n").ok());
  d = load_design(dir);
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("does not exist"), std::string::npos);
  HwConfig bad;
  bad.rows = 300;
  EXPECT_FALSE(write_reference_design(bad, dir + "/x").ok());
}

TEST(Limits, RtlFieldWidthsAreChecked) {
  Expected<Layer> ok = make_gemm("g", 5, 6, 7);
  ASSERT_TRUE(ok.ok());
  Mapping m;
  m.l2.tile = ok->dims;
  HwConfig hw;
  EXPECT_TRUE(check_rtl_limits(*ok, hw, m).ok());
  Expected<Layer> wide = make_gemm("w", 70000, 2, 2);
  ASSERT_TRUE(wide.ok());
  Mapping mw;
  mw.l2.tile = wide->dims;
  const Status s = check_rtl_limits(*wide, hw, mw);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("extent Y"), std::string::npos) << s.message();
  HwConfig big = hw;
  big.l2_bytes[0] = int64_t{1} << 26;
  EXPECT_FALSE(check_rtl_limits(*ok, big, m).ok());
  // The hardware limits are the HwConfig's own (one copy, core/template_constants.h): a half of
  // exactly 2^24 bytes would overflow the DMA's 24-bit counter increment.
  big.l2_bytes[0] = int64_t{1} << 25;
  EXPECT_NE(check_rtl_limits(*ok, big, m).message().find("rtl: l2_w_bytes: value 33554432 above "
                                                         "the template's limit 33554430"),
            std::string::npos)
      << check_rtl_limits(*ok, big, m).message();
}

TEST(Design, CacheKeyIsStable) {
  EXPECT_EQ(fnv1a(""), 0xcbf29ce484222325ull);
  EXPECT_EQ(fnv1a("a"), 0xaf63dc4c8601ec8cull);
  EXPECT_NE(fnv1a("af_top"), fnv1a("af_top "));
}

TEST(TestGen, LayersCoverKindsAndStaySmall) {
  std::set<std::string> kinds;
  bool stride2 = false, pad = false, grouped = false, dw = false, prime = false;
  for (int k = 0; k < kNumTestLayerKinds; ++k) {
    for (uint64_t s = 0; s < 20; ++s) {
      const Layer l = random_test_layer(static_cast<TestLayerKind>(k), s);
      ASSERT_TRUE(validate(l).ok()) << l.name;
      EXPECT_LE(l.macs(), 6000);
      kinds.insert(layer_kind_name(l.kind));
      stride2 |= l.stride_y == 2;
      pad |= l.pad_y > 0;
      grouped |= l[Dim::G] > 1 && l[Dim::K] > 1;
      dw |= l.kind == LayerKind::Depthwise;
      for (int64_t v : l.dims) prime |= v == 7 || v == 11 || v == 13;
    }
  }
  EXPECT_EQ(kinds.size(), 4u);  // conv, depthwise, gemm, fc
  EXPECT_TRUE(stride2 && pad && grouped && dw && prime);
}

TEST(TestGen, HwConfigsCoverEveryDataflow) {
  std::set<std::pair<int, int>> pairs;
  for (int i = 0; i < 56; ++i) {
    const HwConfig hw = random_test_hw(3, i);
    ASSERT_TRUE(validate(hw).ok()) << hw.name;
    EXPECT_NE(hw.row_dim, hw.col_dim);
    pairs.insert({idx(hw.row_dim), idx(hw.col_dim)});
  }
  EXPECT_EQ(pairs.size(), 56u);
}

}  // namespace
}  // namespace af::sim
