// Private YAML helpers of the core readers (not part of the API). Every helper returns a Status
// whose message is `file:line: field: problem (allowed: ...)`; lines come from yaml-cpp marks.
#pragma once
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/dims.h"
#include "core/internal.h"
#include "core/status.h"

namespace af::internal {

// Parses one YAML document. Syntax errors, empty input and several documents are errors.
Status load_yaml(const std::string& text, const std::string& path, YAML::Node* root);

// 1-based line of a node, or `fallback` when the node carries no mark.
int line_of(const YAML::Node& node, int fallback);

// "layers[2]" + "k" -> "layers[2].k"; "" + "k" -> "k".
std::string join_field(const std::string& prefix, const std::string& key);

// A YAML map whose keys were checked: scalars, no duplicates.
class YamlMap {
 public:
  struct Entry {
    std::string key;
    int line = 0;  // line of the key
    YAML::Node value;
  };

  // `node` must be a map (error names `field` at `line` otherwise).
  static Status Open(const YAML::Node& node, int line, const std::string& path,
                     const std::string& field, YamlMap* out);
  // Every key must be in `allowed` (error: `unknown field`, listing `allowed` and `context`).
  Status CheckKeys(const std::vector<std::string>& allowed, const std::string& context = "") const;

  bool Has(const std::string& key) const { return Find(key) != nullptr; }
  const Entry* Find(const std::string& key) const;
  const std::vector<Entry>& entries() const { return entries_; }
  int line() const { return line_; }
  const std::string& path() const { return path_; }
  // For messages: the key escaped and cut (internal::clip_text).
  std::string Field(const std::string& key) const { return join_field(prefix_, clip_text(key)); }
  // Line of `key` if present, else the line of the map.
  int LineOf(const std::string& key) const;

  Status Missing(const std::string& key, const std::string& allowed) const;
  Status Error(const std::string& key, const std::string& problem,
               const std::string& allowed = "") const;

  // Required / optional typed values.
  Status Int(const std::string& key, int64_t min, int64_t* out) const;
  Status OptInt(const std::string& key, int64_t min, int64_t* out, bool* present) const;
  Status Double(const std::string& key, double* out) const;  // finite
  Status String(const std::string& key, std::string* out) const;  // non-empty scalar
  Status DimValue(const std::string& key, Dim* out) const;
  Status Order(const std::string& key, DimOrder* out) const;
  Status SubMap(const std::string& key, YamlMap* out) const;  // required map value

 private:
  std::string path_;
  std::string prefix_;
  int line_ = 0;
  std::vector<Entry> entries_;
};

// A scalar value parsed as an integer >= min, with errors naming `field` at `line`.
Status yaml_int(const YAML::Node& value, int line, const std::string& path,
                const std::string& field, int64_t min, int64_t* out);

}  // namespace af::internal
