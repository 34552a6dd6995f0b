// Reading and writing calibration files (fitted per-cause cycle multipliers, costmodel/cost.h).
#pragma once
#include <string>

#include "core/status.h"
#include "costmodel/cost.h"

namespace af {

// YAML keys: template_version (must match kTemplateVersion), compute, input_wait, output_wait,
// dram_stall, fill_drain (multipliers, > 0), offset_cycles. Unknown keys are errors.
Expected<Calibration> parse_calibration_yaml(const std::string& text, const std::string& path);
Expected<Calibration> read_calibration_yaml(const std::string& path);
std::string calibration_to_yaml(const Calibration& calibration);

inline constexpr int kTemplateVersion = 1;  // docs/template.md "schedule v1"

}  // namespace af
