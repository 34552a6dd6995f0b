// Seeded random test cases (see random_cases.h).
#include "tests/support/random_cases.h"

#include <sstream>

namespace af::test {

std::string Case::describe() const {
  std::ostringstream s;
  s << "dims";
  for (int64_t v : layer.dims) s << ' ' << v;
  s << " stride " << layer.stride_y << ',' << layer.stride_x << " pad " << layer.pad_y << ','
    << layer.pad_x << " | hw " << hw.rows << 'x' << hw.cols << ' ' << dim_char(hw.row_dim)
    << dim_char(hw.col_dim) << " noc " << hw.noc_words_per_cycle << " dram "
    << hw.dram_bytes_per_cycle << '/' << hw.dram_latency_cycles << " | T2";
  for (int64_t v : mapping.l2.tile) s << ' ' << v;
  s << ' ' << order_string(mapping.l2.order) << " T1";
  for (int64_t v : mapping.l1.tile) s << ' ' << v;
  s << ' ' << order_string(mapping.l1.order);
  return s.str();
}

Case random_case(uint64_t seed, bool large) {
  using D = Dim;
  constexpr int64_t kHuge = int64_t(1) << 40;
  Rng rng(seed);
  Case c;
  DimArray& d = c.layer.dims;
  const int64_t kc = large ? 12 : 5, yx = large ? 10 : 6;
  d = {rng.uniform(1, 2), rng.uniform(1, large ? 4 : 3), rng.uniform(1, kc), rng.uniform(1, kc),
       rng.uniform(1, yx), rng.uniform(1, yx), rng.uniform(1, 3), rng.uniform(1, 3)};
  const int64_t kind = rng.uniform(0, 9);
  if (kind == 0) {  // depthwise
    d[idx(D::K)] = d[idx(D::C)] = 1;
    d[idx(D::G)] = rng.uniform(2, large ? 12 : 6);
  } else if (kind == 1) {  // GEMM / FC
    d[idx(D::X)] = d[idx(D::R)] = d[idx(D::S)] = 1;
  }
  c.layer.stride_y = rng.uniform(1, 2);
  c.layer.stride_x = rng.uniform(1, 2);
  c.layer.pad_y = rng.uniform(0, d[idx(D::R)] - 1);
  c.layer.pad_x = rng.uniform(0, d[idx(D::S)] - 1);

  const int64_t axis = large ? 8 : 4;
  c.hw.rows = rng.uniform(1, axis);
  c.hw.cols = rng.uniform(1, axis);
  c.hw.noc_words_per_cycle = rng.uniform(1, 4);
  c.hw.dram_bytes_per_cycle = rng.uniform(1, 16);
  c.hw.dram_latency_cycles = rng.uniform(1, 30);
  c.hw.l1_bytes = {kHuge, kHuge, kHuge};  // any tile fits: capacity is not what these cases test
  c.hw.l2_bytes = {kHuge, kHuge, kHuge};
  c.hw.row_dim = static_cast<Dim>(rng.uniform(0, 7));
  do {
    c.hw.col_dim = static_cast<Dim>(rng.uniform(0, 7));
  } while (c.hw.col_dim == c.hw.row_dim);

  for (int i = 0; i < kNumDims; ++i) {
    const int64_t t2 = rng.chance(30) ? d[i] : rng.uniform(1, d[i]);
    c.mapping.l2.tile[i] = t2;
    c.mapping.l1.tile[i] = rng.chance(30) ? t2 : rng.uniform(1, t2);
  }
  c.mapping.l2.order = rng.order();
  c.mapping.l1.order = rng.order();
  return c;
}

}  // namespace af::test
