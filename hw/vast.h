// VAST: a small Verilog syntax tree, in the spirit of XLS's xls/codegen/vast/vast.h.
//
// The generator builds a design as data: a VerilogFile owns every node (modules, declarations,
// expressions, statements) and hands out raw pointers that stay valid as long as the file lives.
// Nothing here produces text. The pipeline is the one of CIRCT's ExportVerilog:
//
//   build (hw/compose.cc) -> legalize / prepare (hw/vast_legalize.h) -> print (hw/vast_print.h)
//
// Legalize is the only pass that changes the tree (it renames declarations whose names clash or
// are not legal Verilog identifiers) and it checks widths and signedness; the printer is a pure
// function of the (legalized) tree.
//
// Expressions are nodes: a reference points at its declaration (a rename is seen by every use),
// a literal carries its width and signedness, a part select carries its bounds as expressions.
// Every net and port has an explicit width (an expression, usually a parameter or a literal) and
// an explicit signedness. Extern modules (the hand-written leaves in rtl-templates/) are declared
// with their parameters and port widths so instances can be checked before any tool sees them.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace af::vast {

class VerilogFile;
class Module;

// ------------------------------------------------------------------------------------------------
// Base of every node. Nodes are created only through VerilogFile::make<T>() (or the factories
// below), which keeps ownership in one place.
class Node {
 public:
  virtual ~Node() = default;
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

 protected:
  Node() = default;
};

// ------------------------------------------------------------------------------------------------
// Declarations: anything a Ref can name. All share one namespace per module (Verilog's rule for
// nets, parameters, genvars, instances and generate block labels).
enum class DeclKind : uint8_t { kParameter, kLocalParam, kPort, kWire, kReg, kGenvar };

class Expr;

// Width and signedness of a net or port. width == nullptr means a 1-bit scalar (no range); any
// other width prints as [width-1:0]. array_size != nullptr makes an unpacked array [0:size-1].
struct DataType {
  Expr* width = nullptr;
  bool is_signed = false;
  Expr* array_size = nullptr;
};

class Decl : public Node {
 public:
  Decl(DeclKind kind, std::string name) : kind_(kind), name_(std::move(name)) {}
  DeclKind kind() const { return kind_; }
  const std::string& name() const { return name_; }
  // Only the legalize pass renames; it keeps the original for diagnostics.
  void set_name(std::string name) { name_ = std::move(name); }

 private:
  DeclKind kind_;
  std::string name_;
};

// `parameter integer NAME = value` (in the module header) or `localparam integer NAME = value`.
// Parameters are 32-bit integers: every parameter of the template is a count or a width.
class ParamDecl : public Decl {
 public:
  ParamDecl(DeclKind kind, std::string name, Expr* value, std::string comment)
      : Decl(kind, std::move(name)), value_(value), comment_(std::move(comment)) {}
  Expr* value() const { return value_; }
  const std::string& comment() const { return comment_; }

 private:
  Expr* value_;
  std::string comment_;
};

enum class Direction : uint8_t { kInput, kOutput };

class Port : public Decl {
 public:
  Port(Direction dir, std::string name, DataType type, std::string comment)
      : Decl(DeclKind::kPort, std::move(name)), dir_(dir), type_(type),
        comment_(std::move(comment)) {}
  Direction direction() const { return dir_; }
  const DataType& type() const { return type_; }
  const std::string& comment() const { return comment_; }

 private:
  Direction dir_;
  DataType type_;
  std::string comment_;
};

// `wire` or `reg` with an explicit type.
class NetDecl : public Decl {
 public:
  NetDecl(DeclKind kind, std::string name, DataType type, std::string comment)
      : Decl(kind, std::move(name)), type_(type), comment_(std::move(comment)) {}
  const DataType& type() const { return type_; }
  const std::string& comment() const { return comment_; }

 private:
  DataType type_;
  std::string comment_;
};

class GenvarDecl : public Decl {
 public:
  explicit GenvarDecl(std::string name) : Decl(DeclKind::kGenvar, std::move(name)) {}
};

// ------------------------------------------------------------------------------------------------
// Expressions.
enum class ExprKind : uint8_t {
  kLiteral, kRef, kUnary, kBinary, kTernary, kConcat, kReplicate, kIndex, kSlice, kPartSelect,
  kSigned, kUnsigned, kClog2,
};

class Expr : public Node {
 public:
  explicit Expr(ExprKind kind) : kind_(kind) {}
  ExprKind kind() const { return kind_; }

 private:
  ExprKind kind_;
};

enum class Radix : uint8_t { kDecimal, kHex, kBinary };

// A constant. width < 0: an unsized integer (for parameter values and loop bounds), printed as a
// plain decimal. Otherwise `W'd V`, `W'sd V`, `W'h V`, `W'b V`; 0 <= value < 2^width.
class Literal : public Expr {
 public:
  Literal(int64_t width, uint64_t value, bool is_signed, Radix radix)
      : Expr(ExprKind::kLiteral), width_(width), value_(value), is_signed_(is_signed),
        radix_(radix) {}
  int64_t width() const { return width_; }
  uint64_t value() const { return value_; }
  bool is_signed() const { return is_signed_; }
  Radix radix() const { return radix_; }
  bool unsized() const { return width_ < 0; }

 private:
  int64_t width_;
  uint64_t value_;
  bool is_signed_;
  Radix radix_;
};

class Ref : public Expr {
 public:
  explicit Ref(const Decl* decl) : Expr(ExprKind::kRef), decl_(decl) {}
  const Decl* decl() const { return decl_; }

 private:
  const Decl* decl_;
};

enum class UnaryOp : uint8_t { kNot, kLogicalNot, kNegate, kReduceAnd, kReduceOr, kReduceXor };
class Unary : public Expr {
 public:
  Unary(UnaryOp op, Expr* arg) : Expr(ExprKind::kUnary), op_(op), arg_(arg) {}
  UnaryOp op() const { return op_; }
  Expr* arg() const { return arg_; }

 private:
  UnaryOp op_;
  Expr* arg_;
};

enum class BinaryOp : uint8_t {
  kAdd, kSub, kMul, kDiv, kMod, kShl, kShr, kAshr, kAnd, kOr, kXor,
  kLogicalAnd, kLogicalOr, kEq, kNe, kLt, kLe, kGt, kGe,
};
class Binary : public Expr {
 public:
  Binary(BinaryOp op, Expr* lhs, Expr* rhs)
      : Expr(ExprKind::kBinary), op_(op), lhs_(lhs), rhs_(rhs) {}
  BinaryOp op() const { return op_; }
  Expr* lhs() const { return lhs_; }
  Expr* rhs() const { return rhs_; }

 private:
  BinaryOp op_;
  Expr* lhs_;
  Expr* rhs_;
};

class Ternary : public Expr {
 public:
  Ternary(Expr* cond, Expr* if_true, Expr* if_false)
      : Expr(ExprKind::kTernary), cond_(cond), t_(if_true), f_(if_false) {}
  Expr* cond() const { return cond_; }
  Expr* if_true() const { return t_; }
  Expr* if_false() const { return f_; }

 private:
  Expr* cond_;
  Expr* t_;
  Expr* f_;
};

// {a, b, c}: the first element is the most significant. Optional per-part comments (same length
// as parts, or empty) make the printer lay the parts out one per line with their comment.
class Concat : public Expr {
 public:
  explicit Concat(std::vector<Expr*> parts, std::vector<std::string> comments = {})
      : Expr(ExprKind::kConcat), parts_(std::move(parts)), comments_(std::move(comments)) {}
  const std::vector<Expr*>& parts() const { return parts_; }
  const std::vector<std::string>& comments() const { return comments_; }

 private:
  std::vector<Expr*> parts_;
  std::vector<std::string> comments_;
};

// {count{arg}}; count is a constant expression.
class Replicate : public Expr {
 public:
  Replicate(Expr* count, Expr* arg) : Expr(ExprKind::kReplicate), count_(count), arg_(arg) {}
  Expr* count() const { return count_; }
  Expr* arg() const { return arg_; }

 private:
  Expr* count_;
  Expr* arg_;
};

// base[index]: one bit of a vector, or one element of an unpacked array.
class Index : public Expr {
 public:
  Index(Expr* base, Expr* index) : Expr(ExprKind::kIndex), base_(base), index_(index) {}
  Expr* base() const { return base_; }
  Expr* index() const { return index_; }

 private:
  Expr* base_;
  Expr* index_;
};

// base[msb:lsb], constant bounds.
class Slice : public Expr {
 public:
  Slice(Expr* base, Expr* msb, Expr* lsb) : Expr(ExprKind::kSlice), base_(base), msb_(msb), lsb_(lsb) {}
  Expr* base() const { return base_; }
  Expr* msb() const { return msb_; }
  Expr* lsb() const { return lsb_; }

 private:
  Expr* base_;
  Expr* msb_;
  Expr* lsb_;
};

// base[start +: width]; start may depend on a genvar, width is constant.
class PartSelect : public Expr {
 public:
  PartSelect(Expr* base, Expr* start, Expr* width)
      : Expr(ExprKind::kPartSelect), base_(base), start_(start), width_(width) {}
  Expr* base() const { return base_; }
  Expr* start() const { return start_; }
  Expr* width() const { return width_; }

 private:
  Expr* base_;
  Expr* start_;
  Expr* width_;
};

// $signed(arg), $unsigned(arg), $clog2(arg).
class Call : public Expr {
 public:
  Call(ExprKind kind, Expr* arg) : Expr(kind), arg_(arg) {}
  Expr* arg() const { return arg_; }

 private:
  Expr* arg_;
};

// ------------------------------------------------------------------------------------------------
// Statements (inside always blocks).
class Stmt : public Node {};

class NonblockingAssign : public Stmt {
 public:
  NonblockingAssign(Expr* lhs, Expr* rhs) : lhs_(lhs), rhs_(rhs) {}
  Expr* lhs() const { return lhs_; }
  Expr* rhs() const { return rhs_; }

 private:
  Expr* lhs_;
  Expr* rhs_;
};

class IfStmt : public Stmt {
 public:
  explicit IfStmt(Expr* cond) : cond_(cond) {}
  Expr* cond() const { return cond_; }
  std::vector<Stmt*>& then_body() { return then_; }
  std::vector<Stmt*>& else_body() { return else_; }
  const std::vector<Stmt*>& then_body() const { return then_; }
  const std::vector<Stmt*>& else_body() const { return else_; }

 private:
  Expr* cond_;
  std::vector<Stmt*> then_;
  std::vector<Stmt*> else_;
};

// ------------------------------------------------------------------------------------------------
// Module items.
class Item : public Node {};

class DeclItem : public Item {  // a wire, reg, localparam or genvar declared in the body
 public:
  explicit DeclItem(Decl* decl) : decl_(decl) {}
  Decl* decl() const { return decl_; }

 private:
  Decl* decl_;
};

class CommentItem : public Item {  // `// text` (several lines allowed); empty text = blank line
 public:
  explicit CommentItem(std::string text) : text_(std::move(text)) {}
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

class ContinuousAssign : public Item {
 public:
  ContinuousAssign(Expr* lhs, Expr* rhs) : lhs_(lhs), rhs_(rhs) {}
  Expr* lhs() const { return lhs_; }
  Expr* rhs() const { return rhs_; }

 private:
  Expr* lhs_;
  Expr* rhs_;
};

class AlwaysFf : public Item {  // always @(posedge clock) begin ... end
 public:
  explicit AlwaysFf(Expr* clock) : clock_(clock) {}
  Expr* clock() const { return clock_; }
  std::vector<Stmt*>& body() { return body_; }
  const std::vector<Stmt*>& body() const { return body_; }

 private:
  Expr* clock_;
  std::vector<Stmt*> body_;
};

// One named connection: .name(expr). expr == nullptr leaves a port explicitly unconnected: .name()
struct Connection {
  std::string name;
  Expr* expr = nullptr;
};

// An instance of `module` (a module of this file, or an extern leaf). The instance name shares the
// module's namespace with the declarations; legalize uniquifies it.
class Instance : public Item {
 public:
  Instance(const Module* module, std::string name) : module_(module), name_(std::move(name)) {}
  const Module* module() const { return module_; }
  const std::string& name() const { return name_; }
  void set_name(std::string name) { name_ = std::move(name); }
  std::vector<Connection>& params() { return params_; }
  std::vector<Connection>& ports() { return ports_; }
  const std::vector<Connection>& params() const { return params_; }
  const std::vector<Connection>& ports() const { return ports_; }

 private:
  const Module* module_;
  std::string name_;
  std::vector<Connection> params_;
  std::vector<Connection> ports_;
};

// for (genvar = start; genvar < limit; genvar = genvar + 1) begin : label ... end
class GenerateFor : public Item {
 public:
  GenerateFor(GenvarDecl* genvar, Expr* start, Expr* limit, std::string label)
      : genvar_(genvar), start_(start), limit_(limit), label_(std::move(label)) {}
  GenvarDecl* genvar() const { return genvar_; }
  Expr* start() const { return start_; }
  Expr* limit() const { return limit_; }
  const std::string& label() const { return label_; }
  void set_label(std::string label) { label_ = std::move(label); }
  std::vector<Item*>& body() { return body_; }
  const std::vector<Item*>& body() const { return body_; }

 private:
  GenvarDecl* genvar_;
  Expr* start_;
  Expr* limit_;
  std::string label_;
  std::vector<Item*> body_;
};

// ------------------------------------------------------------------------------------------------
// A module: parameters and ports (the header), then body items. An extern module has no body; it
// describes a hand-written leaf (its parameters with defaults, its ports with widths written in
// terms of its parameters) so instances can be checked; it is never printed.
class Module : public Node {
 public:
  Module(VerilogFile* file, std::string name, bool is_extern)
      : file_(file), name_(std::move(name)), is_extern_(is_extern) {}

  const std::string& name() const { return name_; }
  void set_name(std::string name) { name_ = std::move(name); }
  bool is_extern() const { return is_extern_; }
  VerilogFile* file() const { return file_; }

  // Header.
  ParamDecl* add_parameter(const std::string& name, Expr* default_value, std::string comment = "");
  Port* add_input(const std::string& name, DataType type, std::string comment = "");
  Port* add_output(const std::string& name, DataType type, std::string comment = "");

  // Body: each adds an item at the end of `body` (the module body by default, or a generate
  // loop's body) and returns the declaration / item.
  ParamDecl* add_localparam(const std::string& name, Expr* value, std::string comment = "",
                            std::vector<Item*>* body = nullptr);
  NetDecl* add_wire(const std::string& name, DataType type, std::string comment = "",
                    std::vector<Item*>* body = nullptr);
  NetDecl* add_reg(const std::string& name, DataType type, std::string comment = "",
                   std::vector<Item*>* body = nullptr);
  ContinuousAssign* add_assign(Expr* lhs, Expr* rhs, std::vector<Item*>* body = nullptr);
  Instance* add_instance(const Module* module, const std::string& name,
                         std::vector<Item*>* body = nullptr);
  GenerateFor* add_generate_for(const std::string& genvar, Expr* start, Expr* limit,
                                const std::string& label, std::vector<Item*>* body = nullptr);
  AlwaysFf* add_always_ff(Expr* clock, std::vector<Item*>* body = nullptr);
  void add_comment(std::string text, std::vector<Item*>* body = nullptr);

  // Lookups (by current name); nullptr when absent.
  const ParamDecl* find_parameter(const std::string& name) const;
  const Port* find_port(const std::string& name) const;

  const std::vector<ParamDecl*>& parameters() const { return params_; }
  const std::vector<Port*>& ports() const { return ports_; }
  const std::vector<Item*>& body() const { return body_; }
  std::vector<Item*>& body() { return body_; }
  const std::vector<GenvarDecl*>& genvars() const { return genvars_; }

  // Free text printed above the module (may span lines).
  void set_comment(std::string text) { comment_ = std::move(text); }
  const std::string& comment() const { return comment_; }

 private:
  std::vector<Item*>& target(std::vector<Item*>* body) { return body ? *body : body_; }

  VerilogFile* file_;
  std::string name_;
  bool is_extern_;
  std::string comment_;
  std::vector<ParamDecl*> params_;
  std::vector<Port*> ports_;
  std::vector<GenvarDecl*> genvars_;  // declared at module level (Verilog-2005 style)
  std::vector<Item*> body_;
};

// ------------------------------------------------------------------------------------------------
// The owner of every node, and the factories for expressions.
class VerilogFile {
 public:
  VerilogFile() = default;
  VerilogFile(const VerilogFile&) = delete;
  VerilogFile& operator=(const VerilogFile&) = delete;

  template <typename T, typename... Args>
  T* make(Args&&... args) {
    auto node = std::make_unique<T>(std::forward<Args>(args)...);
    T* raw = node.get();
    nodes_.push_back(std::move(node));
    return raw;
  }

  Module* add_module(const std::string& name);         // printed, in order of creation
  Module* add_extern_module(const std::string& name);  // a leaf: declared, never printed
  const std::vector<Module*>& modules() const { return modules_; }
  const std::vector<Module*>& extern_modules() const { return externs_; }
  const Module* find_module(const std::string& name) const;  // either kind

  // Free text printed at the top of the file (may span lines).
  void set_header(std::string text) { header_ = std::move(text); }
  const std::string& header() const { return header_; }

  // Expression factories.
  Literal* integer(int64_t value);  // unsized decimal (value >= 0); negative values -> Negate
  Literal* literal(int64_t width, uint64_t value, bool is_signed = false,
                   Radix radix = Radix::kDecimal);
  Ref* ref(const Decl* decl);
  Unary* unary(UnaryOp op, Expr* arg);
  Binary* binary(BinaryOp op, Expr* lhs, Expr* rhs);
  Binary* add(Expr* a, Expr* b) { return binary(BinaryOp::kAdd, a, b); }
  Binary* sub(Expr* a, Expr* b) { return binary(BinaryOp::kSub, a, b); }
  Binary* mul(Expr* a, Expr* b) { return binary(BinaryOp::kMul, a, b); }
  Binary* eq(Expr* a, Expr* b) { return binary(BinaryOp::kEq, a, b); }
  Ternary* ternary(Expr* cond, Expr* if_true, Expr* if_false);
  Concat* concat(std::vector<Expr*> parts, std::vector<std::string> comments = {});
  Replicate* replicate(Expr* count, Expr* arg);
  Index* index(Expr* base, Expr* index);
  Slice* slice(Expr* base, Expr* msb, Expr* lsb);
  PartSelect* part_select(Expr* base, Expr* start, Expr* width);
  Call* as_signed(Expr* arg);
  Call* as_unsigned(Expr* arg);
  Call* clog2(Expr* arg);

  // A copy of `expr` in which every reference to a key of `bindings` is replaced by its value
  // (shared, not copied). Used to express a leaf port's width in the instantiating module's terms.
  Expr* rebind(const Expr* expr, const std::vector<std::pair<const Decl*, Expr*>>& bindings);

  // Types.
  DataType scalar() { return DataType{}; }
  DataType bits(int64_t width, bool is_signed = false);  // [width-1:0] (width >= 1)
  DataType bits(Expr* width, bool is_signed = false) { return DataType{width, is_signed, nullptr}; }

  // Set by legalize(); the printer refuses a file that was not legalized (or changed since: every
  // add_* of a module or of the file clears it).
  bool legalized() const { return legalized_; }
  void set_legalized(bool value) { legalized_ = value; }

 private:
  std::vector<std::unique_ptr<Node>> nodes_;
  std::vector<Module*> modules_;
  std::vector<Module*> externs_;
  std::string header_;
  bool legalized_ = false;
};

}  // namespace af::vast
