// Constant evaluation and expression types for VAST (see vast_eval.h).
#include "hw/vast_eval.h"

#include <algorithm>

#include "hw/vast_print.h"

namespace af::vast {

std::optional<int64_t> Env::get(const Decl* decl) const {
  auto it = values_.find(decl);
  if (it != values_.end()) return it->second;
  return parent_ ? parent_->get(decl) : std::nullopt;
}

namespace {

int64_t clog2(int64_t v) {
  int64_t r = 0;
  while ((int64_t{1} << r) < v) ++r;
  return r;
}

bool is_arith(BinaryOp op) {
  switch (op) {
    case BinaryOp::kAdd: case BinaryOp::kSub: case BinaryOp::kMul: case BinaryOp::kDiv:
    case BinaryOp::kMod: case BinaryOp::kAnd: case BinaryOp::kOr: case BinaryOp::kXor:
      return true;
    default:
      return false;
  }
}

bool is_compare(BinaryOp op) {
  switch (op) {
    case BinaryOp::kEq: case BinaryOp::kNe: case BinaryOp::kLt: case BinaryOp::kLe:
    case BinaryOp::kGt: case BinaryOp::kGe:
      return true;
    default:
      return false;
  }
}

}  // namespace

std::optional<int64_t> eval(const Expr* expr, const Env& env) {
  switch (expr->kind()) {
    case ExprKind::kLiteral: {
      const auto* lit = static_cast<const Literal*>(expr);
      return static_cast<int64_t>(lit->value());
    }
    case ExprKind::kRef: {
      const Decl* d = static_cast<const Ref*>(expr)->decl();
      if (d->kind() == DeclKind::kParameter || d->kind() == DeclKind::kLocalParam ||
          d->kind() == DeclKind::kGenvar)
        return env.get(d);
      return std::nullopt;
    }
    case ExprKind::kUnary: {
      const auto* u = static_cast<const Unary*>(expr);
      auto a = eval(u->arg(), env);
      if (!a) return std::nullopt;
      switch (u->op()) {
        case UnaryOp::kNegate: return -*a;
        case UnaryOp::kLogicalNot: return *a == 0 ? 1 : 0;
        case UnaryOp::kNot: return ~*a;
        default: return std::nullopt;
      }
    }
    case ExprKind::kBinary: {
      const auto* b = static_cast<const Binary*>(expr);
      auto l = eval(b->lhs(), env);
      auto r = eval(b->rhs(), env);
      if (!l || !r) return std::nullopt;
      switch (b->op()) {
        case BinaryOp::kAdd: return *l + *r;
        case BinaryOp::kSub: return *l - *r;
        case BinaryOp::kMul: return *l * *r;
        case BinaryOp::kDiv: if (*r == 0) return std::nullopt; return *l / *r;
        case BinaryOp::kMod: if (*r == 0) return std::nullopt; return *l % *r;
        case BinaryOp::kShl: if (*r < 0 || *r > 62) return std::nullopt; return *l << *r;
        case BinaryOp::kShr:
        case BinaryOp::kAshr: if (*r < 0 || *r > 62) return std::nullopt; return *l >> *r;
        case BinaryOp::kAnd: return *l & *r;
        case BinaryOp::kOr: return *l | *r;
        case BinaryOp::kXor: return *l ^ *r;
        case BinaryOp::kLogicalAnd: return (*l != 0 && *r != 0) ? 1 : 0;
        case BinaryOp::kLogicalOr: return (*l != 0 || *r != 0) ? 1 : 0;
        case BinaryOp::kEq: return *l == *r ? 1 : 0;
        case BinaryOp::kNe: return *l != *r ? 1 : 0;
        case BinaryOp::kLt: return *l < *r ? 1 : 0;
        case BinaryOp::kLe: return *l <= *r ? 1 : 0;
        case BinaryOp::kGt: return *l > *r ? 1 : 0;
        case BinaryOp::kGe: return *l >= *r ? 1 : 0;
      }
      return std::nullopt;
    }
    case ExprKind::kTernary: {
      const auto* t = static_cast<const Ternary*>(expr);
      auto c = eval(t->cond(), env);
      if (!c) return std::nullopt;
      return eval(*c ? t->if_true() : t->if_false(), env);
    }
    case ExprKind::kClog2: {
      auto a = eval(static_cast<const Call*>(expr)->arg(), env);
      if (!a) return std::nullopt;
      return clog2(*a);
    }
    case ExprKind::kSigned:
    case ExprKind::kUnsigned:
      return eval(static_cast<const Call*>(expr)->arg(), env);
    default:
      return std::nullopt;
  }
}

std::optional<int64_t> TypeChecker::width_of(const DataType& type, const Env& env) {
  if (type.width == nullptr) return 1;
  return eval(type.width, env);
}

std::optional<TypeInfo> TypeChecker::type_of(const Expr* expr, const Env& env) {
  switch (expr->kind()) {
    case ExprKind::kLiteral: {
      const auto* lit = static_cast<const Literal*>(expr);
      if (lit->unsized()) return TypeInfo{32, true, true, 0};
      return TypeInfo{lit->width(), lit->is_signed(), false, 0};
    }
    case ExprKind::kRef: {
      const Decl* d = static_cast<const Ref*>(expr)->decl();
      switch (d->kind()) {
        case DeclKind::kParameter:
        case DeclKind::kLocalParam:
        case DeclKind::kGenvar:
          return TypeInfo{32, true, true, 0};
        case DeclKind::kPort: {
          const auto* p = static_cast<const Port*>(d);
          auto w = width_of(p->type(), env);
          if (!w) return std::nullopt;
          return TypeInfo{*w, p->type().is_signed, false, 0};
        }
        case DeclKind::kWire:
        case DeclKind::kReg: {
          const auto* n = static_cast<const NetDecl*>(d);
          auto w = width_of(n->type(), env);
          if (!w) return std::nullopt;
          int64_t size = 0;
          if (n->type().array_size) {
            auto s = eval(n->type().array_size, env);
            if (!s) return std::nullopt;
            size = *s;
          }
          return TypeInfo{*w, n->type().is_signed, false, size};
        }
      }
      return std::nullopt;
    }
    case ExprKind::kUnary: {
      const auto* u = static_cast<const Unary*>(expr);
      auto a = type_of(u->arg(), env);
      if (!a) return std::nullopt;
      if (u->op() == UnaryOp::kNot || u->op() == UnaryOp::kNegate) return a;
      return TypeInfo{1, false, false, 0};
    }
    case ExprKind::kBinary: {
      const auto* b = static_cast<const Binary*>(expr);
      auto l = type_of(b->lhs(), env);
      auto r = type_of(b->rhs(), env);
      if (!l || !r) return std::nullopt;
      if (b->op() == BinaryOp::kShl || b->op() == BinaryOp::kShr || b->op() == BinaryOp::kAshr)
        return l;
      if (b->op() == BinaryOp::kLogicalAnd || b->op() == BinaryOp::kLogicalOr)
        return TypeInfo{1, false, false, 0};
      if (is_arith(b->op()) || is_compare(b->op())) {
        // Integer constants mix freely (they are indices and widths). Two sized operands must
        // agree in width and signedness: Verilog would extend or reinterpret them silently.
        if (!l->is_integer && !r->is_integer) {
          if (l->width != r->width)
            error("implicit extension in '" + print_expr(expr) + "': widths " +
                  std::to_string(l->width) + " and " + std::to_string(r->width));
          if (l->is_signed != r->is_signed)
            error("mixed signedness in '" + print_expr(expr) + "' (use $signed/$unsigned)");
        } else if (l->is_integer != r->is_integer) {
          const TypeInfo& sized = l->is_integer ? *r : *l;
          if (sized.is_signed)
            error("signed operand mixed with an integer constant in '" + print_expr(expr) +
                  "' (use a sized signed literal)");
        }
        if (is_compare(b->op())) return TypeInfo{1, false, false, 0};
        return TypeInfo{std::max(l->width, r->width), l->is_signed && r->is_signed,
                        l->is_integer && r->is_integer, 0};
      }
      return std::nullopt;
    }
    case ExprKind::kTernary: {
      const auto* t = static_cast<const Ternary*>(expr);
      auto c = type_of(t->cond(), env);
      auto a = type_of(t->if_true(), env);
      auto b = type_of(t->if_false(), env);
      if (!c || !a || !b) return std::nullopt;
      if (!c->is_integer && c->width != 1)
        error("condition of '" + print_expr(expr) + "' is " + std::to_string(c->width) +
              " bits wide (want 1)");
      if (!a->is_integer && !b->is_integer) {
        if (a->width != b->width)
          error("implicit extension in '" + print_expr(expr) + "': widths " +
                std::to_string(a->width) + " and " + std::to_string(b->width));
        if (a->is_signed != b->is_signed)
          error("mixed signedness in '" + print_expr(expr) + "' (use $signed/$unsigned)");
      }
      return TypeInfo{std::max(a->width, b->width), a->is_signed && b->is_signed,
                      a->is_integer && b->is_integer, 0};
    }
    case ExprKind::kConcat: {
      const auto* c = static_cast<const Concat*>(expr);
      int64_t width = 0;
      bool known = true;
      for (const Expr* part : c->parts()) {
        auto t = type_of(part, env);
        if (!t) { known = false; continue; }
        if (t->is_integer) error("unsized part in concatenation '" + print_expr(expr) + "'");
        if (t->array_size) error("unpacked array in concatenation '" + print_expr(expr) + "'");
        width += t->width;
      }
      if (!known) return std::nullopt;
      return TypeInfo{width, false, false, 0};
    }
    case ExprKind::kReplicate: {
      const auto* r = static_cast<const Replicate*>(expr);
      auto n = eval(r->count(), env);
      auto t = type_of(r->arg(), env);
      if (!n || !t) return std::nullopt;
      if (*n < 1) error("replication count " + std::to_string(*n) + " in '" + print_expr(expr) + "'");
      if (t->is_integer) error("unsized operand of replication '" + print_expr(expr) + "'");
      return TypeInfo{*n * t->width, false, false, 0};
    }
    case ExprKind::kIndex: {
      const auto* x = static_cast<const Index*>(expr);
      auto base = type_of(x->base(), env);
      if (!base) return std::nullopt;
      auto i = eval(x->index(), env);
      int64_t limit = base->array_size ? base->array_size : base->width;
      if (i && (*i < 0 || *i >= limit))
        error("index " + std::to_string(*i) + " out of range [0, " + std::to_string(limit) +
              ") in '" + print_expr(expr) + "'");
      if (base->array_size) return TypeInfo{base->width, base->is_signed, false, 0};
      return TypeInfo{1, false, false, 0};
    }
    case ExprKind::kSlice: {
      const auto* s = static_cast<const Slice*>(expr);
      auto base = type_of(s->base(), env);
      auto msb = eval(s->msb(), env);
      auto lsb = eval(s->lsb(), env);
      if (!base || !msb || !lsb) return std::nullopt;
      if (base->array_size) error("slice of an unpacked array in '" + print_expr(expr) + "'");
      if (*lsb < 0 || *msb < *lsb || *msb >= base->width)
        error("slice [" + std::to_string(*msb) + ":" + std::to_string(*lsb) + "] out of range of " +
              std::to_string(base->width) + " bits in '" + print_expr(expr) + "'");
      return TypeInfo{*msb - *lsb + 1, false, false, 0};
    }
    case ExprKind::kPartSelect: {
      const auto* p = static_cast<const PartSelect*>(expr);
      auto base = type_of(p->base(), env);
      auto width = eval(p->width(), env);
      if (!width) return std::nullopt;
      if (*width < 1) error("part select of width " + std::to_string(*width) + " in '" + print_expr(expr) + "'");
      auto start = eval(p->start(), env);
      if (base && start && (*start < 0 || *start + *width > base->width))
        error("part select [" + std::to_string(*start) + " +: " + std::to_string(*width) +
              "] out of range of " + std::to_string(base->width) + " bits in '" +
              print_expr(expr) + "'");
      return TypeInfo{*width, false, false, 0};
    }
    case ExprKind::kSigned:
    case ExprKind::kUnsigned: {
      auto a = type_of(static_cast<const Call*>(expr)->arg(), env);
      if (!a) return std::nullopt;
      a->is_signed = expr->kind() == ExprKind::kSigned;
      return a;
    }
    case ExprKind::kClog2:
      return TypeInfo{32, true, true, 0};
  }
  return std::nullopt;
}

Env module_env(const Module& module) {
  Env env;
  for (const ParamDecl* p : module.parameters()) {
    if (auto v = eval(p->value(), env)) env.set(p, *v);
  }
  for (const Item* item : module.body()) {
    if (const auto* d = dynamic_cast<const DeclItem*>(item)) {
      if (d->decl()->kind() == DeclKind::kLocalParam) {
        const auto* p = static_cast<const ParamDecl*>(d->decl());
        if (auto v = eval(p->value(), env)) env.set(p, *v);
      }
    }
  }
  return env;
}

std::optional<Env> instance_env(const Instance& instance, const Env& parent) {
  Env env;
  const Module& m = *instance.module();
  for (const ParamDecl* p : m.parameters()) {
    const Connection* conn = nullptr;
    for (const Connection& c : instance.params())
      if (c.name == p->name()) conn = &c;
    std::optional<int64_t> v = conn ? eval(conn->expr, parent) : eval(p->value(), env);
    if (!v) return std::nullopt;
    env.set(p, *v);
  }
  return env;
}

namespace {

bool has_ref(const Expr* e) {
  switch (e->kind()) {
    case ExprKind::kLiteral: return false;
    case ExprKind::kRef: return true;
    case ExprKind::kUnary: return has_ref(static_cast<const Unary*>(e)->arg());
    case ExprKind::kBinary:
      return has_ref(static_cast<const Binary*>(e)->lhs()) || has_ref(static_cast<const Binary*>(e)->rhs());
    case ExprKind::kTernary: {
      const auto* t = static_cast<const Ternary*>(e);
      return has_ref(t->cond()) || has_ref(t->if_true()) || has_ref(t->if_false());
    }
    case ExprKind::kClog2: return has_ref(static_cast<const Call*>(e)->arg());
    default: return true;  // selects, concatenations, casts: left alone
  }
}

bool is_int(const Expr* e, uint64_t v) {
  return e->kind() == ExprKind::kLiteral && static_cast<const Literal*>(e)->unsized() &&
         static_cast<const Literal*>(e)->value() == v;
}

}  // namespace

Expr* fold(VerilogFile& f, Expr* e) {
  if (!has_ref(e)) {
    if (auto v = eval(e, Env()); v && *v >= 0) return f.integer(*v);
    return e;
  }
  switch (e->kind()) {
    case ExprKind::kBinary: {
      auto* b = static_cast<Binary*>(e);
      Expr* l = fold(f, b->lhs());
      Expr* r = fold(f, b->rhs());
      // (x * c1) * c2 -> x * (c1 * c2)
      if (b->op() == BinaryOp::kMul && r->kind() == ExprKind::kLiteral && l->kind() == ExprKind::kBinary) {
        auto* lb = static_cast<Binary*>(l);
        if (lb->op() == BinaryOp::kMul && lb->rhs()->kind() == ExprKind::kLiteral &&
            static_cast<const Literal*>(lb->rhs())->unsized() && static_cast<const Literal*>(r)->unsized())
          return f.mul(lb->lhs(), f.integer(static_cast<int64_t>(static_cast<const Literal*>(lb->rhs())->value() *
                                                                 static_cast<const Literal*>(r)->value())));
      }
      if (b->op() == BinaryOp::kMul && is_int(r, 1)) return l;
      if (b->op() == BinaryOp::kMul && is_int(l, 1)) return r;
      if (b->op() == BinaryOp::kAdd && is_int(r, 0)) return l;
      if (b->op() == BinaryOp::kAdd && is_int(l, 0)) return r;
      if (l == b->lhs() && r == b->rhs()) return e;
      return f.binary(b->op(), l, r);
    }
    case ExprKind::kTernary: {
      auto* t = static_cast<Ternary*>(e);
      if (auto c = eval(t->cond(), Env()); c && !has_ref(t->cond()))
        return fold(f, *c ? t->if_true() : t->if_false());
      return f.ternary(fold(f, t->cond()), fold(f, t->if_true()), fold(f, t->if_false()));
    }
    default:
      return e;
  }
}

}  // namespace af::vast
