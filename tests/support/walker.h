// Brute-force walker of the accelerator template (docs/template.md): the oracle the analytical
// cost model is tested against. It steps literally through every L2 tile (order O2), every array
// step inside it (order O1) and every PE of each step, keeping per-PE tile state and explicit
// "touched" bitmaps over the output tensor, and derives access counts and the cycle schedule from
// what it saw. Slow on purpose: small layers only
// (keep the total number of array steps below ~1e5).
//
// Dimension names as in core/dims.h (Y, X are OUTPUT rows / columns).
// walk() throws std::invalid_argument on a structurally bad mapping / dataflow and
// std::logic_error if its own simulation finds an inconsistency (e.g. a PE about to compute on a
// tile it was never sent): both are bugs a test must see, not results.
#pragma once
#include <array>
#include <cstdint>

#include "core/hw_config.h"
#include "core/layer.h"
#include "core/mapping.h"
#include "costmodel/cost.h"

namespace af::test {

struct WalkResult {
  int64_t macs = 0;  // sum over every PE of every step of the product of its clipped tile extents
  AccessTable accesses{};  // [level DRAM=0, L2=1, L1=2][tensor W, I, O], words
  // Max double-buffered tile bytes needed per level (0 = L1, 1 = L2) and tensor
  // (2 * words * word_bytes), over every tile actually loaded.
  std::array<std::array<int64_t, 3>, 2> buffer_bytes{};
  // Cycles of the schedule of docs/template.md section 5 (the RTL's): period j computes step j,
  // distributes step j+1 and collects step j-1; L2 period i stores tile i-1 and loads tile i+1.
  CycleBreakdown cycles;
  int64_t l2_tiles = 0, steps = 0;
};

WalkResult walk(const Layer& layer, const HwConfig& hw, const Mapping& mapping);

}  // namespace af::test
