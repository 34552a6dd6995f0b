// Legalize / prepare for emission (see vast_legalize.h).
#include "hw/vast_legalize.h"

#include <algorithm>
#include <set>
#include <unordered_set>

#include "hw/vast_eval.h"
#include "hw/vast_print.h"

namespace af::vast {

namespace {

// Verilog-2005 and SystemVerilog-2017 keywords (Verilator parses .v files as SystemVerilog by
// default, so both sets are reserved).
const std::unordered_set<std::string>& keywords() {
  static const std::unordered_set<std::string> kKeywords = {
      "accept_on", "alias", "always", "always_comb", "always_ff", "always_latch", "and", "assert",
      "assign", "assume", "automatic", "before", "begin", "bind", "bins", "binsof", "bit",
      "break", "buf", "bufif0", "bufif1", "byte", "case", "casex", "casez", "cell", "chandle",
      "checker", "class", "clocking", "cmos", "config", "const", "constraint", "context",
      "continue", "cover", "covergroup", "coverpoint", "cross", "deassign", "default", "defparam",
      "design", "disable", "dist", "do", "edge", "else", "end", "endcase", "endchecker",
      "endclass", "endclocking", "endconfig", "endfunction", "endgenerate", "endgroup",
      "endinterface", "endmodule", "endpackage", "endprimitive", "endprogram", "endproperty",
      "endspecify", "endsequence", "endtable", "endtask", "enum", "event", "eventually",
      "expect", "export", "extends", "extern", "final", "first_match", "for", "force", "foreach",
      "forever", "fork", "forkjoin", "function", "generate", "genvar", "global", "highz0",
      "highz1", "if", "iff", "ifnone", "ignore_bins", "illegal_bins", "implements", "implies",
      "import", "incdir", "include", "initial", "inout", "input", "inside", "instance", "int",
      "integer", "interconnect", "interface", "intersect", "join", "join_any", "join_none",
      "large", "let", "liblist", "library", "local", "localparam", "logic", "longint",
      "macromodule", "matches", "medium", "modport", "module", "nand", "negedge", "nettype",
      "new", "nexttime", "nmos", "nor", "noshowcancelled", "not", "notif0", "notif1", "null",
      "or", "output", "package", "packed", "parameter", "pmos", "posedge", "primitive",
      "priority", "program", "property", "protected", "pull0", "pull1", "pulldown", "pullup",
      "pulsestyle_ondetect", "pulsestyle_onevent", "pure", "rand", "randc", "randcase",
      "randsequence", "rcmos", "real", "realtime", "ref", "reg", "reject_on", "release",
      "repeat", "restrict", "return", "rnmos", "rpmos", "rtran", "rtranif0", "rtranif1",
      "s_always", "s_eventually", "s_nexttime", "s_until", "s_until_with", "scalared",
      "sequence", "shortint", "shortreal", "showcancelled", "signed", "small", "soft", "solve",
      "specify", "specparam", "static", "string", "strong", "strong0", "strong1", "struct",
      "super", "supply0", "supply1", "sync_accept_on", "sync_reject_on", "table", "tagged",
      "task", "this", "throughout", "time", "timeprecision", "timeunit", "tran", "tranif0",
      "tranif1", "tri", "tri0", "tri1", "triand", "trior", "trireg", "type", "typedef", "union",
      "unique", "unique0", "unsigned", "until", "until_with", "untyped", "use", "uwire", "var",
      "vectored", "virtual", "void", "wait", "wait_order", "wand", "weak", "weak0", "weak1",
      "while", "wildcard", "wire", "with", "within", "wor", "xnor", "xor"};
  return kKeywords;
}

std::string sanitize(const std::string& name) {
  std::string out;
  for (char ch : name) {
    bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '_';
    out += ok ? ch : '_';
  }
  if (out.empty() || (out[0] >= '0' && out[0] <= '9')) out = "_" + out;
  if (is_verilog_keyword(out)) out += "_";
  return out;
}

// Names in one module (Verilog gives nets, parameters, genvars, instances and generate block
// names one namespace; nested generate scopes are kept unique module-wide for readability).
class Namer {
 public:
  Namer(const std::string& module, LegalizeReport* report, std::vector<std::string>* errors)
      : module_(module), report_(report), errors_(errors) {}

  // Interface names keep their spelling: an error if illegal or taken.
  void claim_fixed(const std::string& name, const char* what) {
    if (!is_legal_identifier(name))
      errors_->push_back("module " + module_ + ": " + what + " '" + name +
                         "' is not a legal Verilog identifier");
    else if (!used_.insert(name).second)
      errors_->push_back("module " + module_ + ": " + what + " '" + name + "' is declared twice");
  }

  // Internal names: sanitized and suffixed until unique.
  std::string claim(const std::string& name) {
    std::string base = sanitize(name);
    std::string out = base;
    for (int i = 1; used_.count(out); ++i) out = base + "_" + std::to_string(i);
    used_.insert(out);
    if (out != name) report_->renames.push_back(module_ + ": " + name + " -> " + out);
    return out;
  }

 private:
  std::string module_;
  LegalizeReport* report_;
  std::vector<std::string>* errors_;
  std::set<std::string> used_;
};

void name_items(std::vector<Item*>& items, Namer& namer) {
  for (Item* item : items) {
    if (auto* d = dynamic_cast<DeclItem*>(item)) {
      d->decl()->set_name(namer.claim(d->decl()->name()));
    } else if (auto* i = dynamic_cast<Instance*>(item)) {
      i->set_name(namer.claim(i->name()));
    } else if (auto* g = dynamic_cast<GenerateFor*>(item)) {
      g->genvar()->set_name(namer.claim(g->genvar()->name()));
      g->set_label(namer.claim(g->label()));
      name_items(g->body(), namer);
    }
  }
}

// Checks of one module body, at one binding of its genvars.
class Checker {
 public:
  Checker(const Module& m, LegalizeReport* report, std::vector<std::string>* errors)
      : module_(m), report_(report), errors_(errors), types_(&type_errors_) {}

  void run() {
    Env env;
    for (const ParamDecl* p : module_.parameters()) {
      auto v = eval(p->value(), env);
      if (!v) error("parameter " + p->name() + ": value '" + print_expr(p->value()) + "' is not constant");
      else env.set(p, *v);
    }
    for (const Port* p : module_.ports()) {
      check_type(p->type(), env, "port " + p->name());
      if (p->type().array_size) error("port " + p->name() + ": unpacked array ports are not supported");
    }
    items(module_.body(), env);
  }

 private:
  void error(const std::string& message) { errors_->push_back("module " + module_.name() + ": " + message); }

  // Drains type errors found while typing an expression, with context.
  void flush(const std::string& where) {
    for (const std::string& e : type_errors_) error(where + ": " + e);
    type_errors_.clear();
  }

  std::optional<TypeInfo> type(const Expr* e, const Env& env, const std::string& where) {
    check_selects(e, where);
    auto t = types_.type_of(e, env);
    flush(where);
    return t;
  }

  void check_type(const DataType& t, const Env& env, const std::string& where) {
    if (t.width) {
      auto w = eval(t.width, env);
      if (!w) error(where + ": width '" + print_expr(t.width) + "' is not constant");
      else if (*w < 1) error(where + ": width " + std::to_string(*w) + " < 1");
    }
    if (t.array_size) {
      auto n = eval(t.array_size, env);
      if (!n) error(where + ": array size '" + print_expr(t.array_size) + "' is not constant");
      else if (*n < 1) error(where + ": array size " + std::to_string(*n) + " < 1");
    }
  }

  // Verilog selects apply to names only: x[i], x[i][j], x[a:b], x[s +: w].
  void check_selects(const Expr* e, const std::string& where) {
    auto base_ok = [](const Expr* b) {
      return b->kind() == ExprKind::kRef ||
             (b->kind() == ExprKind::kIndex &&
              static_cast<const Index*>(b)->base()->kind() == ExprKind::kRef);
    };
    switch (e->kind()) {
      case ExprKind::kIndex: {
        const auto* x = static_cast<const Index*>(e);
        if (!base_ok(x->base())) error(where + ": select of an expression in '" + print_expr(e) + "'");
        check_selects(x->base(), where);
        check_selects(x->index(), where);
        break;
      }
      case ExprKind::kSlice: {
        const auto* s = static_cast<const Slice*>(e);
        if (!base_ok(s->base())) error(where + ": select of an expression in '" + print_expr(e) + "'");
        check_selects(s->base(), where);
        break;
      }
      case ExprKind::kPartSelect: {
        const auto* p = static_cast<const PartSelect*>(e);
        if (!base_ok(p->base())) error(where + ": select of an expression in '" + print_expr(e) + "'");
        check_selects(p->base(), where);
        check_selects(p->start(), where);
        break;
      }
      case ExprKind::kUnary: check_selects(static_cast<const Unary*>(e)->arg(), where); break;
      case ExprKind::kBinary:
        check_selects(static_cast<const Binary*>(e)->lhs(), where);
        check_selects(static_cast<const Binary*>(e)->rhs(), where);
        break;
      case ExprKind::kTernary: {
        const auto* t = static_cast<const Ternary*>(e);
        check_selects(t->cond(), where);
        check_selects(t->if_true(), where);
        check_selects(t->if_false(), where);
        break;
      }
      case ExprKind::kConcat:
        for (const Expr* p : static_cast<const Concat*>(e)->parts()) check_selects(p, where);
        break;
      case ExprKind::kReplicate: check_selects(static_cast<const Replicate*>(e)->arg(), where); break;
      case ExprKind::kSigned: case ExprKind::kUnsigned: case ExprKind::kClog2:
        check_selects(static_cast<const Call*>(e)->arg(), where);
        break;
      default:
        break;
    }
  }

  // The declaration an lvalue writes, or nullptr if `e` is not an lvalue form.
  static const Decl* lvalue_root(const Expr* e) {
    switch (e->kind()) {
      case ExprKind::kRef: return static_cast<const Ref*>(e)->decl();
      case ExprKind::kIndex: return lvalue_root(static_cast<const Index*>(e)->base());
      case ExprKind::kSlice: return lvalue_root(static_cast<const Slice*>(e)->base());
      case ExprKind::kPartSelect: return lvalue_root(static_cast<const PartSelect*>(e)->base());
      default: return nullptr;
    }
  }

  // Every written declaration must be a wire or an output port (continuous drivers) or a reg
  // (procedural). Returns false after reporting when not.
  bool check_lvalue(const Expr* e, bool procedural, const std::string& where) {
    if (e->kind() == ExprKind::kConcat) {
      bool ok = true;
      for (const Expr* p : static_cast<const Concat*>(e)->parts()) ok &= check_lvalue(p, procedural, where);
      return ok;
    }
    const Decl* d = lvalue_root(e);
    if (d == nullptr) {
      error(where + ": '" + print_expr(e) + "' is not assignable");
      return false;
    }
    bool ok;
    if (procedural) ok = d->kind() == DeclKind::kReg;
    else ok = d->kind() == DeclKind::kWire ||
              (d->kind() == DeclKind::kPort && static_cast<const Port*>(d)->direction() == Direction::kOutput);
    if (!ok) {
      error(where + ": '" + d->name() + "' cannot be driven " +
            (procedural ? "from an always block (not a reg)" : "continuously (not a wire or output)"));
      return false;
    }
    return true;
  }

  void compare(std::optional<TypeInfo> want, std::optional<TypeInfo> got, const std::string& where) {
    if (!want || !got) {
      ++report_->widths_unknown;
      return;
    }
    ++report_->widths_checked;
    if (got->array_size || want->array_size) {
      if (got->array_size != want->array_size || got->width != want->width)
        error(where + ": array shapes differ");
      return;
    }
    if (got->is_integer) {
      error(where + ": unsized constant (write a sized literal of " + std::to_string(want->width) + " bits)");
      return;
    }
    if (want->width != got->width)
      error(where + ": width " + std::to_string(got->width) + ", expected " + std::to_string(want->width));
  }

  void items(const std::vector<Item*>& list, Env& env) {
    for (const Item* item : list) {
      if (const auto* d = dynamic_cast<const DeclItem*>(item)) {
        const Decl* decl = d->decl();
        if (decl->kind() == DeclKind::kLocalParam) {
          const auto* p = static_cast<const ParamDecl*>(decl);
          auto v = eval(p->value(), env);
          if (!v) error("localparam " + p->name() + ": value '" + print_expr(p->value()) + "' is not constant");
          else env.set(p, *v);
        } else if (decl->kind() == DeclKind::kWire || decl->kind() == DeclKind::kReg) {
          check_type(static_cast<const NetDecl*>(decl)->type(), env, decl->name());
        }
      } else if (const auto* a = dynamic_cast<const ContinuousAssign*>(item)) {
        std::string where = "assign " + print_expr(a->lhs());
        bool ok = check_lvalue(a->lhs(), false, where);
        auto l = type(a->lhs(), env, where);
        auto r = type(a->rhs(), env, where);
        if (ok) compare(l, r, where);
      } else if (const auto* i = dynamic_cast<const Instance*>(item)) {
        instance(*i, env);
      } else if (const auto* g = dynamic_cast<const GenerateFor*>(item)) {
        generate(*g, env);
      } else if (const auto* f = dynamic_cast<const AlwaysFf*>(item)) {
        auto c = type(f->clock(), env, "always clock");
        if (c && (c->width != 1 || c->is_integer)) error("always clock '" + print_expr(f->clock()) + "' is not 1 bit");
        stmts(f->body(), env);
      }
    }
  }

  void generate(const GenerateFor& g, Env& env) {
    const std::string where = "generate " + g.label();
    auto start = eval(g.start(), env);
    auto limit = eval(g.limit(), env);
    if (!start || !limit) {
      error(where + ": loop bounds are not constant");
      return;
    }
    if (*limit <= *start) {
      error(where + ": empty loop [" + std::to_string(*start) + ", " + std::to_string(*limit) + ")");
      return;
    }
    std::vector<int64_t> points = {*start};
    if (*limit - 1 != *start) points.push_back(*limit - 1);
    for (int64_t v : points) {
      Env inner(&env);
      inner.set(g.genvar(), v);
      items(g.body(), inner);
    }
  }

  void stmts(const std::vector<Stmt*>& list, Env& env) {
    for (const Stmt* s : list) {
      if (const auto* a = dynamic_cast<const NonblockingAssign*>(s)) {
        std::string where = print_expr(a->lhs()) + " <=";
        bool ok = check_lvalue(a->lhs(), true, where);
        auto l = type(a->lhs(), env, where);
        auto r = type(a->rhs(), env, where);
        if (ok) compare(l, r, where);
      } else if (const auto* f = dynamic_cast<const IfStmt*>(s)) {
        auto c = type(f->cond(), env, "if");
        if (c && (c->width != 1 || c->is_integer)) error("if condition '" + print_expr(f->cond()) + "' is not 1 bit");
        stmts(f->then_body(), env);
        stmts(f->else_body(), env);
      }
    }
  }

  void instance(const Instance& inst, const Env& env) {
    const Module* m = inst.module();
    const std::string where = "instance " + inst.name() + " of " + m->name();
    std::set<std::string> seen;
    for (const Connection& c : inst.params()) {
      if (!seen.insert(c.name).second) error(where + ": parameter " + c.name + " connected twice");
      if (m->find_parameter(c.name) == nullptr) error(where + ": no parameter " + c.name);
      if (c.expr == nullptr) error(where + ": parameter " + c.name + " has no value");
      else if (!eval(c.expr, env)) error(where + ": parameter " + c.name + " = '" + print_expr(c.expr) + "' is not constant");
    }
    auto callee = instance_env(inst, env);
    seen.clear();
    for (const Connection& c : inst.ports()) {
      const std::string pw = where + ", port " + c.name;
      if (!seen.insert(c.name).second) error(pw + ": connected twice");
      const Port* p = m->find_port(c.name);
      if (p == nullptr) {
        error(where + ": no port " + c.name);
        continue;
      }
      if (c.expr == nullptr) {
        if (p->direction() == Direction::kInput) error(pw + ": input left unconnected");
        continue;
      }
      bool ok = p->direction() == Direction::kInput || check_lvalue(c.expr, false, pw);
      std::optional<TypeInfo> want;
      if (callee) {
        if (auto w = TypeChecker::width_of(p->type(), *callee)) want = TypeInfo{*w, p->type().is_signed, false, 0};
      }
      auto got = type(c.expr, env, pw);
      if (ok) compare(want, got, pw);
    }
    for (const Port* p : m->ports())
      if (!seen.count(p->name())) error(where + ": port " + p->name() + " not listed (connect it or leave it empty)");
  }

  const Module& module_;
  LegalizeReport* report_;
  std::vector<std::string>* errors_;
  std::vector<std::string> type_errors_;
  TypeChecker types_;
};

}  // namespace

bool is_verilog_keyword(const std::string& name) { return keywords().count(name) > 0; }

bool is_legal_identifier(const std::string& name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  for (char ch : name) {
    bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '_';
    if (!ok) return false;
  }
  return !is_verilog_keyword(name);
}

Status legalize(VerilogFile& file, LegalizeReport* report) {
  LegalizeReport local;
  if (report == nullptr) report = &local;
  std::vector<std::string> errors;

  // Module names: externs are fixed (they name hand-written files), printed ones are uniquified.
  std::set<std::string> module_names;
  for (const Module* m : file.extern_modules()) {
    if (!is_legal_identifier(m->name()))
      errors.push_back("extern module '" + m->name() + "' is not a legal Verilog identifier");
    if (!module_names.insert(m->name()).second)
      errors.push_back("extern module '" + m->name() + "' is declared twice");
  }
  for (Module* m : file.modules()) {
    std::string base = sanitize(m->name()), name = base;
    for (int i = 1; module_names.count(name); ++i) name = base + "_" + std::to_string(i);
    module_names.insert(name);
    if (name != m->name()) report->renames.push_back("module: " + m->name() + " -> " + name);
    m->set_name(name);
  }

  for (Module* m : file.modules()) {
    Namer namer(m->name(), report, &errors);
    for (const ParamDecl* p : m->parameters()) namer.claim_fixed(p->name(), "parameter");
    for (const Port* p : m->ports()) namer.claim_fixed(p->name(), "port");
    name_items(m->body(), namer);
  }
  for (const Module* m : file.extern_modules()) {
    LegalizeReport scratch;
    Namer namer(m->name(), &scratch, &errors);
    for (const ParamDecl* p : m->parameters()) namer.claim_fixed(p->name(), "parameter");
    for (const Port* p : m->ports()) namer.claim_fixed(p->name(), "port");
  }

  if (errors.empty()) {
    for (const Module* m : file.modules()) Checker(*m, report, &errors).run();
  }
  // A generate body is checked at two iterations: report each distinct error once.
  std::vector<std::string> unique;
  std::set<std::string> seen;
  for (const std::string& e : errors)
    if (seen.insert(e).second) unique.push_back(e);
  if (!unique.empty()) {
    std::string message = "vast::legalize: " + std::to_string(unique.size()) + " error(s)";
    for (const std::string& e : unique) message += "\n  " + e;
    file.set_legalized(false);
    return Status::Error(message);
  }
  file.set_legalized(true);
  return Status();
}

}  // namespace af::vast
