#include "search/genes.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace af::search {

using nlohmann::json;

std::vector<int64_t> divisors(int64_t n) {
  std::vector<int64_t> lo, hi;
  for (int64_t i = 1; i * i <= n; ++i)
    if (n % i == 0) {
      lo.push_back(i);
      if (i != n / i) hi.push_back(n / i);
    }
  lo.insert(lo.end(), hi.rbegin(), hi.rend());
  return lo;
}

DimOrder random_order(Rng& rng) {
  DimOrder o = kAllDims;
  for (int i = kNumDims - 1; i > 0; --i) std::swap(o[i], o[rng.index(size_t(i) + 1)]);
  return o;
}

namespace {
void random_dataflow(const Problem& p, Genome& g, Rng& rng) {
  const size_t n = p.par_dims.size();
  const size_t a = rng.index(n);
  size_t b = rng.index(n - 1);
  if (b >= a) ++b;
  g.row_dim = p.par_dims[a];
  g.col_dim = p.par_dims[b];
}

void random_array(const Problem& p, Genome& g, Rng& rng) {
  const int64_t pes = rng.uniform(1, p.pe_limit);
  const Mapping& m = g.maps[rng.index(g.maps.size())];
  const auto f = divisors(std::max<int64_t>(1, std::min(m.l2.tile[idx(g.col_dim)], pes)));
  g.cols = f[rng.index(f.size())];
  g.rows = std::max<int64_t>(1, pes / g.cols);
}
}  // namespace

Genome random_genome(const Problem& p, Rng& rng) {
  Genome g;
  random_dataflow(p, g, rng);
  g.maps.resize(p.layers.size());
  for (size_t i = 0; i < p.layers.size(); ++i) {
    Mapping& m = g.maps[i];
    for (int d = 0; d < kNumDims; ++d) {
      m.l2.tile[d] = rng.uniform(1, p.layers[i].dims[d]);
      m.l1.tile[d] = rng.uniform(1, m.l2.tile[d]);
    }
    m.l2.order = random_order(rng);
    m.l1.order = random_order(rng);
  }
  random_array(p, g, rng);
  repair(p, g);
  return g;
}

Genome unit_genome(const Problem& p, Rng& rng) {
  Genome g;
  random_dataflow(p, g, rng);
  g.maps.resize(p.layers.size());
  for (Mapping& m : g.maps) {
    m.l2.order = random_order(rng);
    m.l1.order = random_order(rng);
  }
  random_array(p, g, rng);
  repair(p, g);
  return g;
}

GeneSpace::GeneSpace(const Problem& p) : p_(p) {
  for (uint8_t k = 0; k < 4; ++k) genes_.push_back({k, 0, 0});
  for (uint32_t i = 0; i < p.layers.size(); ++i) {
    layer_begin_.push_back(genes_.size());
    for (Dim d : active_dims(p.layers[i])) {
      genes_.push_back({4, i, uint8_t(idx(d))});
      genes_.push_back({5, i, uint8_t(idx(d))});
    }
    genes_.push_back({6, i, 0});
    genes_.push_back({7, i, 0});
  }
  layer_begin_.push_back(genes_.size());
}

void GeneSpace::reset(Genome& g, size_t k, Rng& rng) const {
  const Gene& gene = genes_[k];
  switch (gene.kind) {
    case 0:
      g.rows = rng.uniform(1, std::max<int64_t>(1, std::min(p_.max_extent[idx(g.row_dim)],
                                                              p_.pe_limit / g.cols)));
      break;
    case 1:
      g.cols = rng.uniform(1, std::max<int64_t>(1, std::min(p_.max_extent[idx(g.col_dim)],
                                                              p_.pe_limit / g.rows)));
      break;
    case 2:
    case 3: {
      Dim& mine = gene.kind == 2 ? g.row_dim : g.col_dim;
      Dim& other = gene.kind == 2 ? g.col_dim : g.row_dim;
      const Dim d = p_.par_dims[rng.index(p_.par_dims.size())];
      if (d == other) other = mine;
      mine = d;
      break;
    }
    case 4: {
      Mapping& m = g.maps[gene.layer];
      m.l2.tile[gene.dim] = rng.uniform(1, p_.layers[gene.layer].dims[gene.dim]);
      m.l1.tile[gene.dim] = std::min(m.l1.tile[gene.dim], m.l2.tile[gene.dim]);
      break;
    }
    case 5: {
      Mapping& m = g.maps[gene.layer];
      m.l1.tile[gene.dim] = rng.uniform(1, m.l2.tile[gene.dim]);
      break;
    }
    case 6: g.maps[gene.layer].l2.order = random_order(rng); break;
    case 7: g.maps[gene.layer].l1.order = random_order(rng); break;
  }
}

void GeneSpace::copy(Genome& dst, const Genome& src, size_t k) const {
  const Gene& gene = genes_[k];
  switch (gene.kind) {
    case 0: dst.rows = src.rows; break;
    case 1: dst.cols = src.cols; break;
    case 2:
      if (src.row_dim == dst.col_dim) dst.col_dim = dst.row_dim;
      dst.row_dim = src.row_dim;
      break;
    case 3:
      if (src.col_dim == dst.row_dim) dst.row_dim = dst.col_dim;
      dst.col_dim = src.col_dim;
      break;
    case 4: dst.maps[gene.layer].l2.tile[gene.dim] = src.maps[gene.layer].l2.tile[gene.dim]; break;
    case 5: dst.maps[gene.layer].l1.tile[gene.dim] = src.maps[gene.layer].l1.tile[gene.dim]; break;
    case 6: dst.maps[gene.layer].l2.order = src.maps[gene.layer].l2.order; break;
    case 7: dst.maps[gene.layer].l1.order = src.maps[gene.layer].l1.order; break;
  }
}

// ---- JSON ------------------------------------------------------------------------------------

json hw_to_json(const HwConfig& hw) {
  return json{{"name", hw.name},
              {"rows", hw.rows},
              {"cols", hw.cols},
              {"pes", hw.pes()},
              {"row_dim", std::string(1, dim_char(hw.row_dim))},
              {"col_dim", std::string(1, dim_char(hw.col_dim))},
              {"l1_bytes", {{"W", hw.l1_bytes[0]}, {"I", hw.l1_bytes[1]}, {"O", hw.l1_bytes[2]}}},
              {"l2_bytes", {{"W", hw.l2_bytes[0]}, {"I", hw.l2_bytes[1]}, {"O", hw.l2_bytes[2]}}},
              {"noc_words_per_cycle", hw.noc_words_per_cycle},
              {"dram_bytes_per_cycle", hw.dram_bytes_per_cycle},
              {"dram_latency_cycles", hw.dram_latency_cycles}};
}

namespace {
json level_json(const LevelMapping& lv) {
  json tile = json::object();
  for (Dim d : kAllDims) tile[std::string(1, dim_char(d))] = lv.tile[idx(d)];
  return json{{"tile", tile}, {"order", order_string(lv.order)}};
}
bool level_from_json(const json& j, LevelMapping& lv) {
  if (!j.is_object() || !j.contains("tile") || !j.contains("order")) return false;
  for (Dim d : kAllDims) {
    const std::string k(1, dim_char(d));
    if (!j["tile"].contains(k) || !j["tile"][k].is_number_integer()) return false;
    lv.tile[idx(d)] = j["tile"][k].get<int64_t>();
  }
  auto o = parse_order(j["order"].get<std::string>());
  if (!o) return false;
  lv.order = *o;
  return true;
}
}  // namespace

json mapping_to_json(const Mapping& m) { return json{{"l2", level_json(m.l2)}, {"l1", level_json(m.l1)}}; }

json genome_to_json(const Genome& g) {
  json maps = json::array();
  for (const Mapping& m : g.maps) maps.push_back(mapping_to_json(m));
  return json{{"rows", g.rows},
              {"cols", g.cols},
              {"row_dim", std::string(1, dim_char(g.row_dim))},
              {"col_dim", std::string(1, dim_char(g.col_dim))},
              {"maps", maps}};
}

Expected<Genome> genome_from_json(const json& j, const Problem& p) {
  Genome g;
  try {
    g.rows = j.at("rows").get<int64_t>();
    g.cols = j.at("cols").get<int64_t>();
    auto rd = parse_dim(j.at("row_dim").get<std::string>());
    auto cd = parse_dim(j.at("col_dim").get<std::string>());
    if (!rd || !cd) return Status::Error("genome: bad dataflow dim");
    g.row_dim = *rd;
    g.col_dim = *cd;
    const json& maps = j.at("maps");
    if (!maps.is_array() || maps.size() != p.layers.size())
      return Status::Error("genome: expected " + std::to_string(p.layers.size()) + " mappings");
    for (const json& m : maps) {
      Mapping mp;
      if (!level_from_json(m.at("l2"), mp.l2) || !level_from_json(m.at("l1"), mp.l1))
        return Status::Error("genome: bad mapping");
      g.maps.push_back(mp);
    }
  } catch (const json::exception& e) {
    return Status::Error(std::string("genome: ") + e.what());
  }
  repair(p, g);  // recomputes the derived buffer sizes (a no-op on the genes of a legal genome)
  return g;
}

json fitness_to_json(const Fitness& f) {
  if (!f.feasible) return json{{"feasible", false}, {"reason", f.reason}};
  return json{{"feasible", true},
              {"cycles", f.cycles},
              {"energy_pj", f.energy_pj},
              {"area_um2", f.area_um2},
              {"layer_cycles", f.layer_cycles},
              {"layer_energy_pj", f.layer_energy_pj}};
}

Fitness fitness_from_json(const json& j) {
  Fitness f;
  if (!j.value("feasible", false)) {
    f.reason = j.value("reason", std::string());
    return f;
  }
  f.feasible = true;
  f.cycles = j.at("cycles").get<double>();
  f.energy_pj = j.at("energy_pj").get<double>();
  f.area_um2 = j.at("area_um2").get<double>();
  f.layer_cycles = j.at("layer_cycles").get<std::vector<int64_t>>();
  f.layer_energy_pj = j.at("layer_energy_pj").get<std::vector<double>>();
  return f;
}

json rng_to_json(const Rng& r) {
  const auto& s = r.state();
  return json::array({s[0], s[1], s[2], s[3]});
}

void rng_from_json(const json& j, Rng& r) {
  std::array<uint64_t, 4> s{};
  for (int i = 0; i < 4; ++i) s[i] = j.at(i).get<uint64_t>();
  r.set_state(s);
}

}  // namespace af::search
