// Shared output of the CLI: a Cost as JSON (the keys every subcommand reports) and as text.
#pragma once
#include <nlohmann/json.hpp>
#include <string>

#include "core/layer.h"
#include "costmodel/cost.h"

namespace af::cli {

nlohmann::json cost_to_json(const Cost& cost);
nlohmann::json accesses_to_json(const AccessTable& accesses);
nlohmann::json breakdown_to_json(const CycleBreakdown& breakdown);
nlohmann::json mapping_to_json(const Mapping& mapping);
// A readable multi-line report of one evaluated layer.
std::string cost_to_text(const Layer& layer, const Cost& cost);

// Resolves --layer: a 0-based index or a layer name; error message names the allowed range.
Expected<int> resolve_layer(const Workload& workload, const std::string& which);

}  // namespace af::cli
