// Per-dimension tiling arithmetic shared by the cost model's counting and timing code:
// how one level's loop over a dimension splits an extent into full and edge (clipped) tiles, and
// the tile volumes of each tensor (docs/template.md sections 3 and 4).
#pragma once
#include <array>
#include <cstdint>

#include "core/dims.h"
#include "core/hw_config.h"
#include "core/layer.h"
#include "core/mapping.h"

namespace af::model {

inline constexpr int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

// A loop over one dimension: `count` tiles of `full` extent, the last one clipped to `last`.
struct Split {
  int64_t count = 1;
  int64_t full = 1;
  int64_t last = 1;
  int64_t first() const { return count > 1 ? full : last; }
  bool ragged() const { return count > 1 && last != full; }
};

inline Split split(int64_t extent, int64_t tile) {
  Split s;
  s.count = ceil_div(extent, tile);
  s.full = tile < extent ? tile : extent;
  s.last = extent - (s.count - 1) * tile;
  return s;
}

// Everything about the mapping that does not depend on which tile is being looked at.
struct Geometry {
  DimArray extent{};       // layer extents
  DimArray t2{}, t1{};     // L2 tile, per-PE L1 tile
  DimArray step{};         // array step extent A[d] = T1[d] * (rows | cols | 1)
  std::array<bool, kNumDims> spatial{};  // d is row_dim or col_dim
  DimOrder o2{}, o1{};
  int64_t sy = 1, sx = 1;
};

Geometry make_geometry(const Layer& layer, const HwConfig& hw, const Mapping& mapping);

// Number of distinct PE tiles along dim d for a step of extent x (1 unless d is an array axis).
inline int64_t active_pes(const Geometry& g, int d, int64_t x) {
  return g.spatial[d] ? ceil_div(x, g.t1[d]) : 1;
}
// Largest PE extent along d in a step of extent x (what the lockstep array iterates over).
inline int64_t pe_extent(const Geometry& g, int d, int64_t x) {
  return g.spatial[d] && g.t1[d] < x ? g.t1[d] : x;
}

// Words of the union of distinct PE tiles of tensor t in a step with extents x (docs section 4:
// PEs with identical coordinates share a transfer; O is reduced over reduction axes).
int64_t step_volume(const Geometry& g, Tensor t, const DimArray& x);

// Words of one tile of extents x of tensor t at a level without spatial split (DRAM <-> L2, and
// the per-PE L1 tile).
int64_t tile_volume(const Geometry& g, Tensor t, const DimArray& x);

}  // namespace af::model
