// Fixed latencies of the accelerator template (docs/template.md section 6). The cost model, the
// walker, the SystemC model and the RTL generator all read them from here.
#pragma once
#include <cstdint>

namespace af {

// L2 SRAM read register + distribution-bus pipeline register.
inline constexpr int64_t DIST_LATENCY_CYCLES = 2;
// Adder-tree register + L2 write.
inline constexpr int64_t COLLECT_LATENCY_CYCLES = 2;
// Controller hand-off between two L2 tiles.
inline constexpr int64_t L2_TILE_OVERHEAD_CYCLES = 1;

}  // namespace af
