// Cycle model of docs/template.md section 5: the L1 pipeline inside an L2 tile and the L2/DMA
// pipeline over the layer, evaluated by enumerating the distinct kinds of neighbouring steps.
#pragma once
#include "core/hw_config.h"
#include "costmodel/cost.h"
#include "costmodel/tiling.h"

namespace af::model {

CycleBreakdown layer_cycles(const Geometry& g, const HwConfig& hw);

// DMA beats to move one tile of extents x (per dim) of tensor t (exposed for tests).
int64_t dma_beats(const Geometry& g, const HwConfig& hw, Tensor t, const DimArray& x);

}  // namespace af::model
