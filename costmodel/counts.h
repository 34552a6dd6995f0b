// Closed-form access counts of docs/template.md section 4: how many words each level moves for
// each tensor, summed over every (clipped) tile, without walking the loop nest.
#pragma once
#include "costmodel/cost.h"
#include "costmodel/tiling.h"

namespace af::model {

// Fills `accesses` and returns the number of MACs counted over every clipped PE tile.
int64_t count_accesses(const Geometry& g, AccessTable& accesses);

}  // namespace af::model
