// Private helpers of core/ (core/internal.h).
#include "core/internal.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace af::internal {

Status to_status(const FieldProblem& p) {
  std::string m = p.field + ": " + p.problem;
  if (!p.allowed.empty()) m += " (allowed: " + p.allowed + ")";
  return Status::Error(std::move(m));
}

IntParse parse_int64(std::string_view text, int64_t* out) {
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    negative = text[i] == '-';
    ++i;
  }
  if (i == text.size()) return IntParse::kNotInteger;
  int64_t value = 0;
  bool overflow = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c < '0' || c > '9') return IntParse::kNotInteger;
    const int digit = c - '0';
    // Accumulate negatively so INT64_MIN parses too.
    if (!overflow && (__builtin_mul_overflow(value, 10, &value) ||
                      __builtin_sub_overflow(value, digit, &value))) {
      overflow = true;
    }
  }
  if (overflow) return IntParse::kOverflow;
  if (!negative) {
    if (value == INT64_MIN) return IntParse::kOverflow;
    value = -value;
  }
  *out = value;
  return IntParse::kOk;
}

bool parse_finite_double(std::string_view text, double* out) {
  // [+-] digits [. digits] [e [+-] digits], or [+-] . digits [...]
  size_t i = 0;
  const size_t n = text.size();
  if (i < n && (text[i] == '+' || text[i] == '-')) ++i;
  size_t digits = 0;
  while (i < n && std::isdigit(static_cast<unsigned char>(text[i]))) ++i, ++digits;
  if (i < n && text[i] == '.') {
    ++i;
    while (i < n && std::isdigit(static_cast<unsigned char>(text[i]))) ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < n && (text[i] == '+' || text[i] == '-')) ++i;
    size_t exp_digits = 0;
    while (i < n && std::isdigit(static_cast<unsigned char>(text[i]))) ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  if (i != n) return false;
  // The syntax is checked above; strtod only has to convert. Overflow gives +-HUGE_VAL (rejected);
  // underflow to a denormal or zero is harmless.
  const std::string copy(text);
  char* end = nullptr;
  const double v = std::strtod(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size() || !std::isfinite(v)) return false;
  *out = v;
  return true;
}

std::string below_min_problem(int64_t value, int64_t min) {
  if (value == 0) return "zero value";
  if (value < 0) return "negative value " + std::to_string(value);
  return "value " + std::to_string(value) + " below the minimum " + std::to_string(min);
}

std::string_view trim(std::string_view text) {
  size_t b = 0, e = text.size();
  while (b < e && std::isspace(static_cast<unsigned char>(text[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(text[e - 1]))) --e;
  return text.substr(b, e - b);
}

std::string yaml_quote(const std::string& text) {
  std::string q = "\"";
  for (unsigned char c : text) {
    switch (c) {
      case '"': q += "\\\""; break;
      case '\\': q += "\\\\"; break;
      case '\n': q += "\\n"; break;
      case '\t': q += "\\t"; break;
      case '\r': q += "\\r"; break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\x%02x", c);
          q += buf;
        } else {
          q += static_cast<char>(c);
        }
    }
  }
  q += '"';
  return q;
}

std::string file_stem(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  const size_t dot = base.find_last_of('.');
  if (dot != std::string::npos && dot > 0) base.resize(dot);
  return base;
}

bool ends_with(const std::string& text, const std::string& suffix) {
  if (suffix.size() > text.size()) return false;
  for (size_t i = 0; i < suffix.size(); ++i) {
    const char a = static_cast<char>(
        std::tolower(static_cast<unsigned char>(text[text.size() - suffix.size() + i])));
    const char b = static_cast<char>(std::tolower(static_cast<unsigned char>(suffix[i])));
    if (a != b) return false;
  }
  return true;
}

std::string format_double(double v) {
  char buf[64];
  if (v > -1e15 && v < 1e15 && v == std::trunc(v)) {
    std::snprintf(buf, sizeof buf, "%.0f", v);  // integral: "30", not "3e+01"
    return buf;
  }
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  return buf;
}

}  // namespace af::internal
