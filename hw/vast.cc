// VAST node construction (see vast.h). No text is produced here.
#include "hw/vast.h"

#include <cassert>

namespace af::vast {

// ---------------------------------------------------------------------------------------- Module
ParamDecl* Module::add_parameter(const std::string& name, Expr* default_value, std::string comment) {
  file_->set_legalized(false);
  auto* p = file_->make<ParamDecl>(DeclKind::kParameter, name, default_value, std::move(comment));
  params_.push_back(p);
  return p;
}

Port* Module::add_input(const std::string& name, DataType type, std::string comment) {
  file_->set_legalized(false);
  auto* p = file_->make<Port>(Direction::kInput, name, type, std::move(comment));
  ports_.push_back(p);
  return p;
}

Port* Module::add_output(const std::string& name, DataType type, std::string comment) {
  file_->set_legalized(false);
  auto* p = file_->make<Port>(Direction::kOutput, name, type, std::move(comment));
  ports_.push_back(p);
  return p;
}

ParamDecl* Module::add_localparam(const std::string& name, Expr* value, std::string comment,
                                  std::vector<Item*>* body) {
  file_->set_legalized(false);
  auto* p = file_->make<ParamDecl>(DeclKind::kLocalParam, name, value, std::move(comment));
  target(body).push_back(file_->make<DeclItem>(p));
  return p;
}

NetDecl* Module::add_wire(const std::string& name, DataType type, std::string comment,
                          std::vector<Item*>* body) {
  file_->set_legalized(false);
  auto* n = file_->make<NetDecl>(DeclKind::kWire, name, type, std::move(comment));
  target(body).push_back(file_->make<DeclItem>(n));
  return n;
}

NetDecl* Module::add_reg(const std::string& name, DataType type, std::string comment,
                         std::vector<Item*>* body) {
  file_->set_legalized(false);
  auto* n = file_->make<NetDecl>(DeclKind::kReg, name, type, std::move(comment));
  target(body).push_back(file_->make<DeclItem>(n));
  return n;
}

ContinuousAssign* Module::add_assign(Expr* lhs, Expr* rhs, std::vector<Item*>* body) {
  file_->set_legalized(false);
  auto* a = file_->make<ContinuousAssign>(lhs, rhs);
  target(body).push_back(a);
  return a;
}

Instance* Module::add_instance(const Module* module, const std::string& name,
                               std::vector<Item*>* body) {
  file_->set_legalized(false);
  auto* inst = file_->make<Instance>(module, name);
  target(body).push_back(inst);
  return inst;
}

GenerateFor* Module::add_generate_for(const std::string& genvar, Expr* start, Expr* limit,
                                      const std::string& label, std::vector<Item*>* body) {
  file_->set_legalized(false);
  auto* gv = file_->make<GenvarDecl>(genvar);
  genvars_.push_back(gv);
  auto* loop = file_->make<GenerateFor>(gv, start, limit, label);
  target(body).push_back(loop);
  return loop;
}

AlwaysFf* Module::add_always_ff(Expr* clock, std::vector<Item*>* body) {
  file_->set_legalized(false);
  auto* a = file_->make<AlwaysFf>(clock);
  target(body).push_back(a);
  return a;
}

void Module::add_comment(std::string text, std::vector<Item*>* body) {
  file_->set_legalized(false);
  target(body).push_back(file_->make<CommentItem>(std::move(text)));
}

const ParamDecl* Module::find_parameter(const std::string& name) const {
  for (const ParamDecl* p : params_)
    if (p->name() == name) return p;
  return nullptr;
}

const Port* Module::find_port(const std::string& name) const {
  for (const Port* p : ports_)
    if (p->name() == name) return p;
  return nullptr;
}

// ----------------------------------------------------------------------------------- VerilogFile
Module* VerilogFile::add_module(const std::string& name) {
  legalized_ = false;
  Module* m = make<Module>(this, name, /*is_extern=*/false);
  modules_.push_back(m);
  return m;
}

Module* VerilogFile::add_extern_module(const std::string& name) {
  legalized_ = false;
  Module* m = make<Module>(this, name, /*is_extern=*/true);
  externs_.push_back(m);
  return m;
}

const Module* VerilogFile::find_module(const std::string& name) const {
  for (const Module* m : modules_)
    if (m->name() == name) return m;
  for (const Module* m : externs_)
    if (m->name() == name) return m;
  return nullptr;
}

Literal* VerilogFile::integer(int64_t value) {
  assert(value >= 0 && "unsized literals are non-negative; negate explicitly");
  return make<Literal>(-1, static_cast<uint64_t>(value), /*is_signed=*/true, Radix::kDecimal);
}

Literal* VerilogFile::literal(int64_t width, uint64_t value, bool is_signed, Radix radix) {
  assert(width >= 1 && width <= 64);
  assert(width == 64 || value < (uint64_t{1} << width));
  return make<Literal>(width, value, is_signed, radix);
}

Ref* VerilogFile::ref(const Decl* decl) {
  assert(decl != nullptr);
  return make<Ref>(decl);
}
Unary* VerilogFile::unary(UnaryOp op, Expr* arg) { return make<Unary>(op, arg); }
Binary* VerilogFile::binary(BinaryOp op, Expr* lhs, Expr* rhs) { return make<Binary>(op, lhs, rhs); }
Ternary* VerilogFile::ternary(Expr* c, Expr* t, Expr* f) { return make<Ternary>(c, t, f); }
Concat* VerilogFile::concat(std::vector<Expr*> parts, std::vector<std::string> comments) {
  assert(!parts.empty());
  assert(comments.empty() || comments.size() == parts.size());
  return make<Concat>(std::move(parts), std::move(comments));
}
Replicate* VerilogFile::replicate(Expr* count, Expr* arg) { return make<Replicate>(count, arg); }
Index* VerilogFile::index(Expr* base, Expr* i) { return make<Index>(base, i); }
Slice* VerilogFile::slice(Expr* base, Expr* msb, Expr* lsb) { return make<Slice>(base, msb, lsb); }
PartSelect* VerilogFile::part_select(Expr* base, Expr* start, Expr* width) {
  return make<PartSelect>(base, start, width);
}
Call* VerilogFile::as_signed(Expr* arg) { return make<Call>(ExprKind::kSigned, arg); }
Call* VerilogFile::as_unsigned(Expr* arg) { return make<Call>(ExprKind::kUnsigned, arg); }
Call* VerilogFile::clog2(Expr* arg) { return make<Call>(ExprKind::kClog2, arg); }

Expr* VerilogFile::rebind(const Expr* e,
                          const std::vector<std::pair<const Decl*, Expr*>>& bindings) {
  auto again = [&](const Expr* x) { return rebind(x, bindings); };
  switch (e->kind()) {
    case ExprKind::kLiteral: {
      const auto* l = static_cast<const Literal*>(e);
      return make<Literal>(l->width(), l->value(), l->is_signed(), l->radix());
    }
    case ExprKind::kRef: {
      const Decl* d = static_cast<const Ref*>(e)->decl();
      for (const auto& [from, to] : bindings)
        if (from == d) return to;
      return ref(d);
    }
    case ExprKind::kUnary: {
      const auto* u = static_cast<const Unary*>(e);
      return unary(u->op(), again(u->arg()));
    }
    case ExprKind::kBinary: {
      const auto* b = static_cast<const Binary*>(e);
      return binary(b->op(), again(b->lhs()), again(b->rhs()));
    }
    case ExprKind::kTernary: {
      const auto* t = static_cast<const Ternary*>(e);
      return ternary(again(t->cond()), again(t->if_true()), again(t->if_false()));
    }
    case ExprKind::kConcat: {
      std::vector<Expr*> parts;
      const auto* c = static_cast<const Concat*>(e);
      for (const Expr* p : c->parts()) parts.push_back(again(p));
      return concat(std::move(parts), c->comments());
    }
    case ExprKind::kReplicate: {
      const auto* r = static_cast<const Replicate*>(e);
      return replicate(again(r->count()), again(r->arg()));
    }
    case ExprKind::kIndex: {
      const auto* x = static_cast<const Index*>(e);
      return index(again(x->base()), again(x->index()));
    }
    case ExprKind::kSlice: {
      const auto* s = static_cast<const Slice*>(e);
      return slice(again(s->base()), again(s->msb()), again(s->lsb()));
    }
    case ExprKind::kPartSelect: {
      const auto* p = static_cast<const PartSelect*>(e);
      return part_select(again(p->base()), again(p->start()), again(p->width()));
    }
    case ExprKind::kSigned:
    case ExprKind::kUnsigned:
    case ExprKind::kClog2:
      return make<Call>(e->kind(), again(static_cast<const Call*>(e)->arg()));
  }
  return nullptr;
}

DataType VerilogFile::bits(int64_t width, bool is_signed) {
  assert(width >= 1);
  return DataType{integer(width), is_signed, nullptr};
}

}  // namespace af::vast
