// Structural checks of a mapping against a layer (core/mapping.h).
#include "core/mapping.h"

#include "core/internal.h"
#include "core/layer.h"

namespace af {

namespace {

Status check_level(const LevelMapping& level, const char* name, const DimArray& parent,
                   const char* parent_name) {
  for (Dim d : kAllDims) {
    const int64_t t = level.tile[idx(d)];
    const int64_t max = parent[idx(d)];
    const std::string field = std::string(name) + ".tile." + dim_char(d);
    const std::string allowed = "1.." + std::to_string(max);
    if (t < 1) return internal::to_status({field, internal::below_min_problem(t, 1), allowed});
    if (t > max) {
      return internal::to_status({field,
                                  "tile " + std::to_string(t) + " larger than the " + parent_name +
                                      " " + std::to_string(max),
                                  allowed});
    }
  }
  if (!is_valid_order(level.order)) {
    return internal::to_status({std::string(name) + ".order",
                                "'" + order_string(level.order) + "' is not a permutation",
                                "each of N G K C Y X R S exactly once"});
  }
  return Status();
}

}  // namespace

Status validate(const Mapping& mapping, const Layer& layer) {
  if (Status s = check_level(mapping.l2, "l2", layer.dims, "layer extent"); !s.ok()) return s;
  return check_level(mapping.l1, "l1", mapping.l2.tile, "L2 tile");
}

}  // namespace af
