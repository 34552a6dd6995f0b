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

namespace {

// Length of the well-formed UTF-8 sequence at text[i] that a terminal prints on one line, or 0.
size_t printable_utf8(std::string_view text, size_t i) {
  const auto byte = [&](size_t j) { return static_cast<unsigned char>(text[j]); };
  const unsigned char c = byte(i);
  size_t len = 0;
  uint32_t cp = 0;
  if (c >= 0xC2 && c <= 0xDF) len = 2, cp = c & 0x1F;
  else if (c >= 0xE0 && c <= 0xEF) len = 3, cp = c & 0x0F;
  else if (c >= 0xF0 && c <= 0xF4) len = 4, cp = c & 0x07;
  else return 0;
  if (i + len > text.size()) return 0;
  for (size_t j = 1; j < len; ++j) {
    if ((byte(i + j) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + j) & 0x3F);
  }
  // Overlong forms, surrogates, beyond U+10FFFF; C1 controls and the Unicode line separators.
  if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF))) return 0;
  if ((cp >= 0xD800 && cp <= 0xDFFF) || (cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 ||
      cp == 0x2029) {
    return 0;
  }
  return len;
}

}  // namespace

std::string escape_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    if (c >= 0x80) {
      if (const size_t len = printable_utf8(text, i)) {
        out.append(text.substr(i, len));
        i += len;
        continue;
      }
    }
    switch (c) {
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default: {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\x%02x", c);
        out += buf;
      }
    }
    ++i;
  }
  return out;
}

std::string clip_text(std::string_view text) {
  // Cut the input before escaping (a 100 kB cell is not escaped in full), then cut the escaped
  // text at the same length so that escapes do not make it much longer than 40 characters.
  constexpr size_t kMax = 40;
  std::string e = escape_text(text.substr(0, kMax));
  bool cut = text.size() > kMax;
  if (e.size() > kMax) {
    size_t n = kMax;
    // Do not split a UTF-8 sequence or an escape.
    while (n > 0 && (static_cast<unsigned char>(e[n]) & 0xC0) == 0x80) --n;
    const size_t bs = e.rfind('\\', n);
    if (bs != std::string::npos && n - bs < 4 && bs + 1 < e.size() &&
        (e[bs + 1] == 'x' || e[bs + 1] == 'n' || e[bs + 1] == 't' || e[bs + 1] == 'r')) {
      const size_t esc_len = e[bs + 1] == 'x' ? 4 : 2;
      if (bs + esc_len > n) n = bs;
    }
    e.resize(n);
    cut = true;
  }
  return cut ? e + "..." : e;
}

bool has_control_character(std::string_view text) {
  for (unsigned char c : text)
    if (c < 0x20 || c == 0x7f) return true;
  return false;
}

std::string quote_value(std::string_view text) { return "'" + clip_text(text) + "'"; }

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
