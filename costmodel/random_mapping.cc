// Random legal mappings (see random_mapping.h). Tile sizes are drawn half from the divisors of the
// parent extent and half uniformly, so ragged tiles are as common as in a real search; tiles of
// overflowing buffers are then halved until everything fits.
#include "costmodel/random_mapping.h"

#include <algorithm>
#include <random>
#include <vector>

#include "costmodel/cost.h"

namespace af {
namespace {

int64_t uniform(std::mt19937_64& rng, int64_t lo, int64_t hi) {  // inclusive, lo <= hi
  return lo + static_cast<int64_t>(rng() % static_cast<uint64_t>(hi - lo + 1));
}

int64_t draw_tile(std::mt19937_64& rng, int64_t parent) {
  if (rng() & 1) return uniform(rng, 1, parent);
  std::vector<int64_t> divisors;
  // v <= parent / v, not v * v <= parent: v * v overflows for parents near INT64_MAX (the
  // search is O(sqrt(parent)), fine for the extents validate(Layer) allows).
  for (int64_t v = 1; v <= parent / v; ++v) {
    if (parent % v) continue;
    divisors.push_back(v);
    if (v != parent / v) divisors.push_back(parent / v);
  }
  return divisors[uniform(rng, 0, static_cast<int64_t>(divisors.size()) - 1)];
}

DimOrder draw_order(std::mt19937_64& rng) {
  DimOrder order = kAllDims;
  for (int i = kNumDims - 1; i > 0; --i) std::swap(order[i], order[uniform(rng, 0, i)]);
  return order;
}

}  // namespace

Expected<Mapping> random_mapping(const Layer& layer, const HwConfig& hw, uint64_t seed) {
  std::mt19937_64 rng(seed * 0x9E3779B97F4A7C15ull + 0x632BE59BD9B4E019ull);
  Mapping m;
  for (int d = 0; d < kNumDims; ++d) {
    m.l2.tile[d] = draw_tile(rng, layer.dims[d]);
    m.l1.tile[d] = draw_tile(rng, m.l2.tile[d]);
  }
  m.l2.order = draw_order(rng);
  m.l1.order = draw_order(rng);

  // Halve a random relevant tile of the first overflowing buffer until all fit. Terminates: every
  // round shrinks some tile, and all-ones tiles need the least of every buffer.
  for (int round = 0; round < 4096; ++round) {
    const auto need = required_buffer_bytes(layer, hw, m);
    int level = -1, tensor = -1;
    for (int l = 0; l < 2 && level < 0; ++l) {
      for (Tensor t : kAllTensors) {
        const int64_t cap = l == 0 ? hw.l1_bytes[idx(t)] : hw.l2_bytes[idx(t)];
        if (need[l][idx(t)] > cap) {
          level = l;
          tensor = idx(t);
          break;
        }
      }
    }
    if (level < 0) return m;
    std::vector<int> shrinkable;
    for (int d = 0; d < kNumDims; ++d) {
      const int64_t tile = level == 0 ? m.l1.tile[d] : m.l2.tile[d];
      if (relevant(static_cast<Tensor>(tensor), static_cast<Dim>(d)) && tile > 1)
        shrinkable.push_back(d);
    }
    if (shrinkable.empty()) break;
    const int d = shrinkable[uniform(rng, 0, static_cast<int64_t>(shrinkable.size()) - 1)];
    if (level == 0) {
      m.l1.tile[d] = (m.l1.tile[d] + 1) / 2;
    } else {
      m.l2.tile[d] = (m.l2.tile[d] + 1) / 2;
      m.l1.tile[d] = std::min(m.l1.tile[d], m.l2.tile[d]);
    }
  }
  return Status::Error("no mapping of layer '" + layer.name + "' fits the buffers of '" + hw.name +
                       "' even with all tiles at 1");
}

}  // namespace af
