// Test data and the golden convolution (docs/template.md section 1): int8 weights and inputs
// drawn from a seed, inputs stored padded, int32 outputs with two's-complement wrap-around.
#pragma once
#include <cstdint>
#include <vector>

#include "core/layer.h"

namespace af::sim {

struct LayerData {
  std::vector<int8_t> weights;  // [G][K][C][R][S]
  std::vector<int8_t> inputs;   // [N][G][C][Hp][Wp], zero in the padding border
};

// Deterministic in (layer shape, seed) on every platform.
LayerData make_layer_data(const Layer& layer, uint64_t seed);

// out[n][g][k][y][x] = sum_{c,r,s} W[g][k][c][r][s] * I[n][g][c][y*sy + r][x*sx + s]
std::vector<int32_t> golden_conv(const Layer& layer, const LayerData& data);

}  // namespace af::sim
