// YAML helpers of the core readers (core/io_internal.h).
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <sstream>
#include <string>
#include <vector>

#include <yaml-cpp/eventhandler.h>

#include "core/io_internal.h"

namespace af::internal {

namespace {

const char* node_type_name(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Undefined: return "nothing";
    case YAML::NodeType::Null: return "an empty value";
    case YAML::NodeType::Scalar: return "a scalar";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Map: return "a map";
  }
  return "something else";
}

std::string excerpt(const std::string& text) { return quote_value(text); }

}  // namespace

int line_of(const YAML::Node& node, int fallback) {
  if (!node.IsDefined()) return fallback;
  const YAML::Mark m = node.Mark();
  if (m.is_null() || m.line < 0) return fallback;
  return m.line + 1;
}

std::string join_field(const std::string& prefix, const std::string& key) {
  if (prefix.empty()) return key;
  if (key.empty()) return prefix;
  return prefix + "." + key;
}

namespace {

// Counts the events of one document and records where it starts. Used to look at the document
// structure before building nodes: yaml-cpp 0.7's LoadAll() never returns on some inputs (a
// top-level ',' yields an endless series of empty documents that consume nothing).
class DocumentProbe : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& mark) override { start = mark; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
  YAML::Mark start = YAML::Mark::null_mark();
};

int mark_line(const YAML::Mark& mark) { return mark.is_null() || mark.line < 0 ? 1 : mark.line + 1; }

}  // namespace

Status load_yaml(const std::string& text, const std::string& path, YAML::Node* root) {
  // YAML allows no control characters but tab and line breaks; yaml-cpp misreports some (a NUL
  // gives "unknown escape character" with a line break in it), so say what is there.
  int line = 1;
  for (const char ch : text) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (c == '\n') ++line;
    if ((c < 0x20 && c != '\n' && c != '\t' && c != '\r') || c == 0x7f) {
      return FieldError(path, line, "yaml", "control character " + quote_value(std::string(1, ch)),
                        "valid YAML: no control characters but tab and line breaks");
    }
  }
  try {
    // 1. Structure: at most one document, and a parser that makes progress (two documents
    //    starting at the same place mean a token nothing consumes).
    std::istringstream in(text);
    YAML::Parser parser(in);
    std::vector<YAML::Mark> starts;
    for (int doc = 0; doc < 4; ++doc) {
      DocumentProbe probe;
      if (!parser.HandleNextDocument(probe)) break;
      starts.push_back(probe.start);
    }
    for (size_t d = 1; d < starts.size(); ++d) {
      if (starts[d].pos == starts[d - 1].pos) {
        const size_t at = static_cast<size_t>(starts[d].pos);
        const std::string what =
            at < text.size() ? quote_value(text.substr(at, 1)) : "end of input";
        return FieldError(path, mark_line(starts[d]), "yaml", "syntax error: unexpected " + what,
                          "valid YAML");
      }
    }
    if (starts.size() > 1) {
      return FieldError(path, mark_line(starts[1]), "yaml", "more than one document",
                        "exactly one YAML document");
    }
    // 2. The nodes of the (single) document.
    YAML::Node node = YAML::Load(text);
    if (!node.IsDefined() || node.IsNull()) {
      return FieldError(path, 1, "yaml", "empty document", "a YAML map");
    }
    *root = node;
    return Status();
  } catch (const YAML::Exception& e) {
    std::string msg = e.msg;
    if (msg == "bad file") msg = "document nested too deeply or unreadable";
    return FieldError(path, mark_line(e.mark), "yaml", "syntax error: " + escape_text(msg),
                      "valid YAML");
  } catch (const std::exception& e) {
    return FieldError(path, 0, "yaml", "cannot parse: " + escape_text(e.what()), "valid YAML");
  }
}

Status YamlMap::Open(const YAML::Node& node, int line, const std::string& path,
                     const std::string& field, YamlMap* out) {
  const int map_line = line_of(node, line);
  if (!node.IsMap()) {
    return FieldError(path, node.IsNull() ? line : map_line, field.empty() ? "(document)" : field,
                      std::string("expected a map, found ") + node_type_name(node), "a map");
  }
  YamlMap m;
  m.path_ = path;
  m.prefix_ = field;
  m.line_ = map_line;
  for (const auto& kv : node) {
    const YAML::Node key = kv.first;
    const int key_line = line_of(key, map_line);
    if (!key.IsScalar()) {
      return FieldError(path, key_line, field.empty() ? "(document)" : field,
                        std::string("key is ") + node_type_name(key), "plain scalar keys");
    }
    const std::string k = key.Scalar();
    for (const Entry& e : m.entries_) {
      if (e.key == k) {
        return FieldError(path, key_line, join_field(field, clip_text(k)),
                          "duplicate field (first at line " + std::to_string(e.line) + ")",
                          "each field once");
      }
    }
    m.entries_.push_back(Entry{k, key_line, kv.second});
  }
  *out = std::move(m);
  return Status();
}

Status YamlMap::CheckKeys(const std::vector<std::string>& allowed,
                          const std::string& context) const {
  for (const Entry& e : entries_) {
    bool ok = false;
    for (const std::string& a : allowed) ok = ok || a == e.key;
    if (ok) continue;
    std::string list;
    for (const std::string& a : allowed) list += (list.empty() ? "" : ", ") + a;
    return FieldError(path_, e.line, Field(e.key),
                      "unknown field" + (context.empty() ? "" : " " + context), list);
  }
  return Status();
}

const YamlMap::Entry* YamlMap::Find(const std::string& key) const {
  for (const Entry& e : entries_) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

int YamlMap::LineOf(const std::string& key) const {
  const Entry* e = Find(key);
  return e ? e->line : line_;
}

Status YamlMap::Missing(const std::string& key, const std::string& allowed) const {
  return FieldError(path_, line_, Field(key), "missing", allowed);
}

Status YamlMap::Error(const std::string& key, const std::string& problem,
                      const std::string& allowed) const {
  return FieldError(path_, LineOf(key), Field(key), problem, allowed);
}

Status yaml_int(const YAML::Node& value, int line, const std::string& path,
                const std::string& field, int64_t min, int64_t* out) {
  const std::string allowed = "integer >= " + std::to_string(min);
  if (!value.IsScalar()) {
    return FieldError(path, line, field,
                      std::string("expected an integer, found ") + node_type_name(value), allowed);
  }
  const std::string& text = value.Scalar();
  // yaml-cpp tags a quoted scalar "!" and a plain one "?": "10" is a string, as in YAML itself.
  if (value.Tag() == "!") {
    return FieldError(path, line, field, "expected an integer, found the quoted string " +
                                             excerpt(text),
                      allowed + ", unquoted");
  }
  int64_t v = 0;
  switch (parse_int64(trim(text), &v)) {
    case IntParse::kOk: break;
    case IntParse::kNotInteger:
      return FieldError(path, line, field, "not an integer: " + excerpt(text), allowed);
    case IntParse::kOverflow:
      return FieldError(path, line, field, "value " + excerpt(text) + " overflows int64",
                        allowed + " and <= 9223372036854775807");
  }
  if (v < min) return FieldError(path, line, field, below_min_problem(v, min), allowed);
  *out = v;
  return Status();
}

Status YamlMap::Int(const std::string& key, int64_t min, int64_t* out) const {
  const Entry* e = Find(key);
  if (!e) return Missing(key, "integer >= " + std::to_string(min));
  return yaml_int(e->value, e->line, path_, Field(key), min, out);
}

Status YamlMap::OptInt(const std::string& key, int64_t min, int64_t* out, bool* present) const {
  const Entry* e = Find(key);
  *present = e != nullptr;
  if (!e) return Status();
  return yaml_int(e->value, e->line, path_, Field(key), min, out);
}

Status YamlMap::Double(const std::string& key, double* out) const {
  const Entry* e = Find(key);
  if (!e) return Missing(key, "a finite number");
  if (!e->value.IsScalar()) {
    return FieldError(path_, e->line, Field(key),
                      std::string("expected a number, found ") + node_type_name(e->value),
                      "a finite number");
  }
  if (e->value.Tag() == "!") {  // quoted: a string, as for integers (yaml_int)
    return FieldError(path_, e->line, Field(key),
                      "expected a number, found the quoted string " + excerpt(e->value.Scalar()),
                      "a finite number, unquoted");
  }
  double v = 0;
  if (!parse_finite_double(trim(e->value.Scalar()), &v)) {
    return FieldError(path_, e->line, Field(key),
                      "not a finite number: " + excerpt(e->value.Scalar()),
                      "a finite decimal number such as 0.3 or 1e-2");
  }
  *out = v;
  return Status();
}

Status YamlMap::String(const std::string& key, std::string* out) const {
  const Entry* e = Find(key);
  if (!e) return Missing(key, "a non-empty string");
  if (!e->value.IsScalar()) {
    return FieldError(path_, e->line, Field(key),
                      std::string("expected a string, found ") + node_type_name(e->value),
                      "a non-empty string");
  }
  if (e->value.Scalar().empty()) {
    return FieldError(path_, e->line, Field(key), "empty string", "a non-empty string");
  }
  // A quoted "\n" or "\t" decodes to a control character, which would break one-line
  // messages, tables and the emitted files that carry names.
  if (has_control_character(e->value.Scalar())) {
    return FieldError(path_, e->line, Field(key),
                      "control character in " + quote_value(e->value.Scalar()),
                      "a string without control characters");
  }
  *out = e->value.Scalar();
  return Status();
}

Status YamlMap::DimValue(const std::string& key, Dim* out) const {
  const char* allowed = "one of N G K C Y X R S";
  const Entry* e = Find(key);
  if (!e) return Missing(key, allowed);
  if (!e->value.IsScalar()) {
    return FieldError(path_, e->line, Field(key),
                      std::string("expected a dimension letter, found ") +
                          node_type_name(e->value),
                      allowed);
  }
  const auto d = parse_dim(trim(e->value.Scalar()));
  if (!d) {
    return FieldError(path_, e->line, Field(key),
                      "unknown dimension " + excerpt(e->value.Scalar()), allowed);
  }
  *out = *d;
  return Status();
}

Status YamlMap::Order(const std::string& key, DimOrder* out) const {
  const char* allowed = "a permutation of the 8 letters NGKCYXRS, outermost first";
  const Entry* e = Find(key);
  if (!e) return Missing(key, allowed);
  if (!e->value.IsScalar()) {
    return FieldError(path_, e->line, Field(key),
                      std::string("expected a string of 8 dimension letters, found ") +
                          node_type_name(e->value),
                      allowed);
  }
  const std::string text(trim(e->value.Scalar()));
  if (const auto order = parse_order(text)) {
    *out = *order;
    return Status();
  }
  // Say precisely what is wrong.
  std::string problem;
  int count[kNumDims] = {};
  for (char c : text) {
    const auto d = parse_dim(std::string_view(&c, 1));
    if (!d) {
      problem = quote_value(std::string(1, c)) + " in " + excerpt(text) + " is not a dimension";
      break;
    }
    ++count[idx(*d)];
  }
  if (problem.empty()) {
    std::string repeated, missing;
    for (Dim d : kAllDims) {
      if (count[idx(d)] > 1) repeated += dim_char(d);
      if (count[idx(d)] == 0) missing += dim_char(d);
    }
    problem = excerpt(text) + " is not a permutation";
    if (text.size() != kNumDims) problem += " (" + std::to_string(text.size()) + " letters)";
    if (!repeated.empty()) problem += ", repeats " + repeated;
    if (!missing.empty()) problem += ", misses " + missing;
  }
  return FieldError(path_, e->line, Field(key), problem, allowed);
}

Status YamlMap::SubMap(const std::string& key, YamlMap* out) const {
  const Entry* e = Find(key);
  if (!e) return Missing(key, "a map");
  return Open(e->value, e->line, path_, Field(key), out);
}

}  // namespace af::internal
