// Seeded random test cases shared by the walker and cost-model suites: small layers of every
// kind (conv, strided, padded, depthwise, GEMM), small arrays with any dataflow, and arbitrary
// (mostly ragged) mappings. Portable: std distributions differ between standard libraries.
#pragma once
#include <cstdint>
#include <random>
#include <string>

#include "core/hw_config.h"
#include "core/layer.h"
#include "core/mapping.h"

namespace af::test {

class Rng {
 public:
  explicit Rng(uint64_t seed) : gen_(seed) {}
  int64_t uniform(int64_t lo, int64_t hi) {  // inclusive
    return lo + static_cast<int64_t>(gen_() % static_cast<uint64_t>(hi - lo + 1));
  }
  bool chance(int percent) { return uniform(0, 99) < percent; }
  DimOrder order() {
    DimOrder o = kAllDims;
    for (int i = kNumDims - 1; i > 0; --i) std::swap(o[i], o[uniform(0, i)]);
    return o;
  }

 private:
  std::mt19937_64 gen_;
};

struct Case {
  Layer layer;
  HwConfig hw;  // buffers large enough for any tile
  Mapping mapping;
  std::string describe() const;
};

// `large`: bigger extents and arrays (up to 8x8), for fewer cases.
Case random_case(uint64_t seed, bool large = false);

}  // namespace af::test
