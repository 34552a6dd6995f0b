// Private helpers of core/ (not part of the vocabulary API; other folders must not include this).
// Checked int64 arithmetic, strict number parsing, YAML quoting, and the field-level error value
// the builders and validators share with the readers (which add `file:line:` to it).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/layer.h"
#include "core/status.h"

namespace af::internal {

inline bool checked_mul(int64_t a, int64_t b, int64_t* out) {
  return !__builtin_mul_overflow(a, b, out);
}
inline bool checked_add(int64_t a, int64_t b, int64_t* out) {
  return !__builtin_add_overflow(a, b, out);
}

// A problem with one named field: `field: problem (allowed: ...)`.
struct FieldProblem {
  std::string field;
  std::string problem;
  std::string allowed;
};
Status to_status(const FieldProblem& p);  // without a file prefix

// Strict integer text: optional sign, decimal digits only (no spaces, no 1e3, no 0x10, no 1.0).
enum class IntParse { kOk, kNotInteger, kOverflow };
IntParse parse_int64(std::string_view text, int64_t* out);
// Strict decimal floating point text (digits, optional fraction and exponent); finite only.
bool parse_finite_double(std::string_view text, double* out);
// Describes why `value` (already parsed) is below `min`: "zero value", "negative value -3", ...
std::string below_min_problem(int64_t value, int64_t min);

// Shortest decimal text that reads back as exactly `v` ("30", "0.3", "1e-07").
std::string format_double(double v);

std::string_view trim(std::string_view text);
// Input text as it may appear in a one-line error message: control bytes, DEL, C1 controls,
// U+2028/2029 and bytes that are not UTF-8 are written as escapes (\n, \t, \r, \xNN), so an
// error stays one line whatever the input holds.
std::string escape_text(std::string_view text);
// An echoed input value: escaped as above, cut after 40 characters ("..."), in single quotes.
// Every reader message that repeats a value from its input goes through here (keys, which name
// fields, through clip_text: the same without the quotes).
std::string quote_value(std::string_view text);
// Whether a name holds a control character (bytes below 0x20, or DEL): names end up in tables,
// one-line messages, Verilog comments and C++ strings, so they are refused.
bool has_control_character(std::string_view text);
std::string clip_text(std::string_view text);

// A YAML double-quoted scalar that reads back as exactly `text`.
std::string yaml_quote(const std::string& text);
// "dir/resnet18.csv" -> "resnet18".
std::string file_stem(const std::string& path);
bool ends_with(const std::string& text, const std::string& suffix);  // case-insensitive

// Builders with field-level errors (the public make_* wrap these). Field names are the YAML keys:
// conv/depthwise n g k c h w r s stride_y stride_x pad_y pad_x (depthwise: channels for g);
// gemm m n k batch; fc out in batch.
std::optional<FieldProblem> build_conv(LayerKind kind, std::string name, int64_t n, int64_t g,
                                       int64_t k, int64_t c, int64_t h, int64_t w, int64_t r,
                                       int64_t s, int64_t stride_y, int64_t stride_x,
                                       int64_t pad_y, int64_t pad_x, Layer* out);
std::optional<FieldProblem> build_gemm(std::string name, int64_t m, int64_t n, int64_t k,
                                       int64_t batch, Layer* out);
std::optional<FieldProblem> build_fc(std::string name, int64_t out_features, int64_t in_features,
                                     int64_t batch, Layer* out);
// validate(Layer) with the problem kept apart; field names: n g k c y x r s (dims), stride_y,
// stride_x, pad_y, pad_x, macs.
std::optional<FieldProblem> check_layer(const Layer& layer);
// Adds a valid layer's MACs to a workload's running total; a problem (field `macs`) when the new
// total is above MAX_WORKLOAD_MACS.
std::optional<FieldProblem> check_workload_macs(int64_t total, int64_t layer_macs,
                                               int64_t* new_total);

}  // namespace af::internal
