// Register programming (see program.h).
#include "sim/program.h"

#include "sim/rtl_regs.h"

namespace af::sim {
namespace {
uint64_t align64(uint64_t v) { return (v + 63) & ~uint64_t{63}; }
}  // namespace

MemLayout layout_for(const Layer& l) {
  MemLayout m;
  uint64_t at = 0;
  m.base_w = static_cast<uint32_t>(at);
  at = align64(at + static_cast<uint64_t>(l.tensor_words(Tensor::W)));
  m.base_i = static_cast<uint32_t>(at);
  at = align64(at + static_cast<uint64_t>(l.tensor_words(Tensor::I)));
  m.base_o = static_cast<uint32_t>(at);
  at = align64(at + 4 * static_cast<uint64_t>(l.tensor_words(Tensor::O)));
  m.total_bytes = at;
  return m;
}

uint32_t encode_order(const DimOrder& order) {
  uint32_t v = 0;
  for (int p = 0; p < kNumDims; ++p) v |= static_cast<uint32_t>(idx(order[p])) << (4 * p);
  return v;
}

std::vector<std::pair<uint8_t, uint32_t>> register_writes(const Layer& l, const Mapping& m,
                                                           const MemLayout& mem) {
  std::vector<std::pair<uint8_t, uint32_t>> w;
  for (int d = 0; d < kNumDims; ++d) {
    w.emplace_back(static_cast<uint8_t>(regs::kDim0 + d), static_cast<uint32_t>(l.dims[d]));
    w.emplace_back(static_cast<uint8_t>(regs::kT2_0 + d), static_cast<uint32_t>(m.l2.tile[d]));
    w.emplace_back(static_cast<uint8_t>(regs::kT1_0 + d), static_cast<uint32_t>(m.l1.tile[d]));
  }
  w.emplace_back(regs::kStrideY, static_cast<uint32_t>(l.stride_y));
  w.emplace_back(regs::kStrideX, static_cast<uint32_t>(l.stride_x));
  w.emplace_back(regs::kPadY, static_cast<uint32_t>(l.pad_y));
  w.emplace_back(regs::kPadX, static_cast<uint32_t>(l.pad_x));
  w.emplace_back(regs::kBaseW, mem.base_w);
  w.emplace_back(regs::kBaseI, mem.base_i);
  w.emplace_back(regs::kBaseO, mem.base_o);
  w.emplace_back(regs::kOrder2, encode_order(m.l2.order));
  w.emplace_back(regs::kOrder1, encode_order(m.l1.order));
  return w;
}

}  // namespace af::sim
