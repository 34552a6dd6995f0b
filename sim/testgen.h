// Seeded generators of small layers and hardware configurations for the RTL test suites and the
// RTL benchmark: every layer kind of docs/template.md (conv with stride and padding, grouped,
// depthwise, GEMM, FC, 1x1) with small and prime extents, and HwConfigs covering every dataflow.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/hw_config.h"
#include "core/layer.h"

namespace af::sim {

enum class TestLayerKind : uint8_t { kConv, kStride2Pad, kGrouped, kDepthwise, kGemm, kFc, kPointwise };
inline constexpr int kNumTestLayerKinds = 7;
const char* test_layer_kind_name(TestLayerKind kind);

// A small random layer of the given kind (at most ~max_macs MACs), deterministic in the seed.
Layer random_test_layer(TestLayerKind kind, uint64_t seed, int64_t max_macs = 6000);

// A random HwConfig small enough to lint and simulate quickly. index % 56 picks the ordered
// dataflow pair (row_dim, col_dim), so 56 consecutive indices cover every dataflow.
HwConfig random_test_hw(uint64_t seed, int index, int64_t max_rows = 6, int64_t max_cols = 6);

// The (row_dim, col_dim) pair number `index % 56`.
std::pair<Dim, Dim> dataflow_pair(int index);

}  // namespace af::sim
