// Readers and writers of hardware configurations, mappings and tech tables (docs/formats.md).
#include <string>
#include <vector>

#include "core/io.h"
#include "core/io_internal.h"

namespace af {

using internal::YamlMap;

namespace {

// ---- HwConfig ---------------------------------------------------------------------------------

const char* kL1Keys[kNumTensors] = {"l1_w_bytes", "l1_i_bytes", "l1_o_bytes"};
const char* kL2Keys[kNumTensors] = {"l2_w_bytes", "l2_i_bytes", "l2_o_bytes"};

// A message from validate(...) is `field: problem (allowed: ...)`: put `file:line:` in front,
// with the line of that field when the file has it.
Status locate(const YamlMap& m, const Status& s) {
  const std::string& msg = s.message();
  const size_t colon = msg.find(':');
  const std::string field = colon == std::string::npos ? "" : msg.substr(0, colon);
  return Status::Error(m.path() + ":" + std::to_string(m.LineOf(field)) + ": " +
                       (m.Field("").empty() ? "" : m.Field("") + ".") + msg);
}

Expected<HwConfig> parse_hw_impl(const std::string& text, const std::string& path) {
  YAML::Node root;
  if (Status s = internal::load_yaml(text, path, &root); !s.ok()) return s;
  YamlMap m;
  if (Status s = YamlMap::Open(root, 1, path, "", &m); !s.ok()) return s;
  std::vector<std::string> keys = {"name", "rows", "cols", "row_dim", "col_dim"};
  for (int t = 0; t < kNumTensors; ++t) keys.push_back(kL1Keys[t]);
  for (int t = 0; t < kNumTensors; ++t) keys.push_back(kL2Keys[t]);
  for (const char* k : {"noc_words_per_cycle", "dram_bytes_per_cycle", "dram_latency_cycles",
                        "weight_bits", "input_bits", "psum_bits"}) {
    keys.push_back(k);
  }
  if (Status s = m.CheckKeys(keys); !s.ok()) return s;
  HwConfig hw;
  if (m.Has("name")) {
    if (Status s = m.String("name", &hw.name); !s.ok()) return s;
  }
  if (Status s = m.Int("rows", 1, &hw.rows); !s.ok()) return s;
  if (Status s = m.Int("cols", 1, &hw.cols); !s.ok()) return s;
  if (Status s = m.DimValue("row_dim", &hw.row_dim); !s.ok()) return s;
  if (Status s = m.DimValue("col_dim", &hw.col_dim); !s.ok()) return s;
  for (Tensor t : kAllTensors) {
    if (Status s = m.Int(kL1Keys[idx(t)], 1, &hw.l1_bytes[idx(t)]); !s.ok()) return s;
    if (Status s = m.Int(kL2Keys[idx(t)], 1, &hw.l2_bytes[idx(t)]); !s.ok()) return s;
  }
  if (Status s = m.Int("noc_words_per_cycle", 1, &hw.noc_words_per_cycle); !s.ok()) return s;
  if (Status s = m.Int("dram_bytes_per_cycle", 1, &hw.dram_bytes_per_cycle); !s.ok()) return s;
  if (Status s = m.Int("dram_latency_cycles", 1, &hw.dram_latency_cycles); !s.ok()) return s;
  bool present = false;
  if (Status s = m.OptInt("weight_bits", 1, &hw.weight_bits, &present); !s.ok()) return s;
  if (Status s = m.OptInt("input_bits", 1, &hw.input_bits, &present); !s.ok()) return s;
  if (Status s = m.OptInt("psum_bits", 1, &hw.psum_bits, &present); !s.ok()) return s;
  if (Status s = validate(hw); !s.ok()) return locate(m, s);
  return hw;
}

// ---- Mapping ----------------------------------------------------------------------------------

Status read_tile(const YamlMap& level, DimArray* tile) {
  YamlMap m;
  if (Status s = level.SubMap("tile", &m); !s.ok()) return s;
  const char* allowed = "the 8 dimensions N G K C Y X R S, each once";
  std::array<const YamlMap::Entry*, kNumDims> seen{};
  for (const YamlMap::Entry& e : m.entries()) {
    const auto d = parse_dim(e.key);
    if (!d) return FieldError(m.path(), e.line, m.Field(e.key), "unknown dimension", allowed);
    if (seen[idx(*d)]) {
      return FieldError(m.path(), e.line, m.Field(e.key),
                        "duplicate dimension (first at line " +
                            std::to_string(seen[idx(*d)]->line) + ")",
                        allowed);
    }
    seen[idx(*d)] = &e;
  }
  for (Dim d : kAllDims) {
    const YamlMap::Entry* e = seen[idx(d)];
    if (!e) return m.Missing(std::string(1, dim_char(d)), "integer >= 1 (every dimension)");
    if (Status s = internal::yaml_int(e->value, e->line, m.path(), m.Field(e->key), 1,
                                      &(*tile)[idx(d)]);
        !s.ok()) {
      return s;
    }
  }
  return Status();
}

Status read_level(const YamlMap& parent, const char* key, LevelMapping* level, YamlMap* out) {
  if (Status s = parent.SubMap(key, out); !s.ok()) return s;
  if (Status s = out->CheckKeys({"tile", "order"}); !s.ok()) return s;
  if (Status s = read_tile(*out, &level->tile); !s.ok()) return s;
  return out->Order("order", &level->order);
}

// l2 and l1 of `m`; L1 tiles may not exceed L2 tiles (the layer is not known here).
Status read_mapping(const YamlMap& m, Mapping* mapping) {
  YamlMap l2, l1;
  if (Status s = read_level(m, "l2", &mapping->l2, &l2); !s.ok()) return s;
  if (Status s = read_level(m, "l1", &mapping->l1, &l1); !s.ok()) return s;
  YamlMap tile;
  if (Status s = l1.SubMap("tile", &tile); !s.ok()) return s;
  for (Dim d : kAllDims) {
    const int64_t t1 = mapping->l1.tile[idx(d)], t2 = mapping->l2.tile[idx(d)];
    if (t1 > t2) {
      // Find the key as written (either case).
      std::string key(1, dim_char(d));
      if (!tile.Has(key)) key = std::string(1, static_cast<char>(dim_char(d) - 'A' + 'a'));
      return tile.Error(key,
                        "tile " + std::to_string(t1) + " larger than the L2 tile " +
                            std::to_string(t2),
                        "1.." + std::to_string(t2));
    }
  }
  return Status();
}

Expected<Mapping> parse_mapping_impl(const std::string& text, const std::string& path) {
  YAML::Node root;
  if (Status s = internal::load_yaml(text, path, &root); !s.ok()) return s;
  YamlMap m;
  if (Status s = YamlMap::Open(root, 1, path, "", &m); !s.ok()) return s;
  if (m.Has("mappings")) {
    return m.Error("mappings",
                   "a list of mappings where one mapping was expected",
                   "l2 and l1 (read lists with read_mapping_list_yaml)");
  }
  if (Status s = m.CheckKeys({"l2", "l1"}); !s.ok()) return s;
  Mapping mapping;
  if (Status s = read_mapping(m, &mapping); !s.ok()) return s;
  return mapping;
}

Expected<std::vector<LayerMapping>> parse_mapping_list_impl(const std::string& text,
                                                            const std::string& path) {
  YAML::Node root;
  if (Status s = internal::load_yaml(text, path, &root); !s.ok()) return s;
  YamlMap top;
  if (Status s = YamlMap::Open(root, 1, path, "", &top); !s.ok()) return s;
  if (Status s = top.CheckKeys({"mappings"}); !s.ok()) return s;
  const YamlMap::Entry* list = top.Find("mappings");
  if (!list) return top.Missing("mappings", "a non-empty list of mappings");
  if (!list->value.IsSequence() || list->value.size() == 0) {
    return FieldError(path, list->line, "mappings",
                      list->value.IsSequence() ? "empty list" : "expected a list",
                      "a non-empty list of {layer or index, l2, l1}");
  }
  std::vector<LayerMapping> out;
  for (size_t i = 0; i < list->value.size(); ++i) {
    const std::string field = "mappings[" + std::to_string(i) + "]";
    YamlMap m;
    if (Status s = YamlMap::Open(list->value[i], list->line, path, field, &m); !s.ok()) return s;
    if (Status s = m.CheckKeys({"layer", "index", "l2", "l1"}); !s.ok()) return s;
    LayerMapping e;
    e.line = m.line();
    const char* key_allowed = "exactly one of layer (a layer name) and index (0-based)";
    if (m.Has("layer") && m.Has("index")) return m.Error("index", "given together with layer", key_allowed);
    if (m.Has("layer")) {
      if (Status s = m.String("layer", &e.layer); !s.ok()) return s;
    } else if (m.Has("index")) {
      if (Status s = m.Int("index", 0, &e.index); !s.ok()) return s;
    } else {
      return m.Missing("layer", key_allowed);
    }
    for (size_t j = 0; j < out.size(); ++j) {
      if ((!e.layer.empty() && out[j].layer == e.layer) ||
          (e.index >= 0 && out[j].index == e.index)) {
        return m.Error(e.layer.empty() ? "index" : "layer",
                       "second mapping for the same layer (first at line " +
                           std::to_string(out[j].line) + ")",
                       "one mapping per layer");
      }
    }
    if (Status s = read_mapping(m, &e.mapping); !s.ok()) return s;
    out.push_back(std::move(e));
  }
  return out;
}

// ---- Tech -------------------------------------------------------------------------------------

struct TechField {
  const char* key;
  double Tech::*member;
};
constexpr TechField kTechFields[] = {
    {"mac_um2", &Tech::mac_um2},
    {"sram_um2_per_bit", &Tech::sram_um2_per_bit},
    {"mac_pj", &Tech::mac_pj},
    {"sram_pj_per_byte_at_8kib", &Tech::sram_pj_per_byte_at_8kib},
    {"sram_min_pj_per_byte", &Tech::sram_min_pj_per_byte},
    {"dram_pj_per_byte", &Tech::dram_pj_per_byte},
    {"noc_pj_per_byte", &Tech::noc_pj_per_byte},
};

Expected<Tech> parse_tech_impl(const std::string& text, const std::string& path) {
  YAML::Node root;
  if (Status s = internal::load_yaml(text, path, &root); !s.ok()) return s;
  YamlMap m;
  if (Status s = YamlMap::Open(root, 1, path, "", &m); !s.ok()) return s;
  std::vector<std::string> keys;
  for (const TechField& f : kTechFields) keys.push_back(f.key);
  if (Status s = m.CheckKeys(keys); !s.ok()) return s;
  Tech tech;
  for (const TechField& f : kTechFields) {
    if (!m.Has(f.key)) continue;  // any subset: absent fields keep the defaults of core/tech.h
    if (Status s = m.Double(f.key, &(tech.*f.member)); !s.ok()) return s;
  }
  if (Status s = validate(tech); !s.ok()) return locate(m, s);
  return tech;
}

Expected<std::vector<NumberField>> parse_number_map_impl(const std::string& text,
                                                         const std::string& path,
                                                         const std::vector<std::string>& keys) {
  YAML::Node root;
  if (Status s = internal::load_yaml(text, path, &root); !s.ok()) return s;
  YamlMap m;
  if (Status s = YamlMap::Open(root, 1, path, "", &m); !s.ok()) return s;
  if (Status s = m.CheckKeys(keys); !s.ok()) return s;
  std::vector<NumberField> out;
  for (const YamlMap::Entry& e : m.entries()) {
    NumberField f;
    f.key = e.key;
    f.line = e.line;
    if (Status s = m.Double(e.key, &f.value); !s.ok()) return s;
    out.push_back(f);
  }
  return out;
}

std::string tile_text(const DimArray& tile) {
  std::string y = "{";
  for (Dim d : kAllDims) {
    y += std::string(d == Dim::N ? "" : ", ") + dim_char(d) + ": " + std::to_string(tile[idx(d)]);
  }
  return y + "}";
}

std::string level_text(const LevelMapping& level) {
  return "{tile: " + tile_text(level.tile) + ", order: " + order_string(level.order) + "}";
}

template <typename F>
auto guarded(const std::string& path, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const std::exception& e) {
    return FieldError(path, 0, "yaml", std::string("internal error: ") + e.what());
  }
}

}  // namespace

Expected<HwConfig> parse_hw_yaml(const std::string& text, const std::string& path) {
  return guarded(path, [&] { return parse_hw_impl(text, path); });
}
Expected<Mapping> parse_mapping_yaml(const std::string& text, const std::string& path) {
  return guarded(path, [&] { return parse_mapping_impl(text, path); });
}
Expected<std::vector<LayerMapping>> parse_mapping_list_yaml(const std::string& text,
                                                            const std::string& path) {
  return guarded(path, [&] { return parse_mapping_list_impl(text, path); });
}
Expected<Tech> parse_tech_yaml(const std::string& text, const std::string& path) {
  return guarded(path, [&] { return parse_tech_impl(text, path); });
}
Expected<std::vector<NumberField>> parse_number_map_yaml(const std::string& text,
                                                         const std::string& path,
                                                         const std::vector<std::string>& keys) {
  return guarded(path, [&] { return parse_number_map_impl(text, path, keys); });
}

Expected<HwConfig> read_hw_yaml(const std::string& path) {
  Expected<std::string> text = read_text_file(path);
  if (!text.ok()) return text.status();
  return parse_hw_yaml(*text, path);
}
Expected<Mapping> read_mapping_yaml(const std::string& path) {
  Expected<std::string> text = read_text_file(path);
  if (!text.ok()) return text.status();
  return parse_mapping_yaml(*text, path);
}
Expected<std::vector<LayerMapping>> read_mapping_list_yaml(const std::string& path) {
  Expected<std::string> text = read_text_file(path);
  if (!text.ok()) return text.status();
  return parse_mapping_list_yaml(*text, path);
}
Expected<Tech> read_tech_yaml(const std::string& path) {
  Expected<std::string> text = read_text_file(path);
  if (!text.ok()) return text.status();
  return parse_tech_yaml(*text, path);
}

Expected<HwConfig> load_hw(const std::string& preset_or_path) {
  if (auto hw = hw_preset(preset_or_path)) return *hw;
  if (internal::ends_with(preset_or_path, ".yaml") || internal::ends_with(preset_or_path, ".yml")) {
    return read_hw_yaml(preset_or_path);
  }
  std::string names;
  for (const std::string& n : hw_preset_names()) names += n + ", ";
  return Status::Error("hw: '" + internal::escape_text(preset_or_path) + "'" +
                       " is neither a preset nor a .yaml/.yml file (allowed: " + names +
                       "or a path ending in .yaml or .yml)");
}

std::string hw_to_yaml(const HwConfig& hw) {
  auto line = [](const char* key, int64_t v) {
    return std::string(key) + ": " + std::to_string(v) + "\n";
  };
  std::string y = "# AccelForge hardware configuration (docs/formats.md, docs/template.md s2)\n";
  y += "name: " + internal::yaml_quote(hw.name) + "\n";
  y += line("rows", hw.rows) + line("cols", hw.cols);
  y += std::string("row_dim: ") + dim_char(hw.row_dim) + "\n";
  y += std::string("col_dim: ") + dim_char(hw.col_dim) + "\n";
  for (Tensor t : kAllTensors) y += line(kL1Keys[idx(t)], hw.l1_bytes[idx(t)]);
  for (Tensor t : kAllTensors) y += line(kL2Keys[idx(t)], hw.l2_bytes[idx(t)]);
  y += line("noc_words_per_cycle", hw.noc_words_per_cycle);
  y += line("dram_bytes_per_cycle", hw.dram_bytes_per_cycle);
  y += line("dram_latency_cycles", hw.dram_latency_cycles);
  y += line("weight_bits", hw.weight_bits) + line("input_bits", hw.input_bits) +
       line("psum_bits", hw.psum_bits);
  return y;
}

std::string mapping_to_yaml(const Mapping& mapping) {
  std::string y = "# AccelForge mapping (docs/formats.md, docs/template.md s3); order outermost first\n";
  y += "l2:\n  tile: " + tile_text(mapping.l2.tile) + "\n  order: " +
       order_string(mapping.l2.order) + "\n";
  y += "l1:\n  tile: " + tile_text(mapping.l1.tile) + "\n  order: " +
       order_string(mapping.l1.order) + "\n";
  return y;
}

std::string mapping_list_to_yaml(const std::vector<LayerMapping>& mappings) {
  std::string y = "# AccelForge mappings of a workload (docs/formats.md)\nmappings:\n";
  for (const LayerMapping& e : mappings) {
    if (e.layer.empty()) {
      y += "  - index: " + std::to_string(e.index) + "\n";
    } else {
      y += "  - layer: " + internal::yaml_quote(e.layer) + "\n";
    }
    y += "    l2: " + level_text(e.mapping.l2) + "\n";
    y += "    l1: " + level_text(e.mapping.l1) + "\n";
  }
  return y;
}

Expected<std::vector<Mapping>> resolve_mappings(const Workload& workload,
                                                const std::vector<LayerMapping>& entries,
                                                const std::string& path,
                                                const std::vector<int>* needed) {
  const size_t n = workload.layers.size();
  std::vector<Mapping> out(n);
  std::vector<int> owner(n, -1);  // entry index per layer
  for (size_t i = 0; i < entries.size(); ++i) {
    const LayerMapping& e = entries[i];
    const std::string field = "mappings[" + std::to_string(i) + "]";
    size_t li = n;
    if (!e.layer.empty()) {
      for (size_t j = 0; j < n; ++j) {
        if (workload.layers[j].name == e.layer) li = j;
      }
      if (li == n) {
        return FieldError(path, e.line, field + ".layer",
                          "no layer named " + internal::quote_value(e.layer) + " in workload " +
                              internal::quote_value(workload.name),
                          "the names of its " + std::to_string(n) + " layers");
      }
    } else {
      if (e.index < 0 || static_cast<size_t>(e.index) >= n) {
        return FieldError(path, e.line, field + ".index",
                          "index " + std::to_string(e.index) + " out of range for workload " +
                              internal::quote_value(workload.name),
                          "0.." + std::to_string(static_cast<int64_t>(n) - 1));
      }
      li = static_cast<size_t>(e.index);
    }
    if (owner[li] >= 0) {
      return FieldError(path, e.line, field,
                        "second mapping for layer " +
                            internal::quote_value(workload.layers[li].name) + " (first at line " +
                            std::to_string(entries[owner[li]].line) + ")",
                        "one mapping per layer");
    }
    owner[li] = static_cast<int>(i);
    if (Status s = validate(e.mapping, workload.layers[li]); !s.ok()) {
      return Status::Error(path + ":" + std::to_string(e.line) + ": " + field + "." + s.message());
    }
    out[li] = e.mapping;
  }
  std::vector<int> all;
  if (needed == nullptr) {
    for (size_t j = 0; j < n; ++j) all.push_back(static_cast<int>(j));
    needed = &all;
  }
  for (int j : *needed) {
    if (owner[j] < 0) {
      return FieldError(path, 0, "mappings",
                        "no mapping for layer " + internal::quote_value(workload.layers[j].name) +
                            " (index " +
                            std::to_string(j) + ")",
                        "one mapping per layer of the workload");
    }
  }
  return out;
}

std::string tech_to_yaml(const Tech& tech) {
  std::string y = "# AccelForge technology table (docs/formats.md; sources in core/tech.cc)\n";
  for (const TechField& f : kTechFields) {
    y += std::string(f.key) + ": " + internal::format_double(tech.*f.member) + "\n";
  }
  return y;
}

namespace {

// Line of a dotted field ("l2.tile.K") in a parsed document, 0 when it is not there.
int line_of_field(const YAML::Node& root, const std::string& field) {
  YAML::Node node = root;
  size_t start = 0;
  for (;;) {
    if (!node.IsMap()) return 0;
    const size_t dot = field.find('.', start);
    const std::string key =
        field.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    const YAML::Node& map = node;
    node = map[key];
    if (!node) return 0;
    if (dot == std::string::npos) return node.Mark().line + 1;
    start = dot + 1;
  }
}

Expected<Mapping> read_layer_mapping_impl(const std::string& text, const std::string& path,
                                          const Workload& workload, int layer) {
  YAML::Node root;
  if (Status s = internal::load_yaml(text, path, &root); !s.ok()) return s;
  const YAML::Node& doc = root;
  if (doc.IsMap() && doc["mappings"]) {
    Expected<std::vector<LayerMapping>> list = parse_mapping_list_yaml(text, path);
    if (!list.ok()) return list.status();
    const std::vector<int> needed{layer};
    Expected<std::vector<Mapping>> all = resolve_mappings(workload, *list, path, &needed);
    if (!all.ok()) return all.status();
    return (*all)[static_cast<size_t>(layer)];
  }
  Expected<Mapping> single = parse_mapping_yaml(text, path);
  if (!single.ok()) return single.status();
  if (Status s = validate(*single, workload.layers[static_cast<size_t>(layer)]); !s.ok()) {
    const std::string& m = s.message();  // "<field>: <problem> (allowed: ...)"
    return Status::Error(path + ":" + std::to_string(line_of_field(root, m.substr(0, m.find(':')))) +
                         ": " + m);
  }
  return *single;
}

}  // namespace

Expected<Mapping> read_layer_mapping_yaml(const std::string& path, const Workload& workload,
                                          int layer) {
  Expected<std::string> text = read_text_file(path);
  if (!text.ok()) return text.status();
  return guarded(path, [&] { return read_layer_mapping_impl(*text, path, workload, layer); });
}

}  // namespace af
