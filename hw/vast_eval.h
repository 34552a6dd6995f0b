// Constant evaluation and self-determined width/signedness of VAST expressions (Verilog 1364-2005
// section 5.4 rules, restricted to what VAST can express). Used by the legalize pass to check
// every assignment and port connection, and by the manifest writer to report port widths.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "hw/vast.h"

namespace af::vast {

// Values of parameters, localparams and genvars in one scope. Lookups fall back to the parent.
class Env {
 public:
  explicit Env(const Env* parent = nullptr) : parent_(parent) {}
  void set(const Decl* decl, int64_t value) { values_[decl] = value; }
  std::optional<int64_t> get(const Decl* decl) const;

 private:
  const Env* parent_;
  std::map<const Decl*, int64_t> values_;
};

// Value of a constant expression; nullopt when it refers to a net or to an unbound parameter,
// divides by zero, or is not a constant form (concatenation, selects).
std::optional<int64_t> eval(const Expr* expr, const Env& env);

// The self-determined type of an expression.
struct TypeInfo {
  int64_t width = 1;
  bool is_signed = false;
  // An integer constant (unsized literal, parameter, genvar, $clog2): it may mix with sized
  // operands of any width, as loop indices and widths do.
  bool is_integer = false;
  int64_t array_size = 0;  // > 0 for an unpacked array (a Ref to an array declaration)
};

// Computes types and records errors (selects out of range, implicit extensions, mixed
// signedness, unsized parts of a concatenation). A nullopt result without a new error means the
// type depends on something not known in `env` (for example a genvar not bound).
class TypeChecker {
 public:
  explicit TypeChecker(std::vector<std::string>* errors) : errors_(errors) {}
  std::optional<TypeInfo> type_of(const Expr* expr, const Env& env);
  // Width of a declared type; nullopt when not evaluable.
  static std::optional<int64_t> width_of(const DataType& type, const Env& env);

 private:
  void error(const std::string& message) { errors_->push_back(message); }
  std::vector<std::string>* errors_;
};

// Binds `module`'s header parameters to their defaults (evaluated in order) and its body-level
// localparams (not those inside generate loops).
Env module_env(const Module& module);

// Binds the parameters of an instance's module: connected ones to their values in `parent`,
// the others to their defaults. nullopt when a connected value is not a constant in `parent`.
std::optional<Env> instance_env(const Instance& instance, const Env& parent);

// A copy of `expr` with every subexpression that refers to no declaration replaced by its value
// (an unsized integer), and x*1, 1*x, x+0, 0+x reduced to x. For readable widths after rebind().
Expr* fold(VerilogFile& file, Expr* expr);

}  // namespace af::vast
