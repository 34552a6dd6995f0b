// Unit tests of the core vocabulary: dimension letters and orders, layer builders (conv with
// stride and padding, grouped, depthwise, GEMM, FC, batch), layer/workload/mapping validation.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

#include "core/dims.h"
#include "core/layer.h"
#include "core/mapping.h"
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

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

// ---- dims ---------------------------------------------------------------------------------

TEST(core_Dims, ParseDimAcceptsBothCases) {
  for (Dim d : kAllDims) {
    const char upper = dim_char(d);
    const char lower = static_cast<char>(upper - 'A' + 'a');
    EXPECT_EQ(parse_dim(std::string(1, upper)), d);
    EXPECT_EQ(parse_dim(std::string(1, lower)), d);
  }
  EXPECT_FALSE(parse_dim(""));
  EXPECT_FALSE(parse_dim("Q"));
  EXPECT_FALSE(parse_dim("KK"));
  EXPECT_FALSE(parse_dim(" K"));
}

TEST(core_Dims, OrderStringAndParse) {
  EXPECT_EQ(order_string(kAllDims), "NGKCYXRS");
  const auto o = parse_order("sRxYcKgN");
  ASSERT_TRUE(o);
  EXPECT_EQ(order_string(*o), "SRXYCKGN");
  EXPECT_TRUE(is_valid_order(*o));
  EXPECT_FALSE(parse_order("NGKCYXRR"));   // repeats R, misses S
  EXPECT_FALSE(parse_order("NGKCYXR"));    // 7 letters
  EXPECT_FALSE(parse_order("NGKCYXRSN"));  // 9 letters
  EXPECT_FALSE(parse_order("NGKCYXRQ"));   // not a dimension
  DimOrder bad = kAllDims;
  bad[3] = Dim::N;
  EXPECT_FALSE(is_valid_order(bad));
}

TEST(core_Dims, RelevanceTable) {
  // Weights: G K C R S; inputs: N G C Y X R S; outputs: N G K Y X.
  EXPECT_TRUE(relevant(Tensor::W, Dim::K));
  EXPECT_FALSE(relevant(Tensor::W, Dim::N));
  EXPECT_FALSE(relevant(Tensor::I, Dim::K));
  EXPECT_TRUE(relevant(Tensor::I, Dim::R));
  EXPECT_FALSE(relevant(Tensor::O, Dim::C));
  EXPECT_TRUE(is_reduction(Dim::S));
  EXPECT_FALSE(is_reduction(Dim::Y));
}

// ---- builders ------------------------------------------------------------------------------

TEST(core_Layer, ConvWithStrideAndPadding) {
  // ResNet stem: 224x224x3 -> 112x112x64, 7x7/2, pad 3.
  auto l = make_conv("conv1", 1, 1, 64, 3, 224, 224, 7, 7, 2, 2, 3, 3);
  ASSERT_TRUE(l.ok()) << ErrorOf(l);
  EXPECT_EQ(l->name, "conv1");
  EXPECT_EQ(l->kind, LayerKind::Conv);
  EXPECT_EQ(l->dims, (DimArray{1, 1, 64, 3, 112, 112, 7, 7}));
  EXPECT_EQ(l->stride_y, 2);
  EXPECT_EQ(l->pad_x, 3);
  EXPECT_EQ(l->macs(), int64_t{64} * 3 * 112 * 112 * 49);
  // Stored padded input covers exactly what the outputs read: (112-1)*2 + 7 = 229 rows.
  EXPECT_EQ(l->padded_h(), 229);
  EXPECT_EQ(l->padded_w(), 229);
  // The real input implied by the shape is 229 - 6 = 223 (the 224th row is never read).
  EXPECT_EQ(l->input_h(), 223);
  EXPECT_EQ(l->tensor_words(Tensor::W), 64 * 3 * 49);
  EXPECT_EQ(l->tensor_words(Tensor::I), 3 * 229 * 229);
  EXPECT_EQ(l->tensor_words(Tensor::O), 64 * 112 * 112);
  EXPECT_TRUE(validate(*l).ok());
}

TEST(core_Layer, ConvOutputSizeFormula) {
  // Y = (h + 2p - r) / s + 1, rounded down.
  struct Case {
    int64_t h, r, s, p, y;
  } cases[] = {{224, 3, 2, 1, 112}, {7, 3, 1, 1, 7}, {56, 1, 2, 0, 28}, {5, 5, 1, 0, 1},
               {10, 3, 3, 0, 3},    {1, 3, 1, 1, 1}, {8, 2, 2, 1, 5}};
  for (const Case& c : cases) {
    auto l = make_conv("x", 1, 1, 1, 1, c.h, c.h, c.r, c.r, c.s, c.s, c.p, c.p);
    ASSERT_TRUE(l.ok()) << ErrorOf(l);
    EXPECT_EQ((*l)[Dim::Y], c.y) << "h=" << c.h << " r=" << c.r << " s=" << c.s << " p=" << c.p;
    EXPECT_EQ((*l)[Dim::X], c.y);
    // Rebuilding from the implied real input gives the same layer.
    auto again = make_conv("x", 1, 1, 1, 1, l->input_h(), l->input_w(), c.r, c.r, c.s, c.s, c.p,
                           c.p);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(*again, *l);
  }
}

TEST(core_Layer, RectangularStridePaddingAndFilter) {
  auto l = make_conv("rect", 1, 1, 8, 4, 20, 30, 3, 1, 2, 1, 1, 0);
  ASSERT_TRUE(l.ok()) << ErrorOf(l);
  EXPECT_EQ((*l)[Dim::Y], (20 + 2 - 3) / 2 + 1);
  EXPECT_EQ((*l)[Dim::X], 30);
  EXPECT_EQ((*l)[Dim::R], 3);
  EXPECT_EQ((*l)[Dim::S], 1);
  EXPECT_EQ(l->stride_y, 2);
  EXPECT_EQ(l->stride_x, 1);
  EXPECT_EQ(l->pad_y, 1);
  EXPECT_EQ(l->pad_x, 0);
}

TEST(core_Layer, GroupedConvAndBatch) {
  // ResNeXt 3x3 of layer1: 128 channels in 32 groups of 4, batch 8.
  auto l = make_conv("g", 8, 32, 4, 4, 56, 56, 3, 3, 1, 1, 1, 1);
  ASSERT_TRUE(l.ok()) << ErrorOf(l);
  EXPECT_EQ(l->dims, (DimArray{8, 32, 4, 4, 56, 56, 3, 3}));
  EXPECT_EQ(l->macs(), int64_t{8} * 32 * 4 * 4 * 56 * 56 * 9);
  EXPECT_EQ(l->tensor_words(Tensor::W), 32 * 4 * 4 * 9);
  EXPECT_EQ(l->tensor_words(Tensor::I), 8 * 32 * 4 * 58 * 58);
  EXPECT_EQ(l->tensor_words(Tensor::O), 8 * 32 * 4 * 56 * 56);
}

TEST(core_Layer, Depthwise) {
  auto l = make_depthwise("dw", 2, 96, 112, 112, 3, 3, 2, 1);
  ASSERT_TRUE(l.ok()) << ErrorOf(l);
  EXPECT_EQ(l->kind, LayerKind::Depthwise);
  EXPECT_EQ(l->dims, (DimArray{2, 96, 1, 1, 56, 56, 3, 3}));
  EXPECT_EQ(l->stride_x, 2);
  EXPECT_EQ(l->pad_y, 1);
  EXPECT_EQ(l->macs(), int64_t{2} * 96 * 56 * 56 * 9);
}

TEST(core_Layer, Gemm) {
  // out[m][n] = sum_k a[m][k] b[k][n]: K := n, C := k, Y := m; batch -> N.
  auto l = make_gemm("qk", 512, 768, 64, 12);
  ASSERT_TRUE(l.ok()) << ErrorOf(l);
  EXPECT_EQ(l->kind, LayerKind::Gemm);
  EXPECT_EQ(l->dims, (DimArray{12, 1, 768, 64, 512, 1, 1, 1}));
  EXPECT_EQ(l->macs(), int64_t{12} * 512 * 768 * 64);
  auto one = make_gemm("g", 3, 4, 5);
  ASSERT_TRUE(one.ok());
  EXPECT_EQ((*one)[Dim::N], 1);
}

TEST(core_Layer, Fc) {
  // FC = GEMM with M = 1 (times batch N): K := out, C := in.
  auto l = make_fc("fc", 1000, 2048, 4);
  ASSERT_TRUE(l.ok()) << ErrorOf(l);
  EXPECT_EQ(l->kind, LayerKind::Fc);
  EXPECT_EQ(l->dims, (DimArray{4, 1, 1000, 2048, 1, 1, 1, 1}));
  EXPECT_EQ(l->macs(), int64_t{4} * 1000 * 2048);
  auto b1 = make_fc("fc", 10, 20);
  ASSERT_TRUE(b1.ok());
  EXPECT_EQ((*b1)[Dim::N], 1);
}

TEST(core_Layer, KindNames) {
  EXPECT_STREQ(layer_kind_name(LayerKind::Conv), "conv");
  EXPECT_STREQ(layer_kind_name(LayerKind::Depthwise), "depthwise");
  EXPECT_STREQ(layer_kind_name(LayerKind::Gemm), "gemm");
  EXPECT_STREQ(layer_kind_name(LayerKind::Fc), "fc");
}

TEST(core_Layer, BuilderErrorsNameTheField) {
  struct Case {
    Expected<Layer> layer;
    const char* prefix;
  };
  const Case cases[] = {
      {make_conv("x", 0, 1, 1, 1, 8, 8, 3, 3, 1, 1, 0, 0), "n: zero value (allowed: integer >= 1)"},
      {make_conv("x", 1, -2, 1, 1, 8, 8, 3, 3, 1, 1, 0, 0), "g: negative value -2"},
      {make_conv("x", 1, 1, 0, 1, 8, 8, 3, 3, 1, 1, 0, 0), "k: zero value"},
      {make_conv("x", 1, 1, 1, 0, 8, 8, 3, 3, 1, 1, 0, 0), "c: zero value"},
      {make_conv("x", 1, 1, 1, 1, 0, 8, 3, 3, 1, 1, 0, 0), "h: zero value"},
      {make_conv("x", 1, 1, 1, 1, 8, -8, 3, 3, 1, 1, 0, 0), "w: negative value -8"},
      {make_conv("x", 1, 1, 1, 1, 8, 8, 0, 3, 1, 1, 0, 0), "r: zero value"},
      {make_conv("x", 1, 1, 1, 1, 8, 8, 3, 0, 1, 1, 0, 0), "s: zero value"},
      {make_conv("x", 1, 1, 1, 1, 8, 8, 3, 3, 0, 1, 0, 0), "stride_y: zero value"},
      {make_conv("x", 1, 1, 1, 1, 8, 8, 3, 3, 1, -1, 0, 0), "stride_x: negative value -1"},
      {make_conv("x", 1, 1, 1, 1, 8, 8, 3, 3, 1, 1, -1, 0), "pad_y: negative value -1 (allowed: integer >= 0)"},
      {make_conv("x", 1, 1, 1, 1, 8, 8, 3, 3, 1, 1, 3, 0), "pad_y: padding 3 not smaller than the filter height 3 (allowed: 0 <= pad_y < r)"},
      {make_conv("x", 1, 1, 1, 1, 8, 8, 3, 1, 1, 1, 0, 1), "pad_x: padding 1 not smaller than the filter width 1"},
      {make_conv("x", 1, 1, 1, 1, 4, 8, 7, 3, 1, 1, 1, 0), "r: filter height 7 larger than the padded input height 6 (h + 2*pad_y) (allowed: r <= h + 2*pad_y)"},
      {make_conv("x", 1, 1, 1, 1, 8, 2, 3, 3, 1, 1, 0, 0), "s: filter width 3 larger than the padded input width 2"},
      {make_depthwise("x", 1, 0, 8, 8, 3, 3, 1, 1), "channels: zero value"},
      {make_gemm("x", 0, 1, 1), "m: zero value"},
      {make_gemm("x", 1, -1, 1), "n: negative value -1"},
      {make_gemm("x", 1, 1, 0), "k: zero value"},
      {make_gemm("x", 1, 1, 1, 0), "batch: zero value"},
      {make_fc("x", 0, 1), "out: zero value"},
      {make_fc("x", 1, 0), "in: zero value"},
      {make_fc("x", 1, 1, -3), "batch: negative value -3"},
  };
  for (const Case& c : cases) {
    ASSERT_FALSE(c.layer.ok()) << c.prefix;
    EXPECT_TRUE(StartsWith(c.layer.status().message(), c.prefix));
  }
}

TEST(core_Layer, MacOverflowIsRejected) {
  const int64_t big = int64_t{1} << 31;
  auto g = make_gemm("huge", big, big, big);  // 2^93 MACs
  ASSERT_FALSE(g.ok());
  EXPECT_TRUE(StartsWith(g.status().message(), "macs: MAC count N*G*K*C*Y*X*R*S overflows int64"));
  auto f = make_fc("huge", big, big, big);
  ASSERT_FALSE(f.ok());
  EXPECT_TRUE(StartsWith(f.status().message(), "macs: "));
  auto c2 = make_conv("huge", 1 << 20, 1 << 20, 1 << 20, 8, 1, 1, 1, 1, 1, 1, 0, 0);  // 2^63
  ASSERT_FALSE(c2.ok());
  EXPECT_TRUE(StartsWith(c2.status().message(), "macs: "));
  // Overflowing input sizes are caught before any arithmetic wraps.
  auto c3 = make_conv("huge", 1, 1, 1, 1, kMax, 8, 3, 3, 1, 1, 1, 1);
  ASSERT_FALSE(c3.ok());
  EXPECT_TRUE(StartsWith(c3.status().message(), "h: padded input height h + 2*pad_y overflows"));
}

// The limits of core/layer.h: 2^40 MACs and tensor words per layer, stride <= 256, 2^40 MACs per
// workload. Layers beyond them made the cost model wrap (negative cycles) or hang.
TEST(core_Layer, SizeLimitsKeepTheCostModelInInt64) {
  const int64_t k40 = int64_t{1} << 40;
  auto at = make_gemm("at", int64_t{1} << 20, int64_t{1} << 10, int64_t{1} << 10);  // 2^40
  ASSERT_TRUE(at.ok()) << ErrorOf(at);
  EXPECT_EQ(at->macs(), k40);
  auto over = make_gemm("over", (int64_t{1} << 20) + 1, int64_t{1} << 10, int64_t{1} << 10);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.status().message(),
            "macs: MAC count N*G*K*C*Y*X*R*S = 1099512676352, above the limit 1099511627776 "
            "(allowed: a product <= 1099511627776 (2^40))");
  // The reviewer's cases: fc 3e9 x 3e9 and gemm 1e6^3.
  EXPECT_FALSE(make_fc("a", 3000000000, 3000000000).ok());
  EXPECT_FALSE(make_gemm("a", 1000000, 1000000, 1000000).ok());
  // Stride.
  EXPECT_TRUE(make_conv("s", 1, 1, 1, 1, 1000, 1000, 3, 3, 256, 256, 0, 0).ok());
  auto s = make_conv("s", 1, 1, 1, 1, 1000, 1000, 3, 3, 257, 1, 0, 0);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(),
            "stride_y: stride 257 above the limit 256 (allowed: integer 1..256)");
  // An input tensor beyond 2^40 words with few MACs (stride 256, 1x1 filter).
  Layer in;
  in.dims = {1, 1, 1, 1, int64_t{1} << 17, int64_t{1} << 17, 1, 1};
  in.stride_y = in.stride_x = 256;
  const Status si = validate(in);
  ASSERT_FALSE(si.ok());
  EXPECT_TRUE(StartsWith(si.message(), "inputs: input tensor size N*G*C*Hp*Wp (padded) = "))
      << si.message();
  // Weights and outputs are sub-products of the MACs; checked all the same.
  Layer w;
  w.kind = LayerKind::Gemm;
  w.dims = {1, 1, int64_t{1} << 21, int64_t{1} << 20, 1, 1, 1, 1};
  EXPECT_TRUE(StartsWith(validate(w).message(), "macs: "));
  // A workload's total.
  Workload wl;
  wl.name = "two";
  wl.layers = {at.value(), at.value()};
  wl.layers[1].name = "at2";
  const Status sw = validate(wl);
  ASSERT_FALSE(sw.ok());
  EXPECT_EQ(sw.message(),
            "layers[1].macs: the workload's MACs reach 2199023255552 with this layer, above the "
            "limit 1099511627776 (allowed: at most 1099511627776 (2^40) MACs in all the layers of "
            "a workload)");
  wl.layers.pop_back();
  EXPECT_TRUE(validate(wl).ok());
  // The zoo is far below the limits.
  for (const std::string& name : zoo_names()) {
    auto z = zoo_model(name);
    ASSERT_TRUE(z.has_value()) << name;
    EXPECT_TRUE(validate(*z).ok()) << name << ": " << validate(*z).message();
  }
}

TEST(core_Layer, MacsSaturatesInsteadOfWrapping) {
  Layer l;
  l.dims = {kMax, 2, 1, 1, 1, 1, 1, 1};
  EXPECT_EQ(l.macs(), kMax);
  EXPECT_FALSE(validate(l).ok());
  Workload w;
  Layer a;
  a.dims = {int64_t{1} << 62, 1, 1, 1, 1, 1, 1, 1};
  w.layers = {a, a, a};
  EXPECT_EQ(w.macs(), kMax);
}

TEST(core_Layer, ValidateChecksDirectlyBuiltLayers) {
  Layer l;  // the default layer is a valid 1x1x1 conv
  EXPECT_TRUE(validate(l).ok());
  struct Case {
    void (*edit)(Layer&);
    const char* prefix;
  };
  const Case cases[] = {
      {[](Layer& x) { x.dims[idx(Dim::K)] = 0; }, "k: zero value"},
      {[](Layer& x) { x.dims[idx(Dim::Y)] = -1; }, "y: negative value -1"},
      {[](Layer& x) { x.stride_x = 0; }, "stride_x: zero value"},
      {[](Layer& x) { x.pad_y = -1; }, "pad_y: negative value -1"},
      {[](Layer& x) { x.pad_y = 1; }, "pad_y: padding 1 not smaller than the filter height 1"},
      {[](Layer& x) {  // Y=1, R=2, pad 1: the stored 2 rows are both padding
         x.dims[idx(Dim::R)] = 2;
         x.pad_y = 1;
       },
       "pad_y: padding 1 on both sides of a stored input of 2 rows leaves no real input row"},
      {[](Layer& x) {
         x.dims[idx(Dim::Y)] = kMax / 2;
         x.stride_y = 4;
       },
       "y: padded input height (Y-1)*stride_y + R overflows int64"},
      {[](Layer& x) {
         x.kind = LayerKind::Depthwise;
         x.dims[idx(Dim::K)] = 2;
       },
       "k: depthwise layer with K = 2 (allowed: K = 1 for depthwise layers)"},
      {[](Layer& x) {
         x.kind = LayerKind::Gemm;
         x.dims[idx(Dim::X)] = 3;
       },
       "x: gemm layer with X = 3"},
      {[](Layer& x) {
         x.kind = LayerKind::Gemm;
         x.stride_y = 2;
       },
       "stride_y: gemm layer with a stride"},
      {[](Layer& x) {
         x.kind = LayerKind::Fc;
         x.dims[idx(Dim::Y)] = 5;
       },
       "y: fc layer with Y = 5"},
      {[](Layer& x) { x.kind = static_cast<LayerKind>(9); }, "kind: unknown layer kind 9"},
  };
  for (const Case& c : cases) {
    Layer x;
    c.edit(x);
    const Status s = validate(x);
    ASSERT_FALSE(s.ok()) << c.prefix;
    EXPECT_TRUE(StartsWith(s.message(), c.prefix));
  }
}

TEST(core_Layer, WorkloadValidationAndMacs) {
  Workload w;
  w.name = "w";
  EXPECT_TRUE(StartsWith(validate(w).message(), "layers: empty workload"));
  w.layers.push_back(make_fc("a", 10, 20).value());
  w.layers.push_back(make_gemm("b", 2, 3, 4).value());
  EXPECT_TRUE(validate(w).ok());
  EXPECT_EQ(w.macs(), 200 + 24);
  w.layers.push_back(make_fc("a", 1, 1).value());
  EXPECT_TRUE(StartsWith(validate(w).message(), "layers[2].name: duplicate name 'a' (also layers[0])"));
  w.layers[2].name = "";
  EXPECT_TRUE(StartsWith(validate(w).message(), "layers[2].name: empty name"));
  w.layers[2].name = "c";
  w.layers[2].stride_x = 0;
  EXPECT_TRUE(StartsWith(validate(w).message(), "layers[2].stride_x: zero value"));
}

TEST(core_Layer, Equality) {
  Layer a = make_conv("a", 1, 1, 2, 3, 8, 8, 3, 3, 1, 1, 1, 1).value();
  Layer b = a;
  EXPECT_EQ(a, b);
  b.pad_x = 0;
  EXPECT_NE(a, b);
  b = a;
  b.name = "b";
  EXPECT_NE(a, b);
  b = a;
  b.kind = LayerKind::Depthwise;
  EXPECT_NE(a, b);
}

// ---- mapping ----------------------------------------------------------------------------------

TEST(core_Mapping, ValidateStructure) {
  const Layer l = make_conv("l", 1, 1, 64, 32, 56, 56, 3, 3, 1, 1, 1, 1).value();
  Mapping m;
  EXPECT_TRUE(validate(m, l).ok());  // all-1 tiles, default orders
  m.l2.tile = l.dims;
  m.l1.tile = {1, 1, 7, 5, 3, 56, 3, 1};  // ragged tiles are legal
  EXPECT_TRUE(validate(m, l).ok());

  Mapping bad = m;
  bad.l2.tile[idx(Dim::K)] = 65;
  EXPECT_TRUE(StartsWith(validate(bad, l).message(),
                         "l2.tile.K: tile 65 larger than the layer extent 64 (allowed: 1..64)"));
  bad = m;
  bad.l2.tile[idx(Dim::C)] = 4;
  EXPECT_TRUE(StartsWith(validate(bad, l).message(),
                         "l1.tile.C: tile 5 larger than the L2 tile 4 (allowed: 1..4)"));
  bad = m;
  bad.l1.tile[idx(Dim::X)] = 0;
  EXPECT_TRUE(StartsWith(validate(bad, l).message(), "l1.tile.X: zero value"));
  bad = m;
  bad.l2.tile[idx(Dim::N)] = -1;
  EXPECT_TRUE(StartsWith(validate(bad, l).message(), "l2.tile.N: negative value -1"));
  bad = m;
  bad.l1.order[0] = Dim::S;
  EXPECT_TRUE(StartsWith(validate(bad, l).message(),
                         "l1.order: 'SGKCYXRS' is not a permutation"));
  bad = m;
  bad.l2.order[7] = Dim::N;
  EXPECT_TRUE(StartsWith(validate(bad, l).message(), "l2.order: "));
}

TEST(core_Mapping, Equality) {
  Mapping a, b;
  EXPECT_EQ(a, b);
  b.l1.order = *parse_order("SRXYCKGN");
  EXPECT_NE(a, b);
  b = a;
  b.l2.tile[3] = 2;
  EXPECT_NE(a, b);
}

}  // namespace
}  // namespace af
