// Draws a random legal mapping of a layer on a hardware configuration, deterministically from a
// seed: random tile sizes (divisors and arbitrary values alike, so ragged tiles are common) and
// random loop orders, shrunk until every double-buffered tile fits its buffer.
#pragma once
#include <cstdint>

#include "core/hw_config.h"
#include "core/layer.h"
#include "core/mapping.h"
#include "core/status.h"

namespace af {

Expected<Mapping> random_mapping(const Layer& layer, const HwConfig& hw, uint64_t seed);

}  // namespace af
