// Readers and writers of the vocabulary: our YAML files and DiGamma/GAMMA layer CSVs.
// Every reader rejects malformed, missing, unknown, zero, negative or overflowing fields with one
// message `file:line: field: problem (allowed: ...)`; nothing is silently defaulted except the
// optional fields documented in docs/formats.md.
#pragma once
#include <string>

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

// Tech table overrides (any subset of the fields of Tech).
Expected<Tech> read_tech_yaml(const std::string& path);

// Parsing from text (path is used for messages only); the file readers call these.
Expected<Workload> parse_workload_yaml(const std::string& text, const std::string& path);
Expected<Workload> parse_workload_csv(const std::string& text, const std::string& path);
Expected<HwConfig> parse_hw_yaml(const std::string& text, const std::string& path);
Expected<Mapping> parse_mapping_yaml(const std::string& text, const std::string& path);
Expected<Tech> parse_tech_yaml(const std::string& text, const std::string& path);

// Writes `text` to `path` atomically (temp file + rename).
Status write_file_atomic(const std::string& path, const std::string& text);

}  // namespace af
