// Layer builders and validation (core/layer.h). Conventions: docs/template.md section 1.
#include "core/layer.h"

#include <initializer_list>
#include <limits>
#include <utility>

#include "core/internal.h"

namespace af {

using internal::checked_add;
using internal::checked_mul;
using internal::FieldProblem;

namespace {

constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();

std::optional<FieldProblem> at_least(const char* field, int64_t value, int64_t min) {
  if (value >= min) return std::nullopt;
  return FieldProblem{field, internal::below_min_problem(value, min),
                      "integer >= " + std::to_string(min)};
}

std::string lower_dim(Dim d) { return std::string(1, static_cast<char>(dim_char(d) - 'A' + 'a')); }

// Product of all extents, or nullopt on overflow.
std::optional<int64_t> checked_product(const DimArray& dims) {
  int64_t p = 1;
  for (int64_t v : dims) {
    if (!checked_mul(p, v, &p)) return std::nullopt;
  }
  return p;
}

// Stored (padded) input extent (Y-1)*stride + R, or nullopt on overflow.
std::optional<int64_t> checked_padded(int64_t out, int64_t stride, int64_t filter) {
  int64_t v = 0;
  if (!checked_mul(out - 1, stride, &v) || !checked_add(v, filter, &v)) return std::nullopt;
  return v;
}

std::optional<FieldProblem> kind_requires(const Layer& l, Dim d, int64_t want) {
  if (l[d] == want) return std::nullopt;
  return FieldProblem{lower_dim(d),
                      std::string(layer_kind_name(l.kind)) + " layer with " +
                          std::string(1, dim_char(d)) + " = " + std::to_string(l[d]),
                      std::string(1, dim_char(d)) + " = " + std::to_string(want) + " for " +
                          layer_kind_name(l.kind) + " layers"};
}

}  // namespace

const char* layer_kind_name(LayerKind kind) {
  switch (kind) {
    case LayerKind::Conv: return "conv";
    case LayerKind::Depthwise: return "depthwise";
    case LayerKind::Gemm: return "gemm";
    case LayerKind::Fc: return "fc";
  }
  return "unknown";
}

int64_t Layer::macs() const {
  const auto p = checked_product(dims);
  return p ? *p : kInt64Max;
}

int64_t Layer::input_h() const {
  const int64_t v = padded_h() - pad_y - pad_y;
  return v < 1 ? 1 : v;
}

int64_t Layer::input_w() const {
  const int64_t v = padded_w() - pad_x - pad_x;
  return v < 1 ? 1 : v;
}

int64_t Layer::tensor_words(Tensor t) const {
  const Layer& l = *this;
  int64_t w = 1;
  switch (t) {
    case Tensor::W:
      for (Dim d : {Dim::G, Dim::K, Dim::C, Dim::R, Dim::S}) checked_mul(w, l[d], &w);
      return w;
    case Tensor::I:
      for (int64_t v : {l[Dim::N], l[Dim::G], l[Dim::C], l.padded_h(), l.padded_w()}) {
        checked_mul(w, v, &w);
      }
      return w;
    case Tensor::O:
      for (Dim d : {Dim::N, Dim::G, Dim::K, Dim::Y, Dim::X}) checked_mul(w, l[d], &w);
      return w;
  }
  return w;
}

int64_t Workload::macs() const {
  int64_t total = 0;
  for (const Layer& l : layers) {
    if (!checked_add(total, l.macs(), &total)) return kInt64Max;
  }
  return total;
}

bool operator==(const Layer& a, const Layer& b) {
  return a.name == b.name && a.kind == b.kind && a.dims == b.dims && a.stride_y == b.stride_y &&
         a.stride_x == b.stride_x && a.pad_y == b.pad_y && a.pad_x == b.pad_x;
}

bool operator==(const Workload& a, const Workload& b) {
  return a.name == b.name && a.layers == b.layers;
}

namespace internal {

std::optional<FieldProblem> check_layer(const Layer& l) {
  const int k = static_cast<int>(l.kind);
  if (k < 0 || k > static_cast<int>(LayerKind::Fc)) {
    return FieldProblem{"kind", "unknown layer kind " + std::to_string(k),
                        "conv, depthwise, gemm, fc"};
  }
  for (Dim d : kAllDims) {
    if (auto p = at_least("", l[d], 1)) {
      p->field = lower_dim(d);
      return p;
    }
  }
  if (auto p = at_least("stride_y", l.stride_y, 1)) return p;
  if (auto p = at_least("stride_x", l.stride_x, 1)) return p;
  for (const auto& [field, v] : {std::pair<const char*, int64_t>{"stride_y", l.stride_y},
                                 std::pair<const char*, int64_t>{"stride_x", l.stride_x}}) {
    if (v > MAX_STRIDE) {
      return FieldProblem{field,
                          "stride " + std::to_string(v) + " above the limit " +
                              std::to_string(MAX_STRIDE),
                          "integer 1.." + std::to_string(MAX_STRIDE)};
    }
  }
  if (auto p = at_least("pad_y", l.pad_y, 0)) return p;
  if (auto p = at_least("pad_x", l.pad_x, 0)) return p;
  if (l.pad_y >= l[Dim::R]) {
    return FieldProblem{"pad_y",
                        "padding " + std::to_string(l.pad_y) + " not smaller than the filter height " +
                            std::to_string(l[Dim::R]),
                        "0 <= pad_y < r"};
  }
  if (l.pad_x >= l[Dim::S]) {
    return FieldProblem{"pad_x",
                        "padding " + std::to_string(l.pad_x) + " not smaller than the filter width " +
                            std::to_string(l[Dim::S]),
                        "0 <= pad_x < s"};
  }
  const auto hp = checked_padded(l[Dim::Y], l.stride_y, l[Dim::R]);
  const auto wp = checked_padded(l[Dim::X], l.stride_x, l[Dim::S]);
  if (!hp) return FieldProblem{"y", "padded input height (Y-1)*stride_y + R overflows int64", ""};
  if (!wp) return FieldProblem{"x", "padded input width (X-1)*stride_x + S overflows int64", ""};
  // The stored input is the padded one; at least one real row/column must remain inside it.
  if (*hp - l.pad_y - l.pad_y < 1) {
    return FieldProblem{"pad_y",
                        "padding " + std::to_string(l.pad_y) + " on both sides of a stored input of " +
                            std::to_string(*hp) + " rows leaves no real input row",
                        "2*pad_y < (Y-1)*stride_y + R"};
  }
  if (*wp - l.pad_x - l.pad_x < 1) {
    return FieldProblem{"pad_x",
                        "padding " + std::to_string(l.pad_x) + " on both sides of a stored input of " +
                            std::to_string(*wp) + " columns leaves no real input column",
                        "2*pad_x < (X-1)*stride_x + S"};
  }
  // Size limits (core/layer.h says why). Products are formed with overflow checks, so a value
  // far beyond the limit is reported as such rather than wrapped.
  const auto limit_problem = [](const char* field, const char* what,
                                std::initializer_list<int64_t> factors,
                                int64_t max) -> std::optional<FieldProblem> {
    int64_t p = 1;
    bool overflow = false;
    for (int64_t v : factors) overflow = overflow || !checked_mul(p, v, &p);
    if (!overflow && p <= max) return std::nullopt;
    const std::string value = overflow ? "overflows int64" : "= " + std::to_string(p);
    return FieldProblem{field, std::string(what) + " " + value + ", above the limit " +
                                   std::to_string(max),
                        "a product <= " + std::to_string(max) + " (2^40)"};
  };
  const auto& d = l.dims;
  const auto at = [&](Dim x) { return d[idx(x)]; };
  if (auto p = limit_problem("macs", "MAC count N*G*K*C*Y*X*R*S",
                             {d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]}, MAX_LAYER_MACS)) {
    return p;
  }
  if (auto p = limit_problem("weights", "weight tensor size G*K*C*R*S",
                             {at(Dim::G), at(Dim::K), at(Dim::C), at(Dim::R), at(Dim::S)},
                             MAX_TENSOR_WORDS)) {
    return p;
  }
  if (auto p = limit_problem("inputs", "input tensor size N*G*C*Hp*Wp (padded)",
                             {at(Dim::N), at(Dim::G), at(Dim::C), *hp, *wp}, MAX_TENSOR_WORDS)) {
    return p;
  }
  if (auto p = limit_problem("outputs", "output tensor size N*G*K*Y*X",
                             {at(Dim::N), at(Dim::G), at(Dim::K), at(Dim::Y), at(Dim::X)},
                             MAX_TENSOR_WORDS)) {
    return p;
  }
  switch (l.kind) {
    case LayerKind::Conv: break;
    case LayerKind::Depthwise:
      if (auto p = kind_requires(l, Dim::K, 1)) return p;
      if (auto p = kind_requires(l, Dim::C, 1)) return p;
      break;
    case LayerKind::Fc:
      if (auto p = kind_requires(l, Dim::Y, 1)) return p;
      [[fallthrough]];
    case LayerKind::Gemm:
      for (Dim d : {Dim::G, Dim::X, Dim::R, Dim::S}) {
        if (auto p = kind_requires(l, d, 1)) return p;
      }
      if (l.stride_y != 1 || l.stride_x != 1) {
        return FieldProblem{l.stride_y != 1 ? "stride_y" : "stride_x",
                            std::string(layer_kind_name(l.kind)) + " layer with a stride",
                            "stride 1 for gemm and fc layers"};
      }
      if (l.pad_y != 0 || l.pad_x != 0) {  // unreachable (pad < R = 1), kept for clarity
        return FieldProblem{l.pad_y != 0 ? "pad_y" : "pad_x",
                            std::string(layer_kind_name(l.kind)) + " layer with padding",
                            "pad 0 for gemm and fc layers"};
      }
      break;
  }
  return std::nullopt;
}

std::optional<FieldProblem> check_workload_macs(int64_t total, int64_t layer_macs,
                                               int64_t* new_total) {
  // Each layer is <= 2^40, so the sum of two cannot overflow.
  *new_total = total + layer_macs;
  if (*new_total <= MAX_WORKLOAD_MACS) return std::nullopt;
  return FieldProblem{"macs",
                      "the workload's MACs reach " + std::to_string(*new_total) +
                          " with this layer, above the limit " +
                          std::to_string(MAX_WORKLOAD_MACS),
                      "at most " + std::to_string(MAX_WORKLOAD_MACS) +
                          " (2^40) MACs in all the layers of a workload"};
}

std::optional<FieldProblem> build_conv(LayerKind kind, std::string name, int64_t n, int64_t g,
                                       int64_t k, int64_t c, int64_t h, int64_t w, int64_t r,
                                       int64_t s, int64_t stride_y, int64_t stride_x,
                                       int64_t pad_y, int64_t pad_x, Layer* out) {
  const bool dw = kind == LayerKind::Depthwise;
  if (auto p = at_least("n", n, 1)) return p;
  if (auto p = at_least(dw ? "channels" : "g", g, 1)) return p;
  if (auto p = at_least("k", k, 1)) return p;
  if (auto p = at_least("c", c, 1)) return p;
  if (auto p = at_least("h", h, 1)) return p;
  if (auto p = at_least("w", w, 1)) return p;
  if (auto p = at_least("r", r, 1)) return p;
  if (auto p = at_least("s", s, 1)) return p;
  if (auto p = at_least("stride_y", stride_y, 1)) return p;
  if (auto p = at_least("stride_x", stride_x, 1)) return p;
  if (auto p = at_least("pad_y", pad_y, 0)) return p;
  if (auto p = at_least("pad_x", pad_x, 0)) return p;
  if (pad_y >= r) {
    return FieldProblem{"pad_y",
                        "padding " + std::to_string(pad_y) + " not smaller than the filter height " +
                            std::to_string(r),
                        "0 <= pad_y < r"};
  }
  if (pad_x >= s) {
    return FieldProblem{"pad_x",
                        "padding " + std::to_string(pad_x) + " not smaller than the filter width " +
                            std::to_string(s),
                        "0 <= pad_x < s"};
  }
  // Y = (h + 2p - r) / stride + 1.
  int64_t hp = 0, wp = 0;
  if (!checked_add(h, pad_y, &hp) || !checked_add(hp, pad_y, &hp)) {
    return FieldProblem{"h", "padded input height h + 2*pad_y overflows int64", ""};
  }
  if (!checked_add(w, pad_x, &wp) || !checked_add(wp, pad_x, &wp)) {
    return FieldProblem{"w", "padded input width w + 2*pad_x overflows int64", ""};
  }
  if (r > hp) {
    return FieldProblem{"r",
                        "filter height " + std::to_string(r) + " larger than the padded input height " +
                            std::to_string(hp) + " (h + 2*pad_y)",
                        "r <= h + 2*pad_y"};
  }
  if (s > wp) {
    return FieldProblem{"s",
                        "filter width " + std::to_string(s) + " larger than the padded input width " +
                            std::to_string(wp) + " (w + 2*pad_x)",
                        "s <= w + 2*pad_x"};
  }
  Layer l;
  l.name = std::move(name);
  l.kind = kind;
  l.dims = {n, g, k, c, (hp - r) / stride_y + 1, (wp - s) / stride_x + 1, r, s};
  l.stride_y = stride_y;
  l.stride_x = stride_x;
  l.pad_y = pad_y;
  l.pad_x = pad_x;
  if (auto p = check_layer(l)) {
    if (dw && p->field == "g") p->field = "channels";
    return p;
  }
  *out = std::move(l);
  return std::nullopt;
}

std::optional<FieldProblem> build_gemm(std::string name, int64_t m, int64_t n, int64_t k,
                                       int64_t batch, Layer* out) {
  if (auto p = at_least("m", m, 1)) return p;
  if (auto p = at_least("n", n, 1)) return p;
  if (auto p = at_least("k", k, 1)) return p;
  if (auto p = at_least("batch", batch, 1)) return p;
  Layer l;
  l.name = std::move(name);
  l.kind = LayerKind::Gemm;
  // out[m][n] = sum_k a[m][k] * b[k][n]: K := n, C := k, Y := m (docs/template.md section 1).
  l.dims = {batch, 1, n, k, m, 1, 1, 1};
  if (auto p = check_layer(l)) return p;
  *out = std::move(l);
  return std::nullopt;
}

std::optional<FieldProblem> build_fc(std::string name, int64_t out_features, int64_t in_features,
                                     int64_t batch, Layer* out) {
  if (auto p = at_least("out", out_features, 1)) return p;
  if (auto p = at_least("in", in_features, 1)) return p;
  if (auto p = at_least("batch", batch, 1)) return p;
  Layer l;
  l.name = std::move(name);
  l.kind = LayerKind::Fc;
  // A GEMM with M = 1 per batch element: K := out, C := in, Y = 1, N := batch.
  l.dims = {batch, 1, out_features, in_features, 1, 1, 1, 1};
  if (auto p = check_layer(l)) return p;
  *out = std::move(l);
  return std::nullopt;
}

}  // namespace internal

Status validate(const Layer& layer) {
  if (auto p = internal::check_layer(layer)) return internal::to_status(*p);
  return Status();
}

Status validate(const Workload& workload) {
  if (workload.layers.empty()) {
    return Status::Error("layers: empty workload (allowed: at least one layer)");
  }
  for (size_t i = 0; i < workload.layers.size(); ++i) {
    const Layer& l = workload.layers[i];
    const std::string where = "layers[" + std::to_string(i) + "]";
    if (l.name.empty()) {
      return Status::Error(where + ".name: empty name (allowed: a non-empty, unique name)");
    }
    if (internal::has_control_character(l.name)) {
      return Status::Error(where + ".name: control character in " + internal::quote_value(l.name) +
                           " (allowed: text without control characters)");
    }
    for (size_t j = 0; j < i; ++j) {
      if (workload.layers[j].name == l.name) {
        return Status::Error(where + ".name: duplicate name " + internal::quote_value(l.name) +
                             " (also layers[" +
                             std::to_string(j) + "]) (allowed: unique names)");
      }
    }
    if (auto p = internal::check_layer(l)) {
      p->field = where + "." + p->field;
      return internal::to_status(*p);
    }
  }
  int64_t total = 0;
  for (size_t i = 0; i < workload.layers.size(); ++i) {
    if (auto p = internal::check_workload_macs(total, workload.layers[i].macs(), &total)) {
      p->field = "layers[" + std::to_string(i) + "]." + p->field;
      return internal::to_status(*p);
    }
  }
  return Status();
}

namespace {
template <typename F>
Expected<Layer> finish(F&& build) {
  Layer l;
  if (auto p = build(&l)) return internal::to_status(*p);
  return l;
}
}  // namespace

Expected<Layer> make_conv(std::string name, int64_t n, int64_t g, int64_t k_per_group,
                          int64_t c_per_group, int64_t h, int64_t w, int64_t r, int64_t s,
                          int64_t stride_y, int64_t stride_x, int64_t pad_y, int64_t pad_x) {
  return finish([&](Layer* out) {
    return internal::build_conv(LayerKind::Conv, std::move(name), n, g, k_per_group, c_per_group,
                                h, w, r, s, stride_y, stride_x, pad_y, pad_x, out);
  });
}

Expected<Layer> make_depthwise(std::string name, int64_t n, int64_t channels, int64_t h, int64_t w,
                               int64_t r, int64_t s, int64_t stride, int64_t pad) {
  // Depthwise: G = channels, K = C = 1 (docs/template.md section 1).
  return finish([&](Layer* out) {
    return internal::build_conv(LayerKind::Depthwise, std::move(name), n, channels, 1, 1, h, w, r,
                                s, stride, stride, pad, pad, out);
  });
}

Expected<Layer> make_gemm(std::string name, int64_t m, int64_t n, int64_t k, int64_t batch) {
  return finish([&](Layer* out) { return internal::build_gemm(std::move(name), m, n, k, batch, out); });
}

Expected<Layer> make_fc(std::string name, int64_t out_features, int64_t in_features,
                        int64_t batch) {
  return finish([&](Layer* out) {
    return internal::build_fc(std::move(name), out_features, in_features, batch, out);
  });
}

}  // namespace af
