// Calibration files: a small YAML map of multipliers, read with the core readers' rules
// (core/io.h parse_number_map_yaml) and range-checked here.
#include "costmodel/calibration.h"

#include <cmath>
#include <sstream>
#include <vector>

#include "core/io.h"

namespace af {

namespace {

const std::vector<std::string> kKeys = {"template_version", "compute",    "input_wait",
                                        "output_wait",      "dram_stall", "fill_drain",
                                        "offset_cycles"};

std::string number_text(double v) {
  std::ostringstream os;
  os.precision(6);
  os << v;
  return os.str();
}

}  // namespace

Expected<Calibration> parse_calibration_yaml(const std::string& text, const std::string& path) {
  Expected<std::vector<NumberField>> fields = parse_number_map_yaml(text, path, kKeys);
  if (!fields.ok()) return fields.status();
  Calibration c;
  bool have_version = false;
  // Fitted factors are near 1 (a cause taking 100x the modelled time means the model is wrong,
  // not uncalibrated) and offsets are a few hundred cycles; the bounds keep calibrated cycles
  // finite and within int64 for any layer the limits of core/layer.h allow.
  constexpr double kMaxFactor = 100;
  constexpr double kMaxOffset = 1e9;
  for (const NumberField& f : *fields) {
    if (f.key == "template_version") {
      if (f.value != kTemplateVersion) {
        return FieldError(path, f.line, f.key,
                          "calibration is for another template version " + number_text(f.value),
                          std::to_string(kTemplateVersion));
      }
      have_version = true;
      continue;
    }
    if (f.key == "offset_cycles") {
      if (!(std::fabs(f.value) <= kMaxOffset)) {
        return FieldError(path, f.line, f.key, "offset " + number_text(f.value) + " too large",
                          "a number with |offset| <= 1e9");
      }
      c.offset_cycles = f.value;
      continue;
    }
    const char* allowed = "a number > 0 and <= 100 (fitted factors are near 1)";
    if (f.value <= 0) {
      return FieldError(path, f.line, f.key,
                        f.value == 0 ? "zero factor" : "negative factor " + number_text(f.value),
                        allowed);
    }
    if (f.value > kMaxFactor) {
      return FieldError(path, f.line, f.key,
                        "factor " + number_text(f.value) + " above the limit 100", allowed);
    }
    double* field = f.key == "compute"       ? &c.compute
                    : f.key == "input_wait"  ? &c.input_wait
                    : f.key == "output_wait" ? &c.output_wait
                    : f.key == "dram_stall"  ? &c.dram_stall
                                             : &c.fill_drain;
    *field = f.value;
  }
  if (!have_version) {
    return FieldError(path, 1, "template_version", "missing", std::to_string(kTemplateVersion));
  }
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
