// Dimension letters and loop orders (core/dims.h).
#include "core/dims.h"

#include <cctype>

namespace af {

std::optional<Dim> parse_dim(std::string_view text) {
  if (text.size() != 1) return std::nullopt;
  const char c = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
  for (Dim d : kAllDims) {
    if (dim_char(d) == c) return d;
  }
  return std::nullopt;
}

std::string order_string(const DimOrder& order) {
  std::string s;
  s.reserve(kNumDims);
  for (Dim d : order) {
    const int i = idx(d);
    s.push_back(i >= 0 && i < kNumDims ? dim_char(d) : '?');
  }
  return s;
}

bool is_valid_order(const DimOrder& order) {
  unsigned seen = 0;
  for (Dim d : order) {
    const int i = idx(d);
    if (i < 0 || i >= kNumDims || ((seen >> i) & 1u)) return false;
    seen |= 1u << i;
  }
  return seen == (1u << kNumDims) - 1;
}

std::optional<DimOrder> parse_order(std::string_view text) {
  if (text.size() != kNumDims) return std::nullopt;
  DimOrder order{};
  for (int p = 0; p < kNumDims; ++p) {
    const auto d = parse_dim(text.substr(p, 1));
    if (!d) return std::nullopt;
    order[p] = *d;
  }
  if (!is_valid_order(order)) return std::nullopt;
  return order;
}

}  // namespace af
