// Built-in model zoo with the real shapes (stride, padding, groups) of public architectures.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/layer.h"

namespace af {

std::vector<std::string> zoo_names();
std::optional<Workload> zoo_model(const std::string& name);

}  // namespace af
