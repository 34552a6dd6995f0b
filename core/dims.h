// The eight loop dimensions of a (grouped, strided, padded, batched) convolution, the three
// tensors, and which dimensions each tensor depends on. Y and X are OUTPUT rows / columns.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace af {

enum class Dim : uint8_t { N = 0, G, K, C, Y, X, R, S };
inline constexpr int kNumDims = 8;
inline constexpr std::array<Dim, kNumDims> kAllDims = {Dim::N, Dim::G, Dim::K, Dim::C,
                                                       Dim::Y, Dim::X, Dim::R, Dim::S};
using DimArray = std::array<int64_t, kNumDims>;
using DimOrder = std::array<Dim, kNumDims>;  // outermost first

inline constexpr int idx(Dim d) { return static_cast<int>(d); }
inline constexpr char dim_char(Dim d) { return "NGKCYXRS"[idx(d)]; }
std::optional<Dim> parse_dim(std::string_view text);  // "K" or "k"
std::string order_string(const DimOrder& order);       // "NGKCYXRS"
std::optional<DimOrder> parse_order(std::string_view text);  // a permutation of the 8 letters
bool is_valid_order(const DimOrder& order);  // each of the 8 dims exactly once

enum class Tensor : uint8_t { W = 0, I, O };
inline constexpr int kNumTensors = 3;
inline constexpr std::array<Tensor, kNumTensors> kAllTensors = {Tensor::W, Tensor::I, Tensor::O};
inline constexpr int idx(Tensor t) { return static_cast<int>(t); }
inline constexpr const char* tensor_name(Tensor t) {
  return t == Tensor::W ? "weights" : t == Tensor::I ? "inputs" : "outputs";
}

// relevant(t, d): does tensor t's tile change when dimension d moves? (Inputs depend on Y and R
// through h = y*stride + r, and on X and S likewise.)
inline constexpr bool relevant(Tensor t, Dim d) {
  constexpr uint8_t kMask[kNumTensors] = {
      /*W*/ (1 << 1) | (1 << 2) | (1 << 3) | (1 << 6) | (1 << 7),
      /*I*/ (1 << 0) | (1 << 1) | (1 << 3) | (1 << 4) | (1 << 5) | (1 << 6) | (1 << 7),
      /*O*/ (1 << 0) | (1 << 1) | (1 << 2) | (1 << 4) | (1 << 5)};
  return (kMask[idx(t)] >> idx(d)) & 1;
}
inline constexpr bool is_reduction(Dim d) { return d == Dim::C || d == Dim::R || d == Dim::S; }

}  // namespace af
