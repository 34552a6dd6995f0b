// The VAST printer (see vast_print.h). Every function here takes const nodes: printing is pure.
#include "hw/vast_print.h"

#include <algorithm>
#include <sstream>

namespace af::vast {
namespace {

// Verilog operator precedence, higher binds tighter (1364-2005 table 5-4).
constexpr int kPrecAtom = 13;
constexpr int kPrecUnary = 12;
constexpr int kPrecTernary = 0;

int binary_prec(BinaryOp op) {
  switch (op) {
    case BinaryOp::kMul: case BinaryOp::kDiv: case BinaryOp::kMod: return 10;
    case BinaryOp::kAdd: case BinaryOp::kSub: return 9;
    case BinaryOp::kShl: case BinaryOp::kShr: case BinaryOp::kAshr: return 8;
    case BinaryOp::kLt: case BinaryOp::kLe: case BinaryOp::kGt: case BinaryOp::kGe: return 7;
    case BinaryOp::kEq: case BinaryOp::kNe: return 6;
    case BinaryOp::kAnd: return 5;
    case BinaryOp::kXor: return 4;
    case BinaryOp::kOr: return 3;
    case BinaryOp::kLogicalAnd: return 2;
    case BinaryOp::kLogicalOr: return 1;
  }
  return 1;
}

const char* binary_token(BinaryOp op) {
  switch (op) {
    case BinaryOp::kAdd: return "+";
    case BinaryOp::kSub: return "-";
    case BinaryOp::kMul: return "*";
    case BinaryOp::kDiv: return "/";
    case BinaryOp::kMod: return "%";
    case BinaryOp::kShl: return "<<";
    case BinaryOp::kShr: return ">>";
    case BinaryOp::kAshr: return ">>>";
    case BinaryOp::kAnd: return "&";
    case BinaryOp::kOr: return "|";
    case BinaryOp::kXor: return "^";
    case BinaryOp::kLogicalAnd: return "&&";
    case BinaryOp::kLogicalOr: return "||";
    case BinaryOp::kEq: return "==";
    case BinaryOp::kNe: return "!=";
    case BinaryOp::kLt: return "<";
    case BinaryOp::kLe: return "<=";
    case BinaryOp::kGt: return ">";
    case BinaryOp::kGe: return ">=";
  }
  return "?";
}

const char* unary_token(UnaryOp op) {
  switch (op) {
    case UnaryOp::kNot: return "~";
    case UnaryOp::kLogicalNot: return "!";
    case UnaryOp::kNegate: return "-";
    case UnaryOp::kReduceAnd: return "&";
    case UnaryOp::kReduceOr: return "|";
    case UnaryOp::kReduceXor: return "^";
  }
  return "?";
}

int prec_of(const Expr* e) {
  switch (e->kind()) {
    case ExprKind::kUnary: return kPrecUnary;
    case ExprKind::kBinary: return binary_prec(static_cast<const Binary*>(e)->op());
    case ExprKind::kTernary: return kPrecTernary;
    default: return kPrecAtom;
  }
}

std::string expr_text(const Expr* e);

// `child` as an operand of an operator of precedence `prec`; `right` for the right operand of a
// left-associative binary operator (a - (b - c) needs its parentheses).
std::string operand(const Expr* child, int prec, bool right) {
  int cp = prec_of(child);
  std::string text = expr_text(child);
  if (cp < prec || (right && cp == prec)) return "(" + text + ")";
  return text;
}

std::string literal_text(const Literal* lit) {
  if (lit->unsized()) return std::to_string(lit->value());
  std::string out = std::to_string(lit->width()) + "'" + (lit->is_signed() ? "s" : "");
  switch (lit->radix()) {
    case Radix::kDecimal:
      return out + "d" + std::to_string(lit->value());
    case Radix::kHex: {
      std::ostringstream hex;
      hex << std::hex << lit->value();
      return out + "h" + hex.str();
    }
    case Radix::kBinary: {
      std::string digits;
      for (int64_t i = lit->width() - 1; i >= 0; --i)
        digits += ((lit->value() >> i) & 1) ? '1' : '0';
      return out + "b" + digits;
    }
  }
  return out;
}

std::string expr_text(const Expr* e) {
  switch (e->kind()) {
    case ExprKind::kLiteral:
      return literal_text(static_cast<const Literal*>(e));
    case ExprKind::kRef:
      return static_cast<const Ref*>(e)->decl()->name();
    case ExprKind::kUnary: {
      const auto* u = static_cast<const Unary*>(e);
      return std::string(unary_token(u->op())) + operand(u->arg(), kPrecUnary, true);
    }
    case ExprKind::kBinary: {
      const auto* b = static_cast<const Binary*>(e);
      int p = binary_prec(b->op());
      return operand(b->lhs(), p, false) + " " + binary_token(b->op()) + " " +
             operand(b->rhs(), p, true);
    }
    case ExprKind::kTernary: {
      const auto* t = static_cast<const Ternary*>(e);
      // Nested conditionals are parenthesized everywhere except as the else branch (a chain).
      return operand(t->cond(), kPrecTernary + 1, false) + " ? " +
             operand(t->if_true(), kPrecTernary + 1, false) + " : " + expr_text(t->if_false());
    }
    case ExprKind::kConcat: {
      const auto* c = static_cast<const Concat*>(e);
      std::string out = "{";
      for (size_t i = 0; i < c->parts().size(); ++i)
        out += (i ? ", " : "") + expr_text(c->parts()[i]);
      return out + "}";
    }
    case ExprKind::kReplicate: {
      const auto* r = static_cast<const Replicate*>(e);
      return "{" + operand(r->count(), kPrecAtom, false) + "{" + expr_text(r->arg()) + "}}";
    }
    case ExprKind::kIndex: {
      const auto* x = static_cast<const Index*>(e);
      return expr_text(x->base()) + "[" + expr_text(x->index()) + "]";
    }
    case ExprKind::kSlice: {
      const auto* s = static_cast<const Slice*>(e);
      return expr_text(s->base()) + "[" + expr_text(s->msb()) + ":" + expr_text(s->lsb()) + "]";
    }
    case ExprKind::kPartSelect: {
      const auto* p = static_cast<const PartSelect*>(e);
      return expr_text(p->base()) + "[" + expr_text(p->start()) + " +: " + expr_text(p->width()) +
             "]";
    }
    case ExprKind::kSigned:
      return "$signed(" + expr_text(static_cast<const Call*>(e)->arg()) + ")";
    case ExprKind::kUnsigned:
      return "$unsigned(" + expr_text(static_cast<const Call*>(e)->arg()) + ")";
    case ExprKind::kClog2:
      return "$clog2(" + expr_text(static_cast<const Call*>(e)->arg()) + ")";
  }
  return "?";
}

// "[W-1:0]" for a declared width (folded when W is a literal), "" for a scalar.
std::string range_text(const Expr* width) {
  if (width == nullptr) return "";
  if (width->kind() == ExprKind::kLiteral) {
    const auto* lit = static_cast<const Literal*>(width);
    return "[" + std::to_string(static_cast<int64_t>(lit->value()) - 1) + ":0]";
  }
  return "[" + operand(width, binary_prec(BinaryOp::kSub), false) + " - 1:0]";
}

std::string type_text(const DataType& t) {
  std::string out = t.is_signed ? "signed" : "";
  std::string range = range_text(t.width);
  if (!range.empty()) out += (out.empty() ? "" : " ") + range;
  return out;
}

std::string array_text(const DataType& t) {
  if (t.array_size == nullptr) return "";
  if (t.array_size->kind() == ExprKind::kLiteral) {
    const auto* lit = static_cast<const Literal*>(t.array_size);
    return " [0:" + std::to_string(static_cast<int64_t>(lit->value()) - 1) + "]";
  }
  return " [0:" + operand(t.array_size, binary_prec(BinaryOp::kSub), false) + " - 1]";
}

std::string pad(const std::string& s, size_t width) {
  return s.size() >= width ? s : s + std::string(width - s.size(), ' ');
}

void comment_lines(std::ostringstream& out, const std::string& indent, const std::string& text) {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) out << indent << (line.empty() ? "//" : "// " + line) << "\n";
}

std::string trailing(const std::string& comment) {
  return comment.empty() ? "" : "  // " + comment;
}

class Printer {
 public:
  explicit Printer(std::ostringstream& out) : out_(out) {}

  void module(const Module& m) {
    if (!m.comment().empty()) comment_lines(out_, "", m.comment());
    out_ << "module " << m.name();
    if (!m.parameters().empty()) {
      out_ << " #(\n";
      size_t width = 0;
      std::vector<std::string> heads;
      for (size_t i = 0; i < m.parameters().size(); ++i) {
        const ParamDecl* p = m.parameters()[i];
        heads.push_back("  parameter integer " + p->name() + " = " + expr_text(p->value()) +
                        (i + 1 < m.parameters().size() ? "," : ""));
        width = std::max(width, heads.back().size());
      }
      for (size_t i = 0; i < heads.size(); ++i) {
        const std::string& c = m.parameters()[i]->comment();
        out_ << (c.empty() ? heads[i] : pad(heads[i], width) + trailing(c)) << "\n";
      }
      out_ << ")";
    }
    out_ << " (\n";
    // Ports: direction, signedness, range and name in aligned columns, comments after the comma.
    bool any_signed = false;
    size_t range_w = 0, head_w = 0;
    for (const Port* p : m.ports()) {
      any_signed |= p->type().is_signed;
      range_w = std::max(range_w, range_text(p->type().width).size());
    }
    std::vector<std::string> heads;
    for (size_t i = 0; i < m.ports().size(); ++i) {
      const Port* p = m.ports()[i];
      std::string head = std::string("  ") +
                         (p->direction() == Direction::kInput ? "input  wire " : "output wire ");
      if (any_signed) head += p->type().is_signed ? "signed " : "       ";
      if (range_w) head += pad(range_text(p->type().width), range_w) + " ";
      head += p->name() + (i + 1 < m.ports().size() ? "," : "");
      heads.push_back(head);
      head_w = std::max(head_w, head.size());
    }
    for (size_t i = 0; i < heads.size(); ++i) {
      const std::string& c = m.ports()[i]->comment();
      out_ << (c.empty() ? heads[i] : pad(heads[i], head_w) + trailing(c)) << "\n";
    }
    out_ << ");\n";
    if (!m.genvars().empty()) {
      out_ << "\n";
      for (const GenvarDecl* g : m.genvars()) out_ << "  genvar " << g->name() << ";\n";
    }
    if (!m.body().empty()) out_ << "\n";
    items(m.body(), 1, /*top=*/true);
    out_ << "endmodule\n";
  }

 private:
  std::string ind(int level) const { return std::string(2 * level, ' '); }

  // Consecutive declarations print as one aligned block (types, then names, then comments).
  void items(const std::vector<Item*>& list, int level, bool top) {
    for (size_t i = 0; i < list.size();) {
      size_t j = i;
      while (j < list.size() && dynamic_cast<const DeclItem*>(list[j]) != nullptr) ++j;
      if (j > i) {
        decl_block(list, i, j, level);
        i = j;
      } else {
        this->item(list[i++], level, top);
      }
    }
  }

  void decl_block(const std::vector<Item*>& list, size_t begin, size_t end, int level) {
    std::vector<std::string> heads, comments;
    size_t type_w = 0;
    for (size_t i = begin; i < end; ++i) {
      const Decl* d = static_cast<const DeclItem*>(list[i])->decl();
      if (d->kind() == DeclKind::kWire || d->kind() == DeclKind::kReg)
        type_w = std::max(type_w, type_text(static_cast<const NetDecl*>(d)->type()).size());
    }
    size_t head_w = 0;
    for (size_t i = begin; i < end; ++i) {
      const Decl* d = static_cast<const DeclItem*>(list[i])->decl();
      std::string head, comment;
      if (d->kind() == DeclKind::kLocalParam) {
        const auto* p = static_cast<const ParamDecl*>(d);
        head = "localparam integer " + p->name() + " = " + expr_text(p->value()) + ";";
        comment = p->comment();
      } else if (d->kind() == DeclKind::kWire || d->kind() == DeclKind::kReg) {
        const auto* n = static_cast<const NetDecl*>(d);
        head = std::string(d->kind() == DeclKind::kWire ? "wire " : "reg  ") +
               (type_w ? pad(type_text(n->type()), type_w) + " " : "") + n->name() +
               array_text(n->type()) + ";";
        comment = n->comment();
      } else {
        continue;  // ports, header parameters and genvars print with the module header
      }
      heads.push_back(head);
      comments.push_back(comment);
      head_w = std::max(head_w, head.size());
    }
    for (size_t i = 0; i < heads.size(); ++i)
      out_ << ind(level) << (comments[i].empty() ? heads[i] : pad(heads[i], head_w) + trailing(comments[i]))
           << "\n";
  }

  void item(const Item* item, int level, bool top) {
    const std::string in = ind(level);
    // (Declarations never get here: items() prints them in aligned blocks.)
    if (const auto* c = dynamic_cast<const CommentItem*>(item)) {
      if (c->text().empty()) out_ << "\n";
      else comment_lines(out_, in, c->text());
    } else if (const auto* a = dynamic_cast<const ContinuousAssign*>(item)) {
      out_ << in << "assign " << expr_text(a->lhs()) << " = " << expr_text(a->rhs()) << ";\n";
    } else if (const auto* i = dynamic_cast<const Instance*>(item)) {
      instance(*i, level);
    } else if (const auto* g = dynamic_cast<const GenerateFor*>(item)) {
      if (top) out_ << in << "generate\n";
      int body_level = top ? level + 1 : level;
      const std::string gi = ind(body_level);
      const std::string v = g->genvar()->name();
      out_ << gi << "for (" << v << " = " << expr_text(g->start()) << "; " << v << " < "
           << operand(g->limit(), binary_prec(BinaryOp::kLt), true) << "; " << v << " = " << v
           << " + 1) begin : " << g->label() << "\n";
      items(g->body(), body_level + 1, /*top=*/false);
      out_ << gi << "end\n";
      if (top) out_ << in << "endgenerate\n";
    } else if (const auto* f = dynamic_cast<const AlwaysFf*>(item)) {
      out_ << in << "always @(posedge " << expr_text(f->clock()) << ") begin\n";
      stmts(f->body(), level + 1);
      out_ << in << "end\n";
    }
  }

  void connections(const std::vector<Connection>& list, int level) {
    size_t w = 0;
    for (const Connection& c : list) w = std::max(w, c.name.size());
    for (size_t i = 0; i < list.size(); ++i) {
      const Connection& c = list[i];
      const std::string head = ind(level) + "." + pad(c.name, w) + " (";
      const std::string tail = std::string(")") + (i + 1 < list.size() ? "," : "");
      const auto* cat = c.expr && c.expr->kind() == ExprKind::kConcat
                            ? static_cast<const Concat*>(c.expr) : nullptr;
      if (cat && !cat->comments().empty()) {
        // One part per line, each with its comment, aligned under the opening brace.
        const std::string in(head.size() + 1, ' ');
        std::vector<std::string> parts;
        size_t pw = 0;
        for (size_t k = 0; k < cat->parts().size(); ++k) {
          const bool last = k + 1 == cat->parts().size();
          parts.push_back(expr_text(cat->parts()[k]) + (last ? "}" + tail : ","));
          pw = std::max(pw, parts.back().size());
        }
        for (size_t k = 0; k < parts.size(); ++k)
          out_ << (k == 0 ? head + "{" : in) << pad(parts[k], pw) << trailing(cat->comments()[k]) << "\n";
        continue;
      }
      out_ << head << (c.expr ? expr_text(c.expr) : "") << tail << "\n";
    }
  }

  void instance(const Instance& i, int level) {
    const std::string in = ind(level);
    out_ << in << i.module()->name();
    if (!i.params().empty()) {
      out_ << " #(\n";
      connections(i.params(), level + 1);
      out_ << in << ")";
    }
    out_ << " " << i.name() << " (\n";
    connections(i.ports(), level + 1);
    out_ << in << ");\n";
  }

  void stmts(const std::vector<Stmt*>& list, int level) {
    for (const Stmt* s : list) {
      const std::string in = ind(level);
      if (const auto* a = dynamic_cast<const NonblockingAssign*>(s)) {
        out_ << in << expr_text(a->lhs()) << " <= " << expr_text(a->rhs()) << ";\n";
      } else if (const auto* f = dynamic_cast<const IfStmt*>(s)) {
        out_ << in << "if (" << expr_text(f->cond()) << ") begin\n";
        stmts(f->then_body(), level + 1);
        if (!f->else_body().empty()) {
          out_ << in << "end else begin\n";
          stmts(f->else_body(), level + 1);
        }
        out_ << in << "end\n";
      }
    }
  }

  std::ostringstream& out_;
};

}  // namespace

std::string print_expr(const Expr* expr) { return expr_text(expr); }

Expected<std::string> print(const VerilogFile& file) {
  if (!file.legalized())
    return Status::Error("vast::print: the file was not legalized (run vast::legalize first)");
  std::ostringstream out;
  if (!file.header().empty()) comment_lines(out, "", file.header());
  out << "`default_nettype none\n";
  for (const Module* m : file.modules()) {
    out << "\n";
    Printer(out).module(*m);
  }
  out << "\n`default_nettype wire\n";
  return out.str();
}

}  // namespace af::vast
