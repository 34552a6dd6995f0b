// Exhaustive enumeration of the whole (small) design space, in a fixed order. The space is the one
// every other algorithm searches, with loop orders reduced to the permutations of the dims whose
// extent is > 1 (the order of one-iteration loops changes nothing in the template):
//   dataflow (row_dim, col_dim) from the candidate dims, rows in [1, min(extent, PE limit)], cols
//   in [1, min(extent, PE limit / rows)], and per layer and active dim every pair
//   1 <= T1 <= T2 <= extent, and every L2 and L1 order of the active dims.
// Points over the area budget are skipped without being evaluated (and without being counted).
#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "search/exhaustive.h"

namespace af::search {

using nlohmann::json;

namespace {
double factorial(size_t k) {
  double f = 1;
  for (size_t i = 2; i <= k; ++i) f *= double(i);
  return f;
}
}  // namespace

double exhaustive_space_size(const Problem& p) {
  double mapping = 1;
  for (const Layer& l : p.layers) {
    const auto act = active_dims(l);
    for (Dim d : act) mapping *= double(l[d]) * double(l[d] + 1) / 2;
    mapping *= factorial(act.size()) * factorial(act.size());
  }
  double arrays = 0;
  for (Dim r : p.par_dims)
    for (Dim c : p.par_dims) {
      if (r == c) continue;
      const int64_t rmax = std::min(p.max_extent[idx(r)], p.pe_limit);
      for (int64_t rows = 1; rows <= rmax; ++rows)
        arrays += double(std::min(p.max_extent[idx(c)], p.pe_limit / rows));
    }
  return std::min(1e300, arrays * mapping);
}

Exhaustive::Exhaustive(const Problem& p) : p_(p) {
  mapping_space_ = 1;
  for (const Layer& l : p.layers) {
    LayerSpace s;
    s.active = active_dims(l);
    for (Dim d : kAllDims)
      if (l[d] <= 1) s.inactive.push_back(d);
    for (Dim d : s.active) {
      const uint64_t pairs = uint64_t(l[d]) * uint64_t(l[d] + 1) / 2;
      s.pairs.push_back(pairs);
      mapping_space_ *= pairs;
    }
    s.perms = uint64_t(factorial(s.active.size()));
    mapping_space_ *= s.perms * s.perms;
    layers_.push_back(std::move(s));
  }
  for (Dim r : p.par_dims)
    for (Dim c : p.par_dims) {
      if (r == c) continue;
      Flow f{r, c, {}};
      const int64_t rmax = std::min(p.max_extent[idx(r)], p.pe_limit);
      for (int64_t rows = 1; rows <= rmax; ++rows)
        for (int64_t cols = 1; cols <= std::min(p.max_extent[idx(c)], p.pe_limit / rows); ++cols)
          f.arrays.emplace_back(rows, cols);
      total_ += uint64_t(f.arrays.size()) * mapping_space_;
      flows_.push_back(std::move(f));
    }
}

Genome Exhaustive::point(uint64_t k) const {
  Genome g;
  size_t fi = 0;
  for (; fi < flows_.size(); ++fi) {
    const uint64_t n = uint64_t(flows_[fi].arrays.size()) * mapping_space_;
    if (k < n) break;
    k -= n;
  }
  const Flow& f = flows_[fi];
  g.row_dim = f.row;
  g.col_dim = f.col;
  g.rows = f.arrays[k / mapping_space_].first;
  g.cols = f.arrays[k / mapping_space_].second;
  uint64_t m = k % mapping_space_;
  g.maps.resize(p_.layers.size());
  for (size_t i = 0; i < layers_.size(); ++i) {
    const LayerSpace& s = layers_[i];
    Mapping& mp = g.maps[i];
    for (size_t a = 0; a < s.active.size(); ++a) {
      const uint64_t j = m % s.pairs[a];
      m /= s.pairs[a];
      int64_t t2 = 1;
      while (uint64_t(t2) * uint64_t(t2 + 1) / 2 <= j) ++t2;
      const int64_t t1 = int64_t(j - uint64_t(t2 - 1) * uint64_t(t2) / 2) + 1;
      mp.l2.tile[idx(s.active[a])] = t2;
      mp.l1.tile[idx(s.active[a])] = t1;
    }
    for (int lv = 0; lv < 2; ++lv) {
      uint64_t r = m % s.perms;
      m /= s.perms;
      DimOrder& order = lv == 0 ? mp.l2.order : mp.l1.order;
      size_t pos = 0;
      for (Dim d : s.inactive) order[pos++] = d;
      std::vector<Dim> left = s.active;
      for (size_t n = left.size(); n > 0; --n) {
        const uint64_t fact = uint64_t(factorial(n - 1));
        const size_t q = size_t(r / fact);
        r %= fact;
        order[pos++] = left[q];
        left.erase(left.begin() + long(q));
      }
    }
  }
  return g;
}

std::vector<Genome> Exhaustive::ask(int64_t max_count) {
  std::vector<Genome> out;
  const size_t want = size_t(std::min<int64_t>(256, std::max<int64_t>(1, max_count)));
  while (out.size() < want && next_ < total_) {
    Genome g = point(next_++);
    Genome c = g;
    repair(p_, c);
    if (c.same_design(g)) out.push_back(std::move(c));  // c has the buffers sized
    ++scanned_;
  }
  return out;
}

void Exhaustive::save(json& out) const {
  out["next"] = next_;
  out["scanned"] = scanned_;
}
Status Exhaustive::load(const json& in) {
  try {
    next_ = in.at("next").get<uint64_t>();
    scanned_ = in.at("scanned").get<uint64_t>();
  } catch (const json::exception& e) {
    return Status::Error(std::string("checkpoint: exhaustive state: ") + e.what());
  }
  return Status();
}

}  // namespace af::search
