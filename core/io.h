// Readers and writers of the vocabulary: our YAML files and DiGamma/GAMMA layer CSVs.
// Every reader rejects malformed, missing, unknown, zero, negative or overflowing fields with one
// message `file:line: field: problem (allowed: ...)`; nothing is silently defaulted except the
// optional fields documented in docs/formats.md.
#pragma once
#include <string>
#include <vector>

#include "core/hw_config.h"
#include "core/layer.h"
#include "core/mapping.h"
#include "core/status.h"
#include "core/tech.h"

namespace af {

// Workloads.
Expected<Workload> read_workload_yaml(const std::string& path);
Expected<Workload> read_workload_csv(const std::string& path);  // DiGamma/GAMMA format
// A zoo name (see zoo.h), a .csv file, or a .yaml/.yml file.
Expected<Workload> load_workload(const std::string& name_or_path);
std::string workload_to_yaml(const Workload& workload);

// Hardware.
Expected<HwConfig> read_hw_yaml(const std::string& path);
Expected<HwConfig> load_hw(const std::string& preset_or_path);  // preset name or YAML file
std::string hw_to_yaml(const HwConfig& hw);

// Mappings (one mapping, or a list under `mappings:` keyed by layer name/index).
Expected<Mapping> read_mapping_yaml(const std::string& path);
std::string mapping_to_yaml(const Mapping& mapping);

// All the mappings of a workload in one file: `mappings:` is a list of entries
// {layer: <name> | index: <i>, l2: ..., l1: ...} (docs/formats.md).
struct LayerMapping {
  std::string layer;   // layer name, or empty when the entry is keyed by index
  int64_t index = -1;  // layer index, or -1 when keyed by name
  Mapping mapping;
  int line = 0;        // line of the entry in its file (0 when not read from a file)
};
Expected<std::vector<LayerMapping>> read_mapping_list_yaml(const std::string& path);
std::string mapping_list_to_yaml(const std::vector<LayerMapping>& mappings);
// One mapping per layer of `workload`, in layer order: every layer in `needed` (default: every
// layer) needs exactly one entry, every entry must name a layer, and each mapping must be valid
// for its layer (validate(Mapping, Layer)); layers without an entry keep a default Mapping.
// `path` is used for messages only.
Expected<std::vector<Mapping>> resolve_mappings(const Workload& workload,
                                                const std::vector<LayerMapping>& entries,
                                                const std::string& path,
                                                const std::vector<int>* needed = nullptr);
// The mapping of one layer from a file that holds either one mapping or a `mappings:` list with
// an entry for that layer (other entries may be missing). Validated against the layer; errors
// name the line of the offending field.
Expected<Mapping> read_layer_mapping_yaml(const std::string& path, const Workload& workload,
                                          int layer);

// Tech table overrides (any subset of the fields of Tech).
Expected<Tech> read_tech_yaml(const std::string& path);
std::string tech_to_yaml(const Tech& tech);  // every field

// A flat YAML map of numbers, for readers outside core/ (calibration files) so that they follow
// the same rules: one document, scalar keys each once, only `keys` (in any subset), finite
// numbers. Range checks are the caller's; `line` is where to report them.
struct NumberField {
  std::string key;
  double value = 0;
  int line = 0;
};
Expected<std::vector<NumberField>> parse_number_map_yaml(const std::string& text,
                                                         const std::string& path,
                                                         const std::vector<std::string>& keys);

// Parsing from text (path is used for messages only); the file readers call these.
Expected<Workload> parse_workload_yaml(const std::string& text, const std::string& path);
Expected<Workload> parse_workload_csv(const std::string& text, const std::string& path);
Expected<HwConfig> parse_hw_yaml(const std::string& text, const std::string& path);
Expected<Mapping> parse_mapping_yaml(const std::string& text, const std::string& path);
Expected<Tech> parse_tech_yaml(const std::string& text, const std::string& path);
Expected<std::vector<LayerMapping>> parse_mapping_list_yaml(const std::string& text,
                                                            const std::string& path);

// A number as the readers accept one, for values given on the command line: decimal
// ([+-]digits[.digits][e[+-]digits]), finite; no hex, inf, nan or surrounding spaces.
bool parse_number(const std::string& text, double* out);

// Reads a whole file; error `path:0: file: cannot read (<reason>)` (line 0 = the whole file).
Expected<std::string> read_text_file(const std::string& path);
// Writes `text` to `path` atomically (temp file in the same directory + rename).
Status write_file_atomic(const std::string& path, const std::string& text);

}  // namespace af
