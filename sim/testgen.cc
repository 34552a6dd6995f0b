// Test generators (see testgen.h).
#include "sim/testgen.h"

#include <algorithm>
#include <stdexcept>

namespace af::sim {
namespace {

struct Rng {
  uint64_t s;
  uint64_t next() {
    uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  int64_t in(int64_t lo, int64_t hi) {  // inclusive
    return lo + static_cast<int64_t>(next() % static_cast<uint64_t>(hi - lo + 1));
  }
  template <typename T>
  T pick(std::initializer_list<T> v) {
    return *(v.begin() + in(0, static_cast<int64_t>(v.size()) - 1));
  }
};

Layer must(Expected<Layer> l) {
  if (!l.ok()) throw std::logic_error("testgen: " + l.status().message());
  return *l;
}

}  // namespace

const char* test_layer_kind_name(TestLayerKind k) {
  switch (k) {
    case TestLayerKind::kConv: return "conv";
    case TestLayerKind::kStride2Pad: return "conv_stride2_pad";
    case TestLayerKind::kGrouped: return "grouped";
    case TestLayerKind::kDepthwise: return "depthwise";
    case TestLayerKind::kGemm: return "gemm";
    case TestLayerKind::kFc: return "fc";
    case TestLayerKind::kPointwise: return "conv1x1";
  }
  return "?";
}

Layer random_test_layer(TestLayerKind kind, uint64_t seed, int64_t max_macs) {
  Rng r{seed * 0x2545F4914F6CDD1Dull + static_cast<uint64_t>(kind) * 7919 + 1};
  for (int attempt = 0; attempt < 1000; ++attempt) {
    const std::string name = std::string(test_layer_kind_name(kind)) + "_" + std::to_string(seed);
    Layer l;
    // Small extents with primes (2 3 5 7 11 13) among them.
    switch (kind) {
      case TestLayerKind::kConv: {
        const int64_t rr = r.in(1, 3), ss = r.in(1, 3);
        const int64_t p = r.in(0, 1);
        l = must(make_conv(name, r.in(1, 2), 1, r.in(1, 7), r.in(1, 5),
                           std::max<int64_t>(rr, r.in(3, 9)), std::max<int64_t>(ss, r.in(3, 9)),
                           rr, ss, 1, 1, std::min(p, rr - 1), std::min(p, ss - 1)));
        break;
      }
      case TestLayerKind::kStride2Pad: {
        const int64_t rr = r.pick<int64_t>({2, 3, 5}), ss = r.pick<int64_t>({1, 3});
        l = must(make_conv(name, 1, 1, r.in(1, 5), r.in(1, 4), r.in(5, 11), r.in(5, 11), rr, ss,
                           2, r.in(1, 2), r.in(1, rr - 1), ss > 1 ? r.in(0, ss - 1) : 0));
        break;
      }
      case TestLayerKind::kGrouped:
        l = must(make_conv(name, r.in(1, 2), r.in(2, 3), r.in(1, 4), r.in(1, 3), r.in(3, 7),
                           r.in(3, 7), 3, r.in(1, 3), r.in(1, 2), 1, 1, 0));
        break;
      case TestLayerKind::kDepthwise:
        l = must(make_depthwise(name, r.in(1, 2), r.in(2, 7), r.in(4, 9), r.in(4, 9), 3, 3,
                                r.in(1, 2), 1));
        break;
      case TestLayerKind::kGemm:
        l = must(make_gemm(name, r.pick<int64_t>({1, 3, 5, 7, 8, 11, 13}),
                           r.pick<int64_t>({2, 5, 6, 7, 12, 13}), r.pick<int64_t>({3, 7, 9, 11, 16, 17})));
        break;
      case TestLayerKind::kFc:
        l = must(make_fc(name, r.pick<int64_t>({1, 5, 7, 9, 13, 17}),
                         r.pick<int64_t>({3, 11, 16, 19, 23}), r.in(1, 3)));
        break;
      case TestLayerKind::kPointwise:
        l = must(make_conv(name, r.in(1, 2), 1, r.in(2, 11), r.in(2, 13), r.in(2, 7), r.in(2, 7),
                           1, 1, 1, 1, 0, 0));
        break;
    }
    if (l.macs() <= max_macs) return l;
  }
  throw std::logic_error("testgen: no small enough layer");
}

std::pair<Dim, Dim> dataflow_pair(int index) {
  const int i = ((index % 56) + 56) % 56;
  const int row = i / 7;
  int col = i % 7;
  if (col >= row) ++col;
  return {static_cast<Dim>(row), static_cast<Dim>(col)};
}

HwConfig random_test_hw(uint64_t seed, int index, int64_t max_rows, int64_t max_cols) {
  Rng r{seed * 0x9E3779B97F4A7C15ull + static_cast<uint64_t>(index) * 104729 + 3};
  HwConfig hw;
  hw.name = "rand" + std::to_string(seed) + "_" + std::to_string(index);
  hw.rows = r.in(1, max_rows);
  hw.cols = r.in(1, max_cols);
  if (hw.rows * hw.cols == 1) hw.cols = 2;
  const auto [rd, cd] = dataflow_pair(index);
  hw.row_dim = rd;
  hw.col_dim = cd;
  hw.l1_bytes = {r.pick<int64_t>({16, 32, 48, 64, 100}), r.pick<int64_t>({16, 32, 50, 64, 96}),
                 r.pick<int64_t>({32, 64, 96, 128, 200})};
  hw.l2_bytes = {r.pick<int64_t>({512, 1000, 2048, 4096}), r.pick<int64_t>({512, 1024, 2048, 4096}),
                 r.pick<int64_t>({1024, 2000, 4096, 8192})};
  hw.noc_words_per_cycle = r.in(1, 4);
  hw.dram_bytes_per_cycle = r.pick<int64_t>({1, 3, 4, 8, 12, 16, 32});
  hw.dram_latency_cycles = r.in(1, 40);  // >= 1: the memory port is registered
  return hw;
}

}  // namespace af::sim
