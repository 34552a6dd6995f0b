// Calibration files: a small YAML map of multipliers, validated field by field.
#include "costmodel/calibration.h"

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <sstream>

#include "core/io.h"

namespace af {

Expected<Calibration> parse_calibration_yaml(const std::string& text, const std::string& path) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    return Status::Error(path + ":" + std::to_string(e.mark.line + 1) +
                         ": yaml: malformed (" + e.msg + ")");
  }
  if (!root.IsMap())
    return Status::Error(path + ":1: calibration: not a map (allowed: template_version, compute, "
                                "input_wait, output_wait, dram_stall, fill_drain, offset_cycles)");
  Calibration c;
  bool have_version = false;
  for (const auto& kv : root) {
    const std::string key = kv.first.Scalar();
    const std::string where = path + ":" + std::to_string(kv.first.Mark().line + 1) + ": " + key;
    double value = 0;
    try {
      value = kv.second.as<double>();
    } catch (const YAML::Exception&) {
      return Status::Error(where + ": not a number (allowed: a finite number)");
    }
    if (!std::isfinite(value)) return Status::Error(where + ": not finite (allowed: a finite number)");
    if (key == "template_version") {
      if (value != kTemplateVersion)
        return Status::Error(where + ": calibration is for another template version (allowed: " +
                             std::to_string(kTemplateVersion) + ")");
      have_version = true;
      continue;
    }
    double* field = key == "compute"       ? &c.compute
                    : key == "input_wait"  ? &c.input_wait
                    : key == "output_wait" ? &c.output_wait
                    : key == "dram_stall"  ? &c.dram_stall
                    : key == "fill_drain"  ? &c.fill_drain
                    : key == "offset_cycles" ? &c.offset_cycles
                                             : nullptr;
    if (!field)
      return Status::Error(where + ": unknown field (allowed: template_version, compute, "
                                   "input_wait, output_wait, dram_stall, fill_drain, offset_cycles)");
    if (key != "offset_cycles" && value <= 0)
      return Status::Error(where + ": must be positive (allowed: > 0)");
    *field = value;
  }
  if (!have_version)
    return Status::Error(path + ":1: template_version: missing (allowed: " +
                         std::to_string(kTemplateVersion) + ")");
  return c;
}

Expected<Calibration> read_calibration_yaml(const std::string& path) {
  Expected<std::string> text = read_text_file(path);
  if (!text.ok()) return text.status();
  return parse_calibration_yaml(*text, path);
}

std::string calibration_to_yaml(const Calibration& c) {
  std::ostringstream os;
  os.precision(17);
  os << "template_version: " << kTemplateVersion << "\ncompute: " << c.compute
     << "\ninput_wait: " << c.input_wait << "\noutput_wait: " << c.output_wait
     << "\ndram_stall: " << c.dram_stall << "\nfill_drain: " << c.fill_drain
     << "\noffset_cycles: " << c.offset_cycles << "\n";
  return os.str();
}

}  // namespace af
