// Unit tests of the VAST syntax tree, its legalize pass and its printer (hw/vast*.h).
#include <gtest/gtest.h>

#include <string>

#include "hw/vast.h"
#include "hw/vast_eval.h"
#include "hw/vast_legalize.h"
#include "hw/vast_print.h"

namespace af::vast {
namespace {

std::string must_print(VerilogFile& f) {
  Status s = legalize(f);
  EXPECT_TRUE(s.ok()) << s.message();
  auto text = print(f);
  EXPECT_TRUE(text.ok()) << text.status().message();
  return text.ok() ? *text : "";
}

// A leaf with a parameterized port, as rtl-templates declares them.
Module* add_leaf(VerilogFile& f) {
  Module* leaf = f.add_extern_module("af_leaf");
  ParamDecl* dw = leaf->add_parameter("DW", f.integer(8));
  ParamDecl* n = leaf->add_parameter("N", f.integer(2));
  leaf->add_input("clk", f.scalar());
  leaf->add_input("din", f.bits(f.mul(f.ref(dw), f.ref(n))));
  leaf->add_output("dout", f.bits(f.ref(dw), /*is_signed=*/true));
  return leaf;
}

TEST(Vast, PrintsAModuleWithParametersPortsWiresAndAssigns) {
  VerilogFile f;
  f.set_header("generated");
  Module* m = f.add_module("top");
  m->set_comment("the top");
  ParamDecl* w = m->add_parameter("W", f.integer(8), "data width");
  Port* clk = m->add_input("clk", f.scalar(), "clock");
  Port* a = m->add_input("a", f.bits(f.ref(w)));
  Port* y = m->add_output("y", f.bits(f.ref(w)));
  Port* s = m->add_output("s", f.bits(16, /*is_signed=*/true));
  (void)clk;
  NetDecl* t = m->add_wire("t", f.bits(f.ref(w)), "temp");
  m->add_assign(f.ref(t), f.unary(UnaryOp::kNot, f.ref(a)));
  m->add_assign(f.ref(y), f.binary(BinaryOp::kXor, f.ref(t), f.literal(8, 0xa5, false, Radix::kHex)));
  m->add_assign(f.ref(s), f.as_signed(f.concat({f.replicate(f.integer(8), f.index(f.ref(a), f.integer(7))),
                                                f.ref(a)})));
  std::string text = must_print(f);
  EXPECT_EQ(text,
            "// generated\n"
            "`default_nettype none\n"
            "\n"
            "// the top\n"
            "module top #(\n"
            "  parameter integer W = 8  // data width\n"
            ") (\n"
            "  input  wire                  clk,  // clock\n"
            "  input  wire        [W - 1:0] a,\n"
            "  output wire        [W - 1:0] y,\n"
            "  output wire signed [15:0]    s\n"
            ");\n"
            "\n"
            "  wire [W - 1:0] t;  // temp\n"
            "  assign t = ~a;\n"
            "  assign y = t ^ 8'ha5;\n"
            "  assign s = $signed({{8{a[7]}}, a});\n"
            "endmodule\n"
            "\n"
            "`default_nettype wire\n");
}

TEST(Vast, PrecedenceParenthesizesOnlyWhereNeeded) {
  VerilogFile f;
  Module* m = f.add_module("m");
  ParamDecl* a = m->add_parameter("A", f.integer(1));
  ParamDecl* b = m->add_parameter("B", f.integer(2));
  ParamDecl* c = m->add_parameter("C", f.integer(3));
  auto A = [&] { return f.ref(a); };
  auto B = [&] { return f.ref(b); };
  auto C = [&] { return f.ref(c); };
  EXPECT_EQ(print_expr(f.add(A(), f.mul(B(), C()))), "A + B * C");
  EXPECT_EQ(print_expr(f.mul(f.add(A(), B()), C())), "(A + B) * C");
  EXPECT_EQ(print_expr(f.sub(A(), f.sub(B(), C()))), "A - (B - C)");
  EXPECT_EQ(print_expr(f.sub(f.sub(A(), B()), C())), "A - B - C");
  EXPECT_EQ(print_expr(f.unary(UnaryOp::kNegate, f.unary(UnaryOp::kNegate, A()))), "-(-A)");
  EXPECT_EQ(print_expr(f.ternary(f.eq(A(), B()), f.ternary(A(), B(), C()), f.ternary(B(), C(), A()))),
            "A == B ? (A ? B : C) : B ? C : A");
  EXPECT_EQ(print_expr(f.binary(BinaryOp::kShl, f.add(A(), B()), C())), "A + B << C");
  EXPECT_EQ(print_expr(f.clog2(f.mul(A(), B()))), "$clog2(A * B)");
}

TEST(Vast, LiteralForms) {
  VerilogFile f;
  EXPECT_EQ(print_expr(f.integer(42)), "42");
  EXPECT_EQ(print_expr(f.literal(8, 5)), "8'd5");
  EXPECT_EQ(print_expr(f.literal(8, 5, true)), "8'sd5");
  EXPECT_EQ(print_expr(f.literal(12, 0xabc, false, Radix::kHex)), "12'habc");
  EXPECT_EQ(print_expr(f.literal(4, 5, false, Radix::kBinary)), "4'b0101");
}

TEST(Vast, PrinterRefusesAFileThatWasNotLegalized) {
  VerilogFile f;
  f.add_module("m")->add_input("a", f.scalar());
  EXPECT_FALSE(print(f).ok());
  ASSERT_TRUE(legalize(f).ok());
  EXPECT_TRUE(print(f).ok());
  f.modules()[0]->add_wire("w", f.scalar());  // a change invalidates the legalization
  EXPECT_FALSE(print(f).ok());
}

TEST(Vast, PrintingDoesNotChangeTheTree) {
  VerilogFile f;
  Module* m = f.add_module("m");
  Port* a = m->add_input("a", f.bits(4));
  Port* y = m->add_output("y", f.bits(4));
  m->add_assign(f.ref(y), f.ref(a));
  ASSERT_TRUE(legalize(f).ok());
  std::string first = *print(f);
  EXPECT_EQ(*print(f), first);
  EXPECT_TRUE(f.legalized());
}

TEST(Vast, LegalizeRenamesKeywordsIllegalAndDuplicateNames) {
  VerilogFile f;
  Module* m = f.add_module("m");
  Port* a = m->add_input("a", f.bits(4));
  Port* y = m->add_output("y", f.bits(4));
  NetDecl* w1 = m->add_wire("reg", f.bits(4));
  NetDecl* w2 = m->add_wire("a", f.bits(4));       // clashes with the port
  NetDecl* w3 = m->add_wire("3x-y", f.bits(4));    // illegal characters, leading digit
  m->add_assign(f.ref(w1), f.ref(a));
  m->add_assign(f.ref(w2), f.ref(w1));
  m->add_assign(f.ref(w3), f.ref(w2));
  m->add_assign(f.ref(y), f.ref(w3));
  LegalizeReport report;
  ASSERT_TRUE(legalize(f, &report).ok());
  EXPECT_EQ(w1->name(), "reg_");
  EXPECT_EQ(w2->name(), "a_1");
  EXPECT_EQ(w3->name(), "_3x_y");
  EXPECT_EQ(report.renames.size(), 3u);
  std::string text = *print(f);
  EXPECT_NE(text.find("assign a_1 = reg_;"), std::string::npos) << text;
  EXPECT_NE(text.find("assign y = _3x_y;"), std::string::npos) << text;
  // Legalizing again changes nothing.
  LegalizeReport again;
  ASSERT_TRUE(legalize(f, &again).ok());
  EXPECT_TRUE(again.renames.empty());
}

TEST(Vast, LegalizeRejectsIllegalInterfaceNames) {
  VerilogFile f;
  Module* m = f.add_module("m");
  m->add_input("input", f.scalar());
  Status s = legalize(f);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("port 'input' is not a legal Verilog identifier"), std::string::npos);
}

TEST(Vast, LegalizeRejectsWidthMismatchesAndImplicitExtension) {
  VerilogFile f;
  Module* m = f.add_module("m");
  Port* a = m->add_input("a", f.bits(8));
  Port* b = m->add_input("b", f.bits(4));
  Port* y = m->add_output("y", f.bits(4));
  m->add_assign(f.ref(y), f.ref(a));
  Status s = legalize(f);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("assign y: width 8, expected 4"), std::string::npos) << s.message();

  VerilogFile g;
  Module* n = g.add_module("n");
  Port* ga = n->add_input("a", g.bits(8));
  Port* gb = n->add_input("b", g.bits(4));
  Port* gy = n->add_output("y", g.bits(8));
  n->add_assign(g.ref(gy), g.add(g.ref(ga), g.ref(gb)));
  s = legalize(g);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("implicit extension in 'a + b'"), std::string::npos) << s.message();
  (void)b;
}

TEST(Vast, LegalizeRejectsMixedSignednessAndUnsizedAssigns) {
  VerilogFile f;
  Module* m = f.add_module("m");
  Port* acc = m->add_input("acc", f.bits(32, true));
  Port* clear = m->add_input("clear", f.scalar());
  Port* y = m->add_output("y", f.bits(32, true));
  Port* z = m->add_output("z", f.bits(32));
  // The trap from the research notes: an unsigned zero makes the whole expression unsigned.
  m->add_assign(f.ref(y), f.ternary(f.ref(clear), f.literal(32, 0), f.ref(acc)));
  m->add_assign(f.ref(z), f.integer(0));
  Status s = legalize(f);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("mixed signedness"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("unsized constant"), std::string::npos) << s.message();
}

TEST(Vast, LegalizeChecksDrivers) {
  VerilogFile f;
  Module* m = f.add_module("m");
  Port* a = m->add_input("a", f.bits(4));
  Port* b = m->add_input("b", f.bits(4));
  m->add_assign(f.ref(a), f.ref(b));
  Status s = legalize(f);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("'a' cannot be driven continuously"), std::string::npos) << s.message();
}

TEST(Vast, LegalizeChecksInstancesAgainstTheLeafSignature) {
  VerilogFile f;
  Module* leaf = add_leaf(f);
  Module* m = f.add_module("top");
  Port* clk = m->add_input("clk", f.scalar());
  Port* din = m->add_input("din", f.bits(24));
  Port* dout = m->add_output("dout", f.bits(8, true));
  Instance* ok = m->add_instance(leaf, "u_ok");
  ok->params() = {{"N", f.integer(3)}};
  ok->ports() = {{"clk", f.ref(clk)}, {"din", f.ref(din)}, {"dout", f.ref(dout)}};
  LegalizeReport report;
  Status s = legalize(f, &report);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(report.widths_checked, 3);
  std::string text = *print(f);
  EXPECT_NE(text.find("  af_leaf #(\n"
                      "    .N (3)\n"
                      "  ) u_ok (\n"
                      "    .clk  (clk),\n"
                      "    .din  (din),\n"
                      "    .dout (dout)\n"
                      "  );\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("module af_leaf"), std::string::npos) << "extern modules are never printed";

  Instance* bad = m->add_instance(leaf, "u_bad");
  bad->params() = {{"N", f.integer(2)}, {"NOPE", f.integer(1)}};
  bad->ports() = {{"clk", nullptr}, {"din", f.ref(din)}, {"bogus", f.ref(clk)}};
  s = legalize(f);
  ASSERT_FALSE(s.ok());
  const std::string& msg = s.message();
  EXPECT_NE(msg.find("instance u_bad of af_leaf: no parameter NOPE"), std::string::npos) << msg;
  EXPECT_NE(msg.find("port clk: input left unconnected"), std::string::npos) << msg;
  EXPECT_NE(msg.find("port din: width 24, expected 16"), std::string::npos) << msg;
  EXPECT_NE(msg.find("no port bogus"), std::string::npos) << msg;
  EXPECT_NE(msg.find("port dout not listed"), std::string::npos) << msg;
}

TEST(Vast, GenerateLoopsAreCheckedAtBothEnds) {
  VerilogFile f;
  Module* leaf = add_leaf(f);
  Module* m = f.add_module("top");
  ParamDecl* n = m->add_parameter("ROWS", f.integer(4));
  Port* clk = m->add_input("clk", f.scalar());
  Port* din = m->add_input("din", f.bits(f.mul(f.ref(n), f.integer(16))));
  NetDecl* out = m->add_wire("out", f.bits(8, true), "", nullptr);
  (void)out;
  Port* dout = m->add_output("dout", f.bits(f.mul(f.ref(n), f.integer(8))));
  GenerateFor* g = m->add_generate_for("r", f.integer(0), f.ref(n), "g_row");
  Instance* inst = m->add_instance(leaf, "u_leaf", &g->body());
  // Off by one: the last iteration selects past the end of din.
  inst->ports() = {{"clk", f.ref(clk)},
                   {"din", f.part_select(f.ref(din), f.mul(f.add(f.ref(g->genvar()), f.integer(1)),
                                                           f.integer(16)), f.integer(16))},
                   {"dout", f.part_select(f.ref(dout), f.mul(f.ref(g->genvar()), f.integer(8)),
                                          f.integer(8))}};
  Status s = legalize(f);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("part select [64 +: 16] out of range of 64 bits"), std::string::npos)
      << s.message();
  EXPECT_EQ(s.message().find("[16 +: 16]"), std::string::npos) << "first iteration is in range";

  inst->ports()[1].expr =
      f.part_select(f.ref(din), f.mul(f.ref(g->genvar()), f.integer(16)), f.integer(16));
  s = legalize(f);
  ASSERT_TRUE(s.ok()) << s.message();
  std::string text = *print(f);
  EXPECT_NE(text.find("  genvar r;\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  generate\n"
                      "    for (r = 0; r < ROWS; r = r + 1) begin : g_row\n"
                      "      af_leaf u_leaf (\n"
                      "        .clk  (clk),\n"
                      "        .din  (din[r * 16 +: 16]),\n"
                      "        .dout (dout[r * 8 +: 8])\n"
                      "      );\n"
                      "    end\n"
                      "  endgenerate\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("input  wire [ROWS * 16 - 1:0] din"), std::string::npos) << text;
}

TEST(Vast, AlwaysBlocksAndArrays) {
  VerilogFile f;
  Module* m = f.add_module("m");
  Port* clk = m->add_input("clk", f.scalar());
  Port* rst = m->add_input("rst", f.scalar());
  Port* d = m->add_input("d", f.bits(8));
  Port* q = m->add_output("q", f.bits(8));
  NetDecl* r = m->add_reg("r", f.bits(8));
  NetDecl* mem = m->add_wire("mem", DataType{f.integer(8), false, f.integer(4)});
  m->add_assign(f.index(f.ref(mem), f.integer(0)), f.ref(d));
  AlwaysFf* ff = m->add_always_ff(f.ref(clk));
  auto* ifs = f.make<IfStmt>(f.ref(rst));
  ifs->then_body().push_back(f.make<NonblockingAssign>(f.ref(r), f.literal(8, 0)));
  ifs->else_body().push_back(f.make<NonblockingAssign>(f.ref(r), f.index(f.ref(mem), f.integer(0))));
  ff->body().push_back(ifs);
  m->add_assign(f.ref(q), f.ref(r));
  std::string text = must_print(f);
  EXPECT_NE(text.find("  wire [7:0] mem [0:3];\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  always @(posedge clk) begin\n"
                      "    if (rst) begin\n"
                      "      r <= 8'd0;\n"
                      "    end else begin\n"
                      "      r <= mem[0];\n"
                      "    end\n"
                      "  end\n"),
            std::string::npos)
      << text;

  // A wire cannot be written from an always block, a reg cannot be assigned continuously.
  ff->body().push_back(f.make<NonblockingAssign>(f.ref(q), f.ref(d)));
  m->add_assign(f.ref(r), f.ref(d));
  Status s = legalize(f);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("'q' cannot be driven from an always block"), std::string::npos);
  EXPECT_NE(s.message().find("'r' cannot be driven continuously"), std::string::npos);
}

TEST(VastEval, EvaluatesConstantsAndClog2) {
  VerilogFile f;
  Module* m = f.add_module("m");
  ParamDecl* depth = m->add_parameter("DEPTH", f.integer(1000));
  ParamDecl* aw = m->add_localparam("AW", f.clog2(f.ref(depth)));
  Env env = module_env(*m);
  EXPECT_EQ(env.get(aw), 10);
  EXPECT_EQ(eval(f.sub(f.mul(f.ref(aw), f.integer(3)), f.integer(1)), env), 29);
  EXPECT_EQ(eval(f.clog2(f.integer(1)), env), 0);
  EXPECT_EQ(eval(f.clog2(f.integer(1024)), env), 10);
  EXPECT_EQ(eval(f.binary(BinaryOp::kDiv, f.integer(1), f.integer(0)), env), std::nullopt);
}


TEST(VastEval, RebindAndFoldExpressALeafWidthInTheParentsTerms) {
  VerilogFile f;
  Module* leaf = add_leaf(f);  // din is DW*N bits
  Module* top = f.add_module("top");
  ParamDecl* w = top->add_parameter("W", f.integer(4));
  const ParamDecl* dw = leaf->find_parameter("DW");
  const ParamDecl* n = leaf->find_parameter("N");
  const Expr* din_width = leaf->find_port("din")->type().width;
  // DW bound to the parent's W, N to a constant: W * 3.
  Expr* e = fold(f, f.rebind(din_width, {{dw, f.ref(w)}, {n, f.integer(3)}}));
  EXPECT_EQ(print_expr(e), "W * 3");
  // Constants fold away; x * 1 and (x * c1) * c2 simplify.
  EXPECT_EQ(print_expr(fold(f, f.rebind(din_width, {{dw, f.integer(8)}, {n, f.integer(2)}}))), "16");
  EXPECT_EQ(print_expr(fold(f, f.mul(f.ref(w), f.integer(1)))), "W");
  EXPECT_EQ(print_expr(fold(f, f.mul(f.mul(f.ref(w), f.integer(4)), f.integer(8)))), "W * 32");
  EXPECT_EQ(print_expr(fold(f, f.mul(f.ref(w), f.ternary(f.eq(f.integer(2), f.integer(2)), f.integer(32),
                                                             f.integer(8))))),
            "W * 32");
  // The leaf's own expression is untouched.
  EXPECT_EQ(print_expr(din_width), "DW * N");
}

TEST(Vast, ConcatWithCommentsPrintsOnePartPerLine) {
  VerilogFile f;
  Module* leaf = f.add_extern_module("sink");
  leaf->add_input("x", f.bits(12));
  Module* m = f.add_module("m");
  Port* a = m->add_input("a", f.bits(4));
  Port* b = m->add_input("b", f.bits(8));
  Instance* i = m->add_instance(leaf, "u_sink");
  i->ports() = {{"x", f.concat({f.ref(a), f.ref(b)}, {"high", "low"})}};
  std::string text = must_print(f);
  EXPECT_NE(text.find("    .x ({a,   // high\n"
                      "         b})  // low\n"),
            std::string::npos)
      << text;
}

}  // namespace
}  // namespace af::vast
