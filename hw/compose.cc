// The top-level composition (see compose.h). Three parts, in the order of the contract
// rtl-templates/INTERFACES.md:
//   1. the leaf catalogue: every leaf's parameters (with defaults) and ports (with widths in terms
//      of its parameters), transcribed from the module headers in rtl-templates/*.v;
//   2. the top parameters (section 2); the limits they must respect are part of HwConfig
//      validation (core/template_constants.h);
//   3. the netlist of reference_top.v (section 8): instances, their parameters, and the nets.
// When a leaf header or reference_top.v changes, this is the file to change; legalize() then
// checks every connection against the catalogue, and the lint and structure tests (tests/hw_*)
// check the catalogue and the netlist against the real files.
#include "hw/compose.h"

#include <map>
#include <set>

#include "core/dims.h"
#include "core/template_constants.h"
#include "hw/vast_eval.h"

namespace af::hw {

namespace {

using vast::DataType;
using vast::Expr;
using vast::Module;
using vast::VerilogFile;

// ------------------------------------------------------------------------------------------------
// Width expressions written as C++ arithmetic on parameter references: X(NOC_W) * 16.
struct X {
  VerilogFile* f;
  Expr* e;
};
X operator*(X a, X b) { return {a.f, a.f->mul(a.e, b.e)}; }
X operator*(X a, int64_t b) { return {a.f, a.f->mul(a.e, a.f->integer(b))}; }

// Declares one extern leaf module.
class LeafDecl {
 public:
  LeafDecl(VerilogFile& f, std::vector<Leaf>& out, const std::string& module,
           std::vector<std::string> submodules = {})
      : f_(f) {
    Leaf leaf;
    leaf.module = module;
    leaf.file = module + ".v";
    leaf.submodules = std::move(submodules);
    leaf.decl = f.add_extern_module(module);
    out.push_back(leaf);
    m_ = leaf.decl;
  }
  X param(const std::string& name, int64_t default_value) {
    return {&f_, f_.ref(m_->add_parameter(name, f_.integer(default_value)))};
  }
  void in(const std::string& name) { m_->add_input(name, f_.scalar()); }
  void in(const std::string& name, int64_t width) { m_->add_input(name, f_.bits(width)); }
  void in(const std::string& name, X width) { m_->add_input(name, f_.bits(width.e)); }
  void out(const std::string& name) { m_->add_output(name, f_.scalar()); }
  void out(const std::string& name, int64_t width) { m_->add_output(name, f_.bits(width)); }
  void out(const std::string& name, X width) { m_->add_output(name, f_.bits(width.e)); }

 private:
  VerilogFile& f_;
  Module* m_;
};

// Fixed field widths of the contract (INTERFACES.md section 1), from the template's limits.
constexpr int64_t kL1a = L1_ADDR_BITS;       // L1 word address
constexpr int64_t kL2a = L2_ADDR_BITS;       // L2 address
constexpr int64_t kInc = COUNTER_INC_BITS;   // per-cycle counter increment
constexpr int64_t kNumCounters = 27;
// Descriptor bus widths (af_ctrl.v localparams; the generator only connects these buses).
constexpr int64_t kStepW = 330, kTileW = 163, kDmaW = 784;

}  // namespace

// ------------------------------------------------------------------------------------ 1. leaves
std::vector<Leaf> declare_leaves(VerilogFile& f) {
  std::vector<Leaf> leaves;
  {
    LeafDecl d(f, leaves, "af_ctrl");
    d.param("ROWS", 2); d.param("COLS", 2); d.param("ROW_DIM", 3); d.param("COL_DIM", 2);
    d.param("NOC_W", 1); d.param("DRAM_B", 8);
    X step = d.param("STEP_W", kStepW), tile = d.param("TILE_W", kTileW), dma = d.param("DMA_W", kDmaW);
    d.in("clk"); d.in("rst");
    d.in("cfg_wr"); d.in("cfg_addr", 8); d.in("cfg_wdata", 32); d.out("cfg_rdata", 32);
    d.out("busy"); d.out("done");
    d.out("cnt_clear"); d.out("cnt_sel", 8); d.in("cnt_data", 64); d.out("inc_cause", 6 * kInc);
    for (const char* s : {"mac_start", "dw_start", "di_start", "do_start", "coll_start"}) d.out(s);
    d.out("desc_mac", step); d.out("desc_dist", step); d.out("desc_coll", step);
    d.out("tile", tile); d.out("o_ilock"); d.out("o_fwd");
    for (const char* s : {"mac_fin", "mac_busy", "dw_fin", "dw_busy", "di_fin", "di_busy", "do_fin",
                          "do_busy", "coll_fin"})
      d.in(s);
    d.out("dma_start"); d.out("dma_desc", dma); d.in("dma_fin");
  }
  {
    LeafDecl d(f, leaves, "af_counters");
    X n = d.param("NCNT", kNumCounters);
    d.in("clk"); d.in("rst"); d.in("clear");
    d.in("inc", n * kInc); d.in("rd_sel", 8); d.out("rd_data", 64);
  }
  {
    LeafDecl d(f, leaves, "af_dma");
    X b = d.param("DRAM_B", 8);
    X dma = d.param("DMA_W", kDmaW);
    d.in("clk"); d.in("rst"); d.in("start"); d.in("desc", dma); d.out("busy"); d.out("fin");
    d.out("mem_rd_req_valid"); d.in("mem_rd_req_ready"); d.out("mem_rd_req_addr", 32);
    d.out("mem_rd_req_bytes", 32); d.in("mem_rd_valid"); d.out("mem_rd_ready");
    d.in("mem_rd_data", b * 8);
    d.out("mem_wr_valid"); d.in("mem_wr_ready"); d.out("mem_wr_addr", 32); d.out("mem_wr_bytes", 16);
    d.out("mem_wr_data", b * 8);
    d.out("l2w_en"); d.out("l2i_en"); d.out("l2o_en"); d.out("l2_wr_half");
    d.out("l2_wr_off", kL2a); d.out("l2_wr_n", 16); d.out("l2_wr_data", b * 8);
    d.out("l2o_rd_half"); d.out("l2o_rd_off", kL2a); d.in("l2o_rd_data", b * 8);
    d.out("inc_w", kInc); d.out("inc_i", kInc); d.out("inc_or", kInc); d.out("inc_ou", kInc);
  }
  {
    LeafDecl d(f, leaves, "af_l2_bank");
    d.param("BYTES", 4096);
    X b = d.param("DRAM_B", 8), n = d.param("NOC_W", 1), wb = d.param("WB", 1);
    d.in("clk"); d.in("rst");
    d.in("dw_en"); d.in("dw_half"); d.in("dw_off", kL2a); d.in("dw_n", 16); d.in("dw_data", b * 8);
    d.in("dr_half"); d.in("dr_off", kL2a); d.out("dr_data", b * 8);
    d.in("nr_en", n); d.in("nr_half"); d.in("nr_addr", n * kL2a); d.out("nr_data", n * wb * 8);
    d.in("nw_en", n); d.in("nw_half"); d.in("nw_addr", n * kL2a); d.in("nw_data", n * wb * 8);
  }
  {
    LeafDecl d(f, leaves, "af_dist");
    X tensor = d.param("TENSOR", 0);
    X rows = d.param("ROWS", 2), cols = d.param("COLS", 2);
    d.param("ROW_DIM", 3); d.param("COL_DIM", 2);
    X n = d.param("NOC_W", 1), step = d.param("STEP_W", kStepW), tile = d.param("TILE_W", kTileW);
    // DB = (TENSOR == 2) ? 32 : 8, data bits per word (a localparam of af_dist.v).
    X db{&f, f.ternary(f.eq(tensor.e, f.integer(2)), f.integer(32), f.integer(8))};
    d.in("clk"); d.in("rst"); d.in("start"); d.in("desc", step); d.in("tile", tile);
    d.in("o_ilock"); d.in("o_fwd");
    // Collection progress (af_coll nx_*), for the psum-fill / collection interlock.
    d.in("c_act"); d.in("c_gr", 8); d.in("c_gc", 8); d.in("c_addr", kL1a); d.in("c_ngr", 8);
    d.in("c_ngc", 8);
    d.in("fwd_data", n * 32);
    d.out("nr_en", n); d.out("nr_half"); d.out("nr_addr", n * kL2a); d.in("nr_data", n * db);
    d.out("b_valid", n); d.out("b_half"); d.out("b_addr", n * kL1a); d.out("b_data", n * db);
    d.out("b_rowm", n * rows); d.out("b_colm", n * cols);
    d.out("busy"); d.out("fin"); d.out("inc_l2", kInc); d.out("inc_l1", kInc);
  }
  {
    LeafDecl d(f, leaves, "af_coll");
    X rows = d.param("ROWS", 2), cols = d.param("COLS", 2);
    d.param("ROW_DIM", 3); d.param("COL_DIM", 2);
    X n = d.param("NOC_W", 1), step = d.param("STEP_W", kStepW), tile = d.param("TILE_W", kTileW);
    d.in("clk"); d.in("rst"); d.in("start"); d.in("desc", step); d.in("tile", tile);
    d.out("cr_valid", n); d.out("cr_half"); d.out("cr_addr", n * kL1a);
    d.out("cr_rowm", n * rows); d.out("cr_colm", n * cols); d.in("sum_q", n * 32);
    d.out("nw_en", n); d.out("nw_half"); d.out("nw_addr", n * kL2a); d.out("nw_data", n * 32);
    d.out("busy"); d.out("fin");
    d.out("nx_act"); d.out("nx_gr", 8); d.out("nx_gc", 8); d.out("nx_addr", kL1a);
    d.out("n_gr_o", 8); d.out("n_gc_o", 8);
    d.out("inc_l2", kInc); d.out("inc_l1", kInc);
  }
  {
    LeafDecl d(f, leaves, "af_mac_seq");
    X rows = d.param("ROWS", 2), cols = d.param("COLS", 2);
    d.param("ROW_DIM", 3); d.param("COL_DIM", 2);
    X step = d.param("STEP_W", kStepW), tile = d.param("TILE_W", kTileW);
    d.in("clk"); d.in("rst"); d.in("start"); d.in("desc", step); d.in("tile", tile);
    d.out("busy"); d.out("fin"); d.out("row_act", rows); d.out("col_act", cols);
    d.out("hw"); d.out("hi"); d.out("ho"); d.out("wa", kL1a); d.out("ia", kL1a); d.out("oa", kL1a);
    d.out("inc_macs", kInc);
  }
  {
    LeafDecl d(f, leaves, "af_pe_array", {"af_pe"});
    X rows = d.param("ROWS", 2), cols = d.param("COLS", 2), n = d.param("NOC_W", 1);
    d.param("L1_W_BYTES", 64); d.param("L1_I_BYTES", 64); d.param("L1_O_BYTES", 128);
    d.in("clk"); d.in("rst");
    d.in("mac_row_act", rows); d.in("mac_col_act", cols);
    d.in("mac_hw"); d.in("mac_hi"); d.in("mac_ho");
    d.in("mac_wa", kL1a); d.in("mac_ia", kL1a); d.in("mac_oa", kL1a);
    for (const char* bus : {"wb", "ib", "ob"}) {
      const std::string b = bus;
      d.in(b + "_valid", n); d.in(b + "_half"); d.in(b + "_addr", n * kL1a);
      d.in(b + "_data", n * (b == "ob" ? 32 : 8));
      d.in(b + "_rowm", n * rows); d.in(b + "_colm", n * cols);
    }
    d.in("cr_valid", n); d.in("cr_half"); d.in("cr_addr", n * kL1a);
    d.in("cr_rowm", n * rows); d.in("cr_colm", n * cols); d.out("sum_q", n * 32);
  }
  {
    LeafDecl d(f, leaves, "af_pe");
    X n = d.param("NOC_W", 1);
    d.param("L1_W_BYTES", 64); d.param("L1_I_BYTES", 64); d.param("L1_O_BYTES", 128);
    d.in("clk"); d.in("rst");
    d.in("mac_en"); d.in("mac_hw"); d.in("mac_hi"); d.in("mac_ho");
    d.in("mac_wa", kL1a); d.in("mac_ia", kL1a); d.in("mac_oa", kL1a);
    for (const char* bus : {"wb", "ib", "ob"}) {
      const std::string b = bus;
      d.in(b + "_en", n); d.in(b + "_half"); d.in(b + "_addr", n * kL1a);
      d.in(b + "_data", n * (b == "ob" ? 32 : 8));
    }
    d.in("cr_en", n); d.in("cr_half"); d.in("cr_addr", n * kL1a); d.out("cr_data", n * 32);
  }
  return leaves;
}

// ---------------------------------------------------------------------------- 2. top parameters
std::vector<TopParam> top_params(const HwConfig& hw) {
  return {
      {"ROWS", hw.rows, "rows", "PE array rows"},
      {"COLS", hw.cols, "cols", "PE array columns"},
      {"ROW_DIM", idx(hw.row_dim), "row_dim", "dimension spread over rows (N=0 G K C Y X R S=7)"},
      {"COL_DIM", idx(hw.col_dim), "col_dim", "dimension spread over columns"},
      {"NOC_W", hw.noc_words_per_cycle, "noc_words_per_cycle", "words per cycle of every bus"},
      {"DRAM_B", hw.dram_bytes_per_cycle, "dram_bytes_per_cycle", "bytes per memory beat"},
      {"L1_W_BYTES", hw.l1_bytes[idx(Tensor::W)], "l1_bytes.W", "per-PE L1 weights, both halves"},
      {"L1_I_BYTES", hw.l1_bytes[idx(Tensor::I)], "l1_bytes.I", "per-PE L1 inputs, both halves"},
      {"L1_O_BYTES", hw.l1_bytes[idx(Tensor::O)], "l1_bytes.O", "per-PE L1 psums, both halves"},
      {"L2_W_BYTES", hw.l2_bytes[idx(Tensor::W)], "l2_bytes.W", "L2 weights, both halves"},
      {"L2_I_BYTES", hw.l2_bytes[idx(Tensor::I)], "l2_bytes.I", "L2 inputs, both halves"},
      {"L2_O_BYTES", hw.l2_bytes[idx(Tensor::O)], "l2_bytes.O", "L2 psums, both halves"},
  };
}

// ------------------------------------------------------------------------------------ 3. netlist
namespace {

// Builds the top: instances first (every output port gets a net `<prefix>_<port>` unless routed
// to a top port), then the inputs, then the nets are declared ahead of the instances.
class TopBuilder {
 public:
  TopBuilder(VerilogFile& f, const std::vector<Leaf>& leaves, Module* top)
      : f_(f), top_(top) {
    for (const Leaf& l : leaves) leaves_[l.module] = l.decl;
  }

  void param(const std::string& name, int64_t value, const std::string& comment) {
    params_[name] = top_->add_parameter(name, f_.integer(value), comment);
  }
  void localparam(const std::string& name, int64_t value, const std::string& comment) {
    params_[name] = top_->add_localparam(name, f_.integer(value), comment, &head_);
  }
  Expr* p(const std::string& name) { return f_.ref(params_.at(name)); }

  vast::Port* in_port(const std::string& name, DataType t) { return ports_[name] = top_->add_input(name, t); }
  vast::Port* out_port(const std::string& name, DataType t) { return ports_[name] = top_->add_output(name, t); }

  // An instance. Parameters the leaf shares with the top (same name) are passed through;
  // `extra` sets the others. Outputs listed in `to_top` drive the top port of the same name.
  vast::Instance* instance(const std::string& module, const std::string& name,
                           const std::string& prefix, std::vector<std::pair<std::string, Expr*>> extra,
                           std::set<std::string> to_top = {}) {
    const Module* leaf = leaves_.at(module);
    vast::Instance* inst = top_->add_instance(leaf, name, &instances_);
    std::vector<std::pair<const vast::Decl*, Expr*>> bindings;
    for (const vast::ParamDecl* lp : leaf->parameters()) {
      Expr* value = nullptr;
      for (const auto& [k, v] : extra)
        if (k == lp->name()) value = v;
      if (value == nullptr && params_.count(lp->name())) value = p(lp->name());
      if (value != nullptr) inst->params().push_back({lp->name(), value});
      bindings.emplace_back(lp, value ? value : lp->value());
    }
    for (const vast::Port* port : leaf->ports()) {
      if (port->direction() != vast::Direction::kOutput) continue;
      if (to_top.count(port->name())) {
        connect(inst, port->name(), f_.ref(ports_.at(port->name())));
        continue;
      }
      DataType t = port->type();
      if (t.width) t.width = vast::fold(f_, f_.rebind(t.width, bindings));
      const std::string net = prefix + "_" + port->name();
      nets_[net] = {top_->add_wire(net, t, "", &wires_), false};
      connect(inst, port->name(), f_.ref(nets_[net].decl));
    }
    return inst;
  }

  // A net by name; marks it used. An unknown name is a mistake in this file: finish() reports it.
  Expr* net(const std::string& name) {
    auto it = nets_.find(name);
    if (it == nets_.end()) {
      errors_ += " unknown net " + name + ";";
      return f_.literal(1, 0);
    }
    it->second.used = true;
    return f_.ref(it->second.decl);
  }
  Expr* port(const std::string& name) { return f_.ref(ports_.at(name)); }
  // An output the top does not use (status only); it is renamed so lint knows it is intended.
  void unused(const std::string& name) {
    auto it = nets_.find(name);
    if (it == nets_.end()) {
      errors_ += " unknown net " + name + ";";
      return;
    }
    it->second.used = true;
    it->second.decl->set_name("unused_" + name);
  }

  void connect(vast::Instance* inst, const std::string& port, Expr* e) {
    inst->ports().push_back({port, e});
  }
  // Inputs of `inst` from a list of (port, expression).
  void inputs(vast::Instance* inst, std::vector<std::pair<std::string, Expr*>> list) {
    for (auto& [port, e] : list) connect(inst, port, e);
  }

  Expr* zero(int64_t width) {
    return f_.literal(width, 0, false, width == 1 ? vast::Radix::kBinary : vast::Radix::kDecimal);
  }
  Expr* zeros(Expr* width) { return f_.replicate(width, zero(1)); }

  // Nets never read are wiring mistakes, except those declared unused.
  Status finish() {
    if (!errors_.empty()) return Status::Error("compose:" + errors_);
    std::string missing;
    for (auto& [name, n] : nets_)
      if (!n.used) missing += " " + name;
    if (!missing.empty()) return Status::Error("compose: outputs driving nothing:" + missing);
    // Connections in the leaf's port order, as written in the leaf.
    for (vast::Item* item : instances_) {
      auto* inst = static_cast<vast::Instance*>(item);
      std::vector<vast::Connection> ordered;
      for (const vast::Port* lp : inst->module()->ports())
        for (const vast::Connection& c : inst->ports())
          if (c.name == lp->name()) ordered.push_back(c);
      for (const vast::Connection& c : inst->ports())
        if (inst->module()->find_port(c.name) == nullptr) ordered.push_back(c);  // legalize reports it
      inst->ports() = ordered;
    }
    auto& body = top_->body();
    body.insert(body.end(), head_.begin(), head_.end());
    if (!wires_.empty()) {
      body.push_back(f_.make<vast::CommentItem>(""));
      body.push_back(f_.make<vast::CommentItem>("Nets: <driver>_<port>."));
      body.insert(body.end(), wires_.begin(), wires_.end());
    }
    for (vast::Item* item : instances_) {
      body.push_back(f_.make<vast::CommentItem>(""));
      body.push_back(item);
    }
    return Status();
  }

 private:
  struct Net {
    vast::NetDecl* decl = nullptr;
    bool used = false;
  };
  VerilogFile& f_;
  Module* top_;
  std::map<std::string, const Module*> leaves_;
  std::map<std::string, vast::ParamDecl*> params_;
  std::map<std::string, vast::Port*> ports_;
  std::map<std::string, Net> nets_;
  std::vector<vast::Item*> head_, wires_, instances_;
  std::string errors_;
};

// The counter numbering of INTERFACES.md section 5: counter k adds the increment net listed at k.
// k 0..5 are af_ctrl's per-cause cycles (one 6x24-bit net).
const std::vector<std::pair<const char*, const char*>>& counter_sources() {
  static const std::vector<std::pair<const char*, const char*>> kSources = {
      {"mac_inc_macs", "6 MACs"},
      {"dma_inc_w", "7 DRAM W reads"},
      {"dma_inc_i", "8 DRAM I reads"},
      {"dma_inc_or", "9 DRAM O reads (psum loads)"},
      {"dma_inc_ou", "10 DRAM O updates (stores)"},
      {"dma_inc_w", "11 L2 W fills"},
      {"dw_inc_l2", "12 L2 W reads"},
      {"dma_inc_i", "13 L2 I fills"},
      {"di_inc_l2", "14 L2 I reads"},
      {"dma_inc_or", "15 L2 O fills"},
      {"do_inc_l2", "16 L2 O reads (psum fills to PEs)"},
      {"coll_inc_l2", "17 L2 O updates"},
      {"dma_inc_ou", "18 L2 O drains"},
      {"dw_inc_l1", "19 L1 W fills"},
      {"mac_inc_macs", "20 L1 W reads"},
      {"di_inc_l1", "21 L1 I fills"},
      {"mac_inc_macs", "22 L1 I reads"},
      {"do_inc_l1", "23 L1 O fills"},
      {"mac_inc_macs", "24 L1 O reads"},
      {"mac_inc_macs", "25 L1 O updates"},
      {"coll_inc_l1", "26 L1 O drains"},
  };
  return kSources;
}

}  // namespace

Expected<vast::Module*> compose_top(VerilogFile& f, const std::vector<Leaf>& leaves, const HwConfig& hw) {
  Module* top = f.add_module(kTopModule);
  top->set_comment(
      "af_top: the AccelForge accelerator (docs/template.md), equivalent to\n"
      "rtl-templates/reference_top.v with the parameters below set from the HwConfig.");
  TopBuilder t(f, leaves, top);

  // Parameters (INTERFACES.md section 2), then the descriptor widths fixed by af_ctrl.v.
  for (const TopParam& p : top_params(hw)) t.param(p.name, p.value, "hw." + p.source);
  t.localparam("STEP_W", kStepW, "STEP descriptor bits (af_ctrl.v)");
  t.localparam("TILE_W", kTileW, "TILE descriptor bits (af_ctrl.v)");
  t.localparam("DMA_W", kDmaW, "DMA descriptor bits (af_ctrl.v)");
  t.localparam("NCNT", kNumCounters, "counters (INTERFACES.md section 5)");

  // Ports (section 3).
  X dram{&f, t.p("DRAM_B")};
  t.in_port("clk", f.scalar());
  t.in_port("rst", f.scalar());
  t.in_port("cfg_wr", f.scalar());
  t.in_port("cfg_addr", f.bits(8));
  t.in_port("cfg_wdata", f.bits(32));
  t.out_port("cfg_rdata", f.bits(32));
  t.out_port("busy", f.scalar());
  t.out_port("done", f.scalar());
  t.out_port("mem_rd_req_valid", f.scalar());
  t.in_port("mem_rd_req_ready", f.scalar());
  t.out_port("mem_rd_req_addr", f.bits(32));
  t.out_port("mem_rd_req_bytes", f.bits(32));
  t.in_port("mem_rd_valid", f.scalar());
  t.out_port("mem_rd_ready", f.scalar());
  t.in_port("mem_rd_data", f.bits((dram * 8).e));
  t.out_port("mem_wr_valid", f.scalar());
  t.in_port("mem_wr_ready", f.scalar());
  t.out_port("mem_wr_addr", f.bits(32));
  t.out_port("mem_wr_bytes", f.bits(16));
  t.out_port("mem_wr_data", f.bits((dram * 8).e));

  // Instances (section 8), outputs become nets <prefix>_<port>.
  auto* ctrl = t.instance("af_ctrl", "u_ctrl", "ctrl", {}, {"cfg_rdata", "busy", "done"});
  auto* cnt = t.instance("af_counters", "u_cnt", "cnt", {});
  auto* dma = t.instance("af_dma", "u_dma", "dma", {},
                         {"mem_rd_req_valid", "mem_rd_req_addr", "mem_rd_req_bytes", "mem_rd_ready",
                          "mem_wr_valid", "mem_wr_addr", "mem_wr_bytes", "mem_wr_data"});
  const char* l2_names[] = {"u_l2w", "u_l2i", "u_l2o"};
  const char* l2_prefix[] = {"l2w", "l2i", "l2o"};
  const char* l2_bytes[] = {"L2_W_BYTES", "L2_I_BYTES", "L2_O_BYTES"};
  const char* dist_names[] = {"u_dw", "u_di", "u_do"};
  const char* dist_prefix[] = {"dw", "di", "do"};
  vast::Instance* l2[3];
  vast::Instance* dist[3];
  for (Tensor tn : kAllTensors) {
    const int i = idx(tn);
    l2[i] = t.instance("af_l2_bank", l2_names[i], l2_prefix[i],
                       {{"BYTES", t.p(l2_bytes[i])}, {"WB", f.integer(word_bytes(tn))}});
  }
  for (Tensor tn : kAllTensors) {
    const int i = idx(tn);
    dist[i] = t.instance("af_dist", dist_names[i], dist_prefix[i], {{"TENSOR", f.integer(i)}});
  }
  auto* coll = t.instance("af_coll", "u_coll", "coll", {});
  auto* mac = t.instance("af_mac_seq", "u_mac", "mac", {});
  auto* pes = t.instance("af_pe_array", "u_pes", "pes", {});

  // Status outputs nobody reads, and L2 read ports of tensors that are never stored back.
  t.unused("coll_busy");
  t.unused("dma_busy");
  t.unused("l2w_dr_data");
  t.unused("l2i_dr_data");

  const std::vector<std::pair<std::string, Expr*>> clock = {{"clk", t.port("clk")}, {"rst", t.port("rst")}};
  t.inputs(ctrl, clock);
  t.inputs(ctrl, {{"cfg_wr", t.port("cfg_wr")},
                  {"cfg_addr", t.port("cfg_addr")},
                  {"cfg_wdata", t.port("cfg_wdata")},
                  {"cnt_data", t.net("cnt_rd_data")},
                  {"mac_fin", t.net("mac_fin")},
                  {"mac_busy", t.net("mac_busy")},
                  {"dw_fin", t.net("dw_fin")},
                  {"dw_busy", t.net("dw_busy")},
                  {"di_fin", t.net("di_fin")},
                  {"di_busy", t.net("di_busy")},
                  {"do_fin", t.net("do_fin")},
                  {"do_busy", t.net("do_busy")},
                  {"coll_fin", t.net("coll_fin")},
                  {"dma_fin", t.net("dma_fin")}});

  // Counter k's increment at bits [24k +: 24]: the concatenation lists k = NCNT-1 first.
  std::vector<Expr*> inc;
  std::vector<std::string> inc_comments;
  const auto& sources = counter_sources();
  for (auto it = sources.rbegin(); it != sources.rend(); ++it) {
    inc.push_back(t.net(it->first));
    inc_comments.push_back(it->second);
  }
  inc.push_back(t.net("ctrl_inc_cause"));
  inc_comments.push_back("0-5 cycles, compute, input_wait, output_wait, dram_stall, fill_drain");
  t.inputs(cnt, clock);
  t.inputs(cnt, {{"clear", t.net("ctrl_cnt_clear")},
                 {"inc", f.concat(inc, inc_comments)},
                 {"rd_sel", t.net("ctrl_cnt_sel")}});

  t.inputs(dma, clock);
  t.inputs(dma, {{"start", t.net("ctrl_dma_start")},
                 {"desc", t.net("ctrl_dma_desc")},
                 {"mem_rd_req_ready", t.port("mem_rd_req_ready")},
                 {"mem_rd_valid", t.port("mem_rd_valid")},
                 {"mem_rd_data", t.port("mem_rd_data")},
                 {"mem_wr_ready", t.port("mem_wr_ready")},
                 {"l2o_rd_data", t.net("l2o_dr_data")}});

  for (Tensor tn : kAllTensors) {
    const int i = idx(tn);
    const std::string d = dist_prefix[i];
    const bool is_o = tn == Tensor::O;
    t.inputs(l2[i], clock);
    t.inputs(l2[i], {{"dw_en", t.net(std::string("dma_") + l2_prefix[i] + "_en")},
                     {"dw_half", t.net("dma_l2_wr_half")},
                     {"dw_off", t.net("dma_l2_wr_off")},
                     {"dw_n", t.net("dma_l2_wr_n")},
                     {"dw_data", t.net("dma_l2_wr_data")},
                     {"dr_half", is_o ? t.net("dma_l2o_rd_half") : t.zero(1)},
                     {"dr_off", is_o ? t.net("dma_l2o_rd_off") : t.zero(kL2a)},
                     {"nr_en", t.net(d + "_nr_en")},
                     {"nr_half", t.net(d + "_nr_half")},
                     {"nr_addr", t.net(d + "_nr_addr")},
                     // Only the O bank is written from the network (the collection).
                     {"nw_en", is_o ? t.net("coll_nw_en") : t.zeros(t.p("NOC_W"))},
                     {"nw_half", is_o ? t.net("coll_nw_half") : t.zero(1)},
                     {"nw_addr", is_o ? t.net("coll_nw_addr") : t.zeros(f.mul(t.p("NOC_W"), f.integer(kL2a)))},
                     {"nw_data", is_o ? t.net("coll_nw_data") : t.zeros(f.mul(t.p("NOC_W"), f.integer(8)))}});
    t.inputs(dist[i], clock);
    t.inputs(dist[i], {{"start", t.net("ctrl_" + d + "_start")},
                       {"desc", t.net("ctrl_desc_dist")},
                       {"tile", t.net("ctrl_tile")},
                       // Only the psum distribution is interlocked with / forwards the
                       // collection (it follows the collection's progress).
                       {"o_ilock", is_o ? t.net("ctrl_o_ilock") : t.zero(1)},
                       {"o_fwd", is_o ? t.net("ctrl_o_fwd") : t.zero(1)},
                       {"c_act", is_o ? t.net("coll_nx_act") : t.zero(1)},
                       {"c_gr", is_o ? t.net("coll_nx_gr") : t.zero(8)},
                       {"c_gc", is_o ? t.net("coll_nx_gc") : t.zero(8)},
                       {"c_addr", is_o ? t.net("coll_nx_addr") : t.zero(kL1a)},
                       {"c_ngr", is_o ? t.net("coll_n_gr_o") : t.zero(8)},
                       {"c_ngc", is_o ? t.net("coll_n_gc_o") : t.zero(8)},
                       {"fwd_data", t.net("pes_sum_q")},
                       {"nr_data", t.net(std::string(l2_prefix[i]) + "_nr_data")}});
  }

  t.inputs(coll, clock);
  t.inputs(coll, {{"start", t.net("ctrl_coll_start")},
                  {"desc", t.net("ctrl_desc_coll")},
                  {"tile", t.net("ctrl_tile")},
                  {"sum_q", t.net("pes_sum_q")}});

  t.inputs(mac, clock);
  t.inputs(mac, {{"start", t.net("ctrl_mac_start")},
                 {"desc", t.net("ctrl_desc_mac")},
                 {"tile", t.net("ctrl_tile")}});

  t.inputs(pes, clock);
  t.inputs(pes, {{"mac_row_act", t.net("mac_row_act")},
                 {"mac_col_act", t.net("mac_col_act")},
                 {"mac_hw", t.net("mac_hw")},
                 {"mac_hi", t.net("mac_hi")},
                 {"mac_ho", t.net("mac_ho")},
                 {"mac_wa", t.net("mac_wa")},
                 {"mac_ia", t.net("mac_ia")},
                 {"mac_oa", t.net("mac_oa")}});
  const char* pe_bus[] = {"wb", "ib", "ob"};
  for (Tensor tn : kAllTensors) {
    const std::string b = pe_bus[idx(tn)], d = dist_prefix[idx(tn)];
    for (const char* s : {"valid", "half", "addr", "data", "rowm", "colm"})
      t.connect(pes, b + "_" + s, t.net(d + "_b_" + s));
  }
  for (const char* s : {"valid", "half", "addr", "rowm", "colm"})
    t.connect(pes, std::string("cr_") + s, t.net(std::string("coll_cr_") + s));

  if (Status s = t.finish(); !s.ok()) return s;
  return top;
}

}  // namespace af::hw
