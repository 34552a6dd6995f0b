// Layer (one convolution-like operator) and Workload (a named list of layers).
// Extents are stored as the 8 loop dimensions; stride and padding ride along. Inputs are stored
// padded (docs/template.md section 1), so every input tile is a dense box.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/dims.h"
#include "core/status.h"

namespace af {

enum class LayerKind : uint8_t { Conv, Depthwise, Gemm, Fc };
const char* layer_kind_name(LayerKind kind);  // "conv", "depthwise", "gemm", "fc"

// Size limits of a layer and a workload. They keep every int64 of the cost model exact: its
// access counts are sums over tile loads, and a load of an input tile of extents (y, r) along an
// axis holds (y-1)*stride + r <= stride*y*r words, so no count exceeds stride_y*stride_x*MACs
// <= 2^16 * 2^40 = 2^56 (W and O tiles: at most MACs); the cycles add to such counts divided by
// bandwidths at most one DRAM latency (<= 2^16, HwConfig) plus the fixed latencies (< 2^4) and
// an array fill/drain (< 2^9) per tile, and there are at most MACs tiles: a few times 2^56 per
// layer, and as the limit is on the workload's total MACs, for a whole workload too (< 2^63).
// The zoo's largest layers have ~2e9 MACs (2^31), so nothing real is near them.
inline constexpr int64_t MAX_LAYER_MACS = int64_t{1} << 40;
inline constexpr int64_t MAX_TENSOR_WORDS = int64_t{1} << 40;  // W, I (stored padded) and O each
inline constexpr int64_t MAX_STRIDE = 256;                      // stride_y and stride_x
inline constexpr int64_t MAX_WORKLOAD_MACS = int64_t{1} << 40;  // sum over the layers

struct Layer {
  std::string name;
  LayerKind kind = LayerKind::Conv;
  DimArray dims{1, 1, 1, 1, 1, 1, 1, 1};  // N G K C Y X R S (K, C per group; Y, X outputs)
  int64_t stride_y = 1, stride_x = 1;
  int64_t pad_y = 0, pad_x = 0;

  int64_t operator[](Dim d) const { return dims[idx(d)]; }
  int64_t macs() const;  // product of the 8 extents (saturates at INT64_MAX; validate() rejects that)
  // Stored (padded) input extents covering exactly what the outputs use.
  int64_t padded_h() const { return ((*this)[Dim::Y] - 1) * stride_y + (*this)[Dim::R]; }
  int64_t padded_w() const { return ((*this)[Dim::X] - 1) * stride_x + (*this)[Dim::S]; }
  // Real (unpadded) input extents implied by the shape: padded - 2 * pad, at least 1.
  int64_t input_h() const;
  int64_t input_w() const;
  int64_t tensor_words(Tensor t) const;  // inputs: the stored padded tensor
};

// Builders. Conv takes real input sizes (h, w), computes Y = (h + 2p - r) / s + 1.
// They validate and return an error naming the field on bad input.
Expected<Layer> make_conv(std::string name, int64_t n, int64_t g, int64_t k_per_group,
                          int64_t c_per_group, int64_t h, int64_t w, int64_t r, int64_t s,
                          int64_t stride_y, int64_t stride_x, int64_t pad_y, int64_t pad_x);
Expected<Layer> make_depthwise(std::string name, int64_t n, int64_t channels, int64_t h, int64_t w,
                               int64_t r, int64_t s, int64_t stride, int64_t pad);
// out[m][n] = sum_k a[m][k] * b[k][n]: K = n_cols, C = k, Y = m.
Expected<Layer> make_gemm(std::string name, int64_t m, int64_t n, int64_t k, int64_t batch = 1);
Expected<Layer> make_fc(std::string name, int64_t out_features, int64_t in_features,
                        int64_t batch = 1);
// Checks every extent >= 1, 1 <= stride <= MAX_STRIDE, pad >= 0 and pad < filter, macs() <=
// MAX_LAYER_MACS. Also: padding leaves at least one real input row/column, every tensor has at
// most MAX_TENSOR_WORDS words, and the
// shape matches the kind (depthwise: K = C = 1; gemm: G = X = R = S = 1, stride 1, pad 0; fc:
// a gemm with Y = 1). Message: `field: problem (allowed: ...)`, field named as in the YAML.
Status validate(const Layer& layer);


struct Workload {
  std::string name;
  std::vector<Layer> layers;
  int64_t macs() const;  // sum over layers (saturates at INT64_MAX; validated layers never do)
};

// At least one layer; every layer valid, with a non-empty name unique in the workload; total
// MACs <= MAX_WORKLOAD_MACS (reported at the layer that crosses it, field `macs`).
// Message: `layers[i].field: problem (allowed: ...)`.
Status validate(const Workload& workload);

// Field-wise equality (name, kind, dims, strides, pads).
bool operator==(const Layer& a, const Layer& b);
inline bool operator!=(const Layer& a, const Layer& b) { return !(a == b); }
bool operator==(const Workload& a, const Workload& b);
inline bool operator!=(const Workload& a, const Workload& b) { return !(a == b); }

}  // namespace af
