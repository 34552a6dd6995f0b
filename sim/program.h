// Run-time programming of one (layer, mapping) into the RTL's registers
// (rtl-templates/INTERFACES.md sections 4 and 5) and the DRAM placement of the three tensors.
#pragma once
#include <cstdint>
#include <utility>
#include <vector>

#include "core/layer.h"
#include "core/mapping.h"

namespace af::sim {

struct MemLayout {
  uint32_t base_w = 0, base_i = 0, base_o = 0;
  uint64_t total_bytes = 0;
};

// Weights, padded inputs and int32 outputs one after another, each 64-byte aligned.
MemLayout layout_for(const Layer& layer);

// (register address, value) writes that configure the layer and mapping; the start command is
// not included.
std::vector<std::pair<uint8_t, uint32_t>> register_writes(const Layer& layer,
                                                           const Mapping& mapping,
                                                           const MemLayout& mem);

// ORDER register encoding: position p (0 = outermost) holds the dim index at bits [4p+2:4p].
uint32_t encode_order(const DimOrder& order);

}  // namespace af::sim
