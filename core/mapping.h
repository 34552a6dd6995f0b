// Mapping of one layer onto the template: per level the tile size of every dim and the loop
// order (docs/template.md section 3). Ragged tiles are legal.
#pragma once
#include "core/dims.h"
#include "core/status.h"

namespace af {

struct Layer;
struct HwConfig;

struct LevelMapping {
  DimArray tile{1, 1, 1, 1, 1, 1, 1, 1};
  DimOrder order = kAllDims;  // outermost first
};

struct Mapping {
  LevelMapping l2;  // DRAM -> L2: L2 tile and the order of the loops over L2 tiles
  LevelMapping l1;  // L2 -> PEs: per-PE tile and the order of the loops over array steps
};

inline bool operator==(const LevelMapping& a, const LevelMapping& b) {
  return a.tile == b.tile && a.order == b.order;
}
inline bool operator!=(const LevelMapping& a, const LevelMapping& b) { return !(a == b); }
inline bool operator==(const Mapping& a, const Mapping& b) { return a.l2 == b.l2 && a.l1 == b.l1; }
inline bool operator!=(const Mapping& a, const Mapping& b) { return !(a == b); }

// Structural checks only (1 <= T1 <= T2 <= extent, orders are permutations). Buffer fit is the
// cost model's job (it returns a status saying which buffer overflows).
Status validate(const Mapping& mapping, const Layer& layer);

}  // namespace af
