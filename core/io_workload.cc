// Workload readers and writer: our YAML format and DiGamma/GAMMA layer CSVs (docs/formats.md).
#include <string>
#include <vector>

#include "core/io.h"
#include "core/io_internal.h"
#include "core/zoo.h"

namespace af {

using internal::FieldProblem;
using internal::YamlMap;

namespace {

const std::vector<std::string> kConvKeys = {"name", "kind", "n", "g", "k", "c", "h", "w", "r",
                                            "s", "stride", "stride_y", "stride_x", "pad",
                                            "pad_y", "pad_x"};
const std::vector<std::string> kDepthwiseKeys = {"name", "kind", "n", "channels", "h", "w",
                                                 "r", "s", "stride", "stride_y", "stride_x",
                                                 "pad", "pad_y", "pad_x"};
const std::vector<std::string> kGemmKeys = {"name", "kind", "m", "n", "k", "batch"};
const std::vector<std::string> kFcKeys = {"name", "kind", "out", "in", "batch"};
const char* kKinds = "conv, depthwise, gemm, fc";

std::optional<LayerKind> parse_kind(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (LayerKind k : {LayerKind::Conv, LayerKind::Depthwise, LayerKind::Gemm, LayerKind::Fc}) {
    if (text == layer_kind_name(k)) return k;
  }
  return std::nullopt;
}

// `stride` or the pair `stride_y` + `stride_x` (same for pad); default when absent.
Status pair_field(const YamlMap& m, const std::string& base, int64_t min, int64_t def,
                  int64_t* y, int64_t* x) {
  const bool both = m.Has(base), has_y = m.Has(base + "_y"), has_x = m.Has(base + "_x");
  const std::string allowed =
      base + ", or both " + base + "_y and " + base + "_x (default " + std::to_string(def) + ")";
  if (both && (has_y || has_x)) {
    return m.Error(has_y ? base + "_y" : base + "_x", "given together with " + base, allowed);
  }
  if (has_y != has_x) {
    return m.Missing(has_y ? base + "_x" : base + "_y", allowed);
  }
  *y = *x = def;
  if (both) {
    if (Status s = m.Int(base, min, y); !s.ok()) return s;
    *x = *y;
  } else if (has_y) {
    if (Status s = m.Int(base + "_y", min, y); !s.ok()) return s;
    if (Status s = m.Int(base + "_x", min, x); !s.ok()) return s;
  }
  return Status();
}

// Reports a builder problem at the field it names (or at the layer). The builders say
// stride_y / pad_y; when the file used the short form `stride` / `pad`, name that key instead.
Status problem_at(const YamlMap& m, const FieldProblem& p) {
  std::string key = p.field;
  if (!m.Has(key) && (key == "stride_y" || key == "stride_x") && m.Has("stride")) key = "stride";
  if (!m.Has(key) && (key == "pad_y" || key == "pad_x") && m.Has("pad")) key = "pad";
  return FieldError(m.path(), m.LineOf(key), m.Field(key), p.problem, p.allowed);
}

Status read_layer(const YamlMap& m, Layer* out) {
  std::string name, kind_text;
  if (Status s = m.String("name", &name); !s.ok()) return s;
  if (!m.Has("kind")) return m.Missing("kind", kKinds);
  if (Status s = m.String("kind", &kind_text); !s.ok()) return s;
  const auto kind = parse_kind(kind_text);
  if (!kind) {
    return m.Error("kind", "unknown layer kind " + internal::quote_value(kind_text), kKinds);
  }
  const std::string context = std::string("for a ") + layer_kind_name(*kind) + " layer";
  std::optional<FieldProblem> problem;
  switch (*kind) {
    case LayerKind::Conv:
    case LayerKind::Depthwise: {
      const bool dw = *kind == LayerKind::Depthwise;
      if (Status s = m.CheckKeys(dw ? kDepthwiseKeys : kConvKeys, context); !s.ok()) return s;
      int64_t n = 1, g = 1, k = 1, c = 1, h = 0, w = 0, r = 0, sz = 0;
      int64_t sy = 1, sx = 1, py = 0, px = 0;
      bool present = false;
      if (Status s = m.OptInt("n", 1, &n, &present); !s.ok()) return s;
      if (dw) {
        if (Status s = m.Int("channels", 1, &g); !s.ok()) return s;
      } else {
        if (Status s = m.OptInt("g", 1, &g, &present); !s.ok()) return s;
        if (Status s = m.Int("k", 1, &k); !s.ok()) return s;
        if (Status s = m.Int("c", 1, &c); !s.ok()) return s;
      }
      if (Status s = m.Int("h", 1, &h); !s.ok()) return s;
      if (Status s = m.Int("w", 1, &w); !s.ok()) return s;
      if (Status s = m.Int("r", 1, &r); !s.ok()) return s;
      if (Status s = m.Int("s", 1, &sz); !s.ok()) return s;
      if (Status s = pair_field(m, "stride", 1, 1, &sy, &sx); !s.ok()) return s;
      if (Status s = pair_field(m, "pad", 0, 0, &py, &px); !s.ok()) return s;
      problem = internal::build_conv(*kind, name, n, g, k, c, h, w, r, sz, sy, sx, py, px, out);
      break;
    }
    case LayerKind::Gemm: {
      if (Status s = m.CheckKeys(kGemmKeys, context); !s.ok()) return s;
      int64_t mm = 0, nn = 0, kk = 0, batch = 1;
      bool present = false;
      if (Status s = m.Int("m", 1, &mm); !s.ok()) return s;
      if (Status s = m.Int("n", 1, &nn); !s.ok()) return s;
      if (Status s = m.Int("k", 1, &kk); !s.ok()) return s;
      if (Status s = m.OptInt("batch", 1, &batch, &present); !s.ok()) return s;
      problem = internal::build_gemm(name, mm, nn, kk, batch, out);
      break;
    }
    case LayerKind::Fc: {
      if (Status s = m.CheckKeys(kFcKeys, context); !s.ok()) return s;
      int64_t o = 0, i = 0, batch = 1;
      bool present = false;
      if (Status s = m.Int("out", 1, &o); !s.ok()) return s;
      if (Status s = m.Int("in", 1, &i); !s.ok()) return s;
      if (Status s = m.OptInt("batch", 1, &batch, &present); !s.ok()) return s;
      problem = internal::build_fc(name, o, i, batch, out);
      break;
    }
  }
  if (problem) return problem_at(m, *problem);
  return Status();
}

Expected<Workload> parse_workload_yaml_impl(const std::string& text, const std::string& path) {
  YAML::Node root;
  if (Status s = internal::load_yaml(text, path, &root); !s.ok()) return s;
  YamlMap top;
  if (Status s = YamlMap::Open(root, 1, path, "", &top); !s.ok()) return s;
  if (Status s = top.CheckKeys({"name", "layers"}); !s.ok()) return s;
  Workload wl;
  if (Status s = top.String("name", &wl.name); !s.ok()) return s;
  const YamlMap::Entry* layers = top.Find("layers");
  if (!layers) return top.Missing("layers", "a non-empty list of layers");
  if (!layers->value.IsSequence() || layers->value.size() == 0) {
    return FieldError(path, layers->line, "layers",
                      layers->value.IsSequence() ? "empty list" : "expected a list",
                      "a non-empty list of layers");
  }
  std::vector<int> lines;
  int64_t total_macs = 0;
  for (size_t i = 0; i < layers->value.size(); ++i) {
    const YAML::Node item = layers->value[i];
    const std::string field = "layers[" + std::to_string(i) + "]";
    YamlMap m;
    if (Status s = YamlMap::Open(item, layers->line, path, field, &m); !s.ok()) return s;
    Layer layer;
    if (Status s = read_layer(m, &layer); !s.ok()) return s;
    for (size_t j = 0; j < wl.layers.size(); ++j) {
      if (wl.layers[j].name == layer.name) {
        return FieldError(path, m.LineOf("name"), m.Field("name"),
                          "duplicate layer name " + internal::quote_value(layer.name) +
                              " (also layers[" + std::to_string(j) + "] at line " +
                              std::to_string(lines[j]) + ")",
                          "unique names");
      }
    }
    if (auto p = internal::check_workload_macs(total_macs, layer.macs(), &total_macs)) {
      return FieldError(path, m.line(), m.Field(p->field), p->problem, p->allowed);
    }
    lines.push_back(m.LineOf("name"));
    wl.layers.push_back(std::move(layer));
  }
  return wl;
}

// ---- DiGamma / GAMMA CSV -------------------------------------------------------------------

struct CsvHeader {
  const char* text;
  const char* description;
};
constexpr CsvHeader kCsvHeaders[] = {{"K,C,Y,X,R,S,T", "conv"},
                                     {"M,N,K,0,0,0,T", "gemm"},
                                     {"O,I,0,0,0,0,T", "fc"}};
const char* kCsvHeaderList = "K,C,Y,X,R,S,T | M,N,K,0,0,0,T | O,I,0,0,0,0,T";
const char* kCsvTypes = "0 (FC), 1 (CONV), 2 (depth-wise CONV), 3 (GEMM)";

std::vector<std::string> split_csv(std::string_view line) {
  std::vector<std::string> cells;
  size_t start = 0;
  while (true) {
    const size_t comma = line.find(',', start);
    cells.emplace_back(internal::trim(line.substr(start, comma - start)));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return cells;
}

std::string strip_spaces(std::string_view text) {
  std::string s;
  for (char c : text) {
    if (!std::isspace(static_cast<unsigned char>(c))) s += c;
  }
  return s;
}

Expected<Workload> parse_workload_csv_impl(const std::string& text, const std::string& path) {
  const std::string stem = internal::file_stem(path);
  Workload wl;
  wl.name = stem;
  bool have_header = false;
  int header_line = 1;
  int64_t total_macs = 0;
  size_t pos = 0;
  int line_no = 0;
  // Strip a UTF-8 byte-order mark.
  if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) pos = 3;
  while (pos <= text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string::npos) eol = text.size();
    const std::string_view raw(text.data() + pos, eol - pos);
    ++line_no;
    pos = eol + 1;
    const std::string_view line = internal::trim(raw);
    if (line.empty()) {
      if (eol == text.size()) break;
      continue;
    }
    if (!have_header) {
      const std::string h = strip_spaces(line);
      bool known = false;
      for (const CsvHeader& ch : kCsvHeaders) known = known || h == ch.text;
      if (!known) {
        return FieldError(path, line_no, "header", "unknown header " + internal::quote_value(line),
                          kCsvHeaderList);
      }
      have_header = true;
      header_line = line_no;
      continue;
    }
    const std::vector<std::string> cells = split_csv(line);
    if (cells.size() != 7) {
      return FieldError(path, line_no, "row",
                        std::to_string(cells.size()) + " columns in " + internal::quote_value(line),
                        "7 columns as in the header: " + std::string(kCsvHeaderList));
    }
    // The type column decides how the six others read (GAMMA interprets rows by T).
    int64_t type = 0;
    const auto parse_cell = [&](int col, const std::string& name, int64_t min,
                                int64_t* out) -> Status {
      const std::string& cell = cells[col];
      const std::string allowed = "integer >= " + std::to_string(min);
      if (cell.empty()) return FieldError(path, line_no, name, "empty value", allowed);
      int64_t v = 0;
      switch (internal::parse_int64(cell, &v)) {
        case internal::IntParse::kOk: break;
        case internal::IntParse::kNotInteger:
          return FieldError(path, line_no, name, "not an integer: " + internal::quote_value(cell),
                            allowed);
        case internal::IntParse::kOverflow:
          return FieldError(path, line_no, name,
                            "value " + internal::quote_value(cell) + " overflows int64",
                            allowed + " and <= 9223372036854775807");
      }
      if (v < min) return FieldError(path, line_no, name, internal::below_min_problem(v, min), allowed);
      *out = v;
      return Status();
    };
    if (Status s = parse_cell(6, "T", 0, &type); !s.ok()) return s;
    if (type > 3) {
      return FieldError(path, line_no, "T", "unknown layer type " + std::to_string(type),
                        kCsvTypes);
    }
    static const char* kNames[4][6] = {
        {"O", "I", "column 3", "column 4", "column 5", "column 6"},  // FC
        {"K", "C", "Y", "X", "R", "S"},                             // CONV
        {"K", "C", "Y", "X", "R", "S"},                             // DSCONV
        {"M", "N", "K", "column 4", "column 5", "column 6"},        // GEMM
    };
    int64_t v[6] = {};
    for (int col = 0; col < 6; ++col) {
      const bool padding = kNames[type][col][0] == 'c';
      if (Status s = parse_cell(col, kNames[type][col], padding ? 0 : 1, &v[col]); !s.ok()) {
        return s;
      }
      if (padding && v[col] > 1) {
        return FieldError(path, line_no, kNames[type][col],
                          "padding column of a " + std::string(type == 0 ? "FC" : "GEMM") +
                              " row is " + std::to_string(v[col]),
                          "0 or 1");
      }
    }
    const std::string name = stem + "_L" + std::to_string(wl.layers.size());
    Layer layer;
    std::optional<FieldProblem> problem;
    if (type == 1 || type == 2) {
      // Y, X are INPUT sizes; stride 1, no padding: output = Y - R + 1.
      if (v[4] > v[2]) {
        return FieldError(path, line_no, "R",
                          "filter height " + std::to_string(v[4]) + " larger than the input height Y=" +
                              std::to_string(v[2]),
                          "R <= Y (Y is the input height)");
      }
      if (v[5] > v[3]) {
        return FieldError(path, line_no, "S",
                          "filter width " + std::to_string(v[5]) + " larger than the input width X=" +
                              std::to_string(v[3]),
                          "S <= X (X is the input width)");
      }
      if (type == 2 && v[0] != 1) {
        return FieldError(path, line_no, "K",
                          "depth-wise row with K=" + std::to_string(v[0]),
                          "K = 1 (C holds the channel count)");
      }
      problem = type == 1 ? internal::build_conv(LayerKind::Conv, name, 1, 1, v[0], v[1], v[2],
                                                 v[3], v[4], v[5], 1, 1, 0, 0, &layer)
                          : internal::build_conv(LayerKind::Depthwise, name, 1, v[1], 1, 1, v[2],
                                                 v[3], v[4], v[5], 1, 1, 0, 0, &layer);
    } else if (type == 3) {
      problem = internal::build_gemm(name, v[0], v[1], v[2], 1, &layer);
    } else {
      problem = internal::build_fc(name, v[0], v[1], 1, &layer);
    }
    if (!problem) problem = internal::check_workload_macs(total_macs, layer.macs(), &total_macs);
    if (problem) {
      // Only size limits can remain here; name the whole row.
      return FieldError(path, line_no, "row", problem->field + ": " + problem->problem,
                        problem->allowed);
    }
    wl.layers.push_back(std::move(layer));
  }
  if (!have_header) {
    return FieldError(path, 1, "header", "missing header (empty file)", kCsvHeaderList);
  }
  if (wl.layers.empty()) {
    return FieldError(path, header_line, "rows", "no layer rows after the header",
                      "at least one row");
  }
  return wl;
}

std::string int_field(const char* key, int64_t v) {
  return std::string(", ") + key + ": " + std::to_string(v);
}

std::string pair_text(const char* base, int64_t y, int64_t x) {
  if (y == x) return int_field(base, y);
  return int_field((std::string(base) + "_y").c_str(), y) +
         int_field((std::string(base) + "_x").c_str(), x);
}

}  // namespace

Expected<Workload> parse_workload_yaml(const std::string& text, const std::string& path) {
  try {
    return parse_workload_yaml_impl(text, path);
  } catch (const std::exception& e) {
    return FieldError(path, 0, "yaml", std::string("internal error: ") + e.what());
  }
}

Expected<Workload> parse_workload_csv(const std::string& text, const std::string& path) {
  try {
    return parse_workload_csv_impl(text, path);
  } catch (const std::exception& e) {
    return FieldError(path, 0, "csv", std::string("internal error: ") + e.what());
  }
}

Expected<Workload> read_workload_yaml(const std::string& path) {
  Expected<std::string> text = read_text_file(path);
  if (!text.ok()) return text.status();
  return parse_workload_yaml(*text, path);
}

Expected<Workload> read_workload_csv(const std::string& path) {
  Expected<std::string> text = read_text_file(path);
  if (!text.ok()) return text.status();
  return parse_workload_csv(*text, path);
}

Expected<Workload> load_workload(const std::string& name_or_path) {
  if (auto model = zoo_model(name_or_path)) return std::move(*model);
  if (internal::ends_with(name_or_path, ".csv")) return read_workload_csv(name_or_path);
  if (internal::ends_with(name_or_path, ".yaml") || internal::ends_with(name_or_path, ".yml")) {
    return read_workload_yaml(name_or_path);
  }
  std::string names;
  for (const std::string& n : zoo_names()) names += n + ", ";
  return Status::Error("workload: '" + internal::escape_text(name_or_path) + "'" +
                       " is neither a zoo model nor a .csv/.yaml/.yml file (allowed: " + names +
                       "or a path ending in .csv, .yaml or .yml)");
}

std::string workload_to_yaml(const Workload& workload) {
  using internal::yaml_quote;
  std::string y = "# AccelForge workload (docs/formats.md). k and c are per group; h and w are\n"
                  "# the real (unpadded) input size.\n";
  y += "name: " + yaml_quote(workload.name) + "\nlayers:\n";
  for (const Layer& l : workload.layers) {
    y += "  - {name: " + yaml_quote(l.name) + ", kind: " + layer_kind_name(l.kind);
    switch (l.kind) {
      case LayerKind::Conv:
      case LayerKind::Depthwise:
        y += int_field("n", l[Dim::N]);
        if (l.kind == LayerKind::Conv) {
          y += int_field("g", l[Dim::G]) + int_field("k", l[Dim::K]) + int_field("c", l[Dim::C]);
        } else {
          y += int_field("channels", l[Dim::G]);
        }
        y += int_field("h", l.input_h()) + int_field("w", l.input_w()) +
             int_field("r", l[Dim::R]) + int_field("s", l[Dim::S]) +
             pair_text("stride", l.stride_y, l.stride_x) + pair_text("pad", l.pad_y, l.pad_x);
        break;
      case LayerKind::Gemm:
        y += int_field("m", l[Dim::Y]) + int_field("n", l[Dim::K]) + int_field("k", l[Dim::C]) +
             int_field("batch", l[Dim::N]);
        break;
      case LayerKind::Fc:
        y += int_field("out", l[Dim::K]) + int_field("in", l[Dim::C]) +
             int_field("batch", l[Dim::N]);
        break;
    }
    y += "}\n";
  }
  return y;
}

}  // namespace af
