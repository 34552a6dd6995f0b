// The generator against the real RTL, through Yosys (skipped with a message when Yosys is absent):
//  - LeafCatalogue: every leaf declared in hw/compose.cc has exactly the ports of its file in
//    rtl-templates/ (names, directions, widths evaluated at two parameter sets), and the same
//    parameter names;
//  - MatchesReferenceTop: the emitted af_top is the netlist of rtl-templates/reference_top.v
//    (same instances of the same leaves with the same parameter values, and the same pins
//    joined by each net, constants included), for the tiny preset and a 2x3 design.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "core/hw_config.h"
#include "hw/compose.h"
#include "hw/design.h"
#include "hw/vast_eval.h"

namespace af::hw {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string kTemplates = default_templates_dir();  // $AF_RTL_TEMPLATES or the source tree

bool have_yosys() { return std::system("yosys -V > /dev/null 2>&1") == 0; }

// A scratch directory removed at the end of the test.
struct TempDir {
  std::string path;
  TempDir() {
    char tmpl[] = "/tmp/af-hw-test-XXXXXX";
    path = ::mkdtemp(tmpl);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

bool run_yosys(const std::string& script_path, const std::string& log) {
  return std::system(("yosys -q -l " + log + " -s " + script_path + " > /dev/null 2>&1").c_str()) == 0;
}

std::string tail_of(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  return s.size() > 4000 ? s.substr(s.size() - 4000) : s;
}

json load_json(const std::string& path) {
  std::ifstream in(path);
  return json::parse(in);
}

const json& top_module(const json& design) {
  for (const auto& [name, m] : design["modules"].items())
    if (m.contains("attributes") && m["attributes"].contains("top")) return m;
  static const json kNone;
  return kNone;
}

TEST(HwStructure, LeafCatalogueMatchesTheLeafFiles) {
  if (!have_yosys()) GTEST_SKIP() << "yosys not found: install it (Debian: apt-get install yosys)";
  vast::VerilogFile f;
  std::vector<Leaf> leaves = declare_leaves(f);
  TempDir tmp;
  // Two parameter sets per leaf: the defaults, and every parameter set to a different value that
  // still elaborates (so widths that depend on a parameter are seen to depend on it).
  auto changed = [](const std::string& name, int64_t def) -> int64_t {
    if (name == "TENSOR") return 2;
    if (name == "ROW_DIM") return 5;
    if (name == "COL_DIM") return 6;
    if (name == "WB") return 4;
    return def + 3;
  };
  std::string script;
  std::vector<std::tuple<const Leaf*, vast::Env, std::string>> checks;
  int n = 0;
  for (const Leaf& leaf : leaves) {
    for (int variant = 0; variant < 2; ++variant) {
      vast::Env env;
      std::string chparam;
      for (const vast::ParamDecl* p : leaf.decl->parameters()) {
        int64_t def = *vast::eval(p->value(), vast::Env());
        int64_t v = variant == 0 ? def : changed(p->name(), def);
        env.set(p, v);
        chparam += " -set " + p->name() + " " + std::to_string(v);
      }
      std::string files = kTemplates + "/" + leaf.file;
      for (const std::string& sub : leaf.submodules) files += " " + kTemplates + "/" + sub + ".v";
      const std::string out = tmp.path + "/leaf" + std::to_string(n++) + ".json";
      // (`hierarchy -chparam` on a deferred top with submodules trips an assertion in Yosys 0.23;
      // chparam -set on the elaborated module does not.)
      script += "design -reset\nread_verilog " + files + "\nchparam" + chparam + " " + leaf.module +
                "\nhierarchy -top " + leaf.module + "\ndelete p:* c:*\nopt_clean -purge\nwrite_json " +
                out + "\n";
      checks.emplace_back(&leaf, env, out);
    }
  }
  {
    std::ofstream s(tmp.path + "/leaves.ys");
    s << script;
  }
  ASSERT_TRUE(run_yosys(tmp.path + "/leaves.ys", tmp.path + "/yosys.log")) << tail_of(tmp.path + "/yosys.log");

  for (const auto& [leaf, env, path] : checks) {
    SCOPED_TRACE(leaf->module + " (" + path + ")");
    const json design = load_json(path);
    const json& m = top_module(design);
    ASSERT_FALSE(m.is_null());
    std::map<std::string, std::pair<std::string, int64_t>> real, declared;
    for (const auto& [name, p] : m["ports"].items())
      real[name] = {p["direction"].get<std::string>(), static_cast<int64_t>(p["bits"].size())};
    for (const vast::Port* p : leaf->decl->ports()) {
      auto w = vast::TypeChecker::width_of(p->type(), env);
      ASSERT_TRUE(w.has_value()) << p->name();
      declared[p->name()] = {p->direction() == vast::Direction::kInput ? "input" : "output", *w};
    }
    for (const auto& [name, d] : real) {
      auto it = declared.find(name);
      EXPECT_TRUE(it != declared.end()) << "port " << name << " (" << d.first << ", " << d.second
                                        << " bits) of rtl-templates/" << leaf->file
                                        << " is missing from hw/compose.cc";
      if (it != declared.end()) {
        EXPECT_EQ(it->second, d) << "port " << name << ": hw/compose.cc (direction, width) differs from "
                                 << leaf->file;
      }
    }
    for (const auto& [name, d] : declared)
      EXPECT_TRUE(real.count(name)) << "port " << name << " declared in hw/compose.cc is not in " << leaf->file;
  }
  // Parameter names: every parameter of the leaf file is declared (the generator passes some).
  for (const Leaf& leaf : leaves) {
    std::ifstream in(kTemplates + "/" + leaf.file);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    const size_t start = text.find("module " + leaf.module);
    ASSERT_NE(start, std::string::npos) << leaf.file << " does not define " << leaf.module;
    const std::string header = text.substr(start, text.find(");", start) - start);
    std::set<std::string> real;
    for (size_t pos = 0; (pos = header.find("parameter ", pos)) != std::string::npos; ++pos) {
      std::istringstream words(header.substr(pos + 10));
      std::string name;
      words >> name;
      if (name == "integer") words >> name;
      real.insert(name);
    }
    std::set<std::string> declared;
    for (const vast::ParamDecl* p : leaf.decl->parameters()) declared.insert(p->name());
    EXPECT_EQ(declared, real) << leaf.module << ": parameters of hw/compose.cc vs " << leaf.file;
  }
}

// Canonical connectivity of a module in Yosys JSON: for every pin (cell.port[i] or top port[i]),
// the smallest pin on the same net (or "const:<v>"), so two netlists that differ only in net
// names compare equal. Also every cell's type and parameter values.
struct Netlist {
  std::map<std::string, std::string> pin_to_net;
  std::map<std::string, std::string> cells;  // name -> type + parameters
};

Netlist canonical(const json& m) {
  std::map<std::string, std::vector<std::string>> net_pins;  // bit id -> pins
  Netlist out;
  auto add = [&](const std::string& pin, const json& bit) {
    if (bit.is_string()) out.pin_to_net[pin] = "const:" + bit.get<std::string>();
    else net_pins[std::to_string(bit.get<int64_t>())].push_back(pin);
  };
  for (const auto& [name, p] : m["ports"].items())
    for (size_t i = 0; i < p["bits"].size(); ++i) add("port:" + name + "[" + std::to_string(i) + "]", p["bits"][i]);
  for (const auto& [name, c] : m["cells"].items()) {
    std::string desc = c["type"].get<std::string>();
    std::map<std::string, std::string> params;
    for (const auto& [k, v] : c["parameters"].items()) {
      // Values are binary strings (sized) or integers: compare numerically.
      std::string s = v.is_string() ? v.get<std::string>() : std::to_string(v.get<int64_t>());
      if (v.is_string() && s.find_first_not_of("01") == std::string::npos)
        s = std::to_string(std::stoll(s, nullptr, 2));
      params[k] = s;
    }
    for (const auto& [k, v] : params) desc += " " + k + "=" + v;
    out.cells[name] = desc;
    for (const auto& [port, bits] : c["connections"].items())
      for (size_t i = 0; i < bits.size(); ++i) add(name + "." + port + "[" + std::to_string(i) + "]", bits[i]);
  }
  for (auto& [bit, pins] : net_pins) {
    std::sort(pins.begin(), pins.end());
    for (const std::string& pin : pins) out.pin_to_net[pin] = pins.front();
  }
  return out;
}

void expect_matches_reference(const HwConfig& hw) {
  Expected<Design> d = generate(hw, kTemplates);
  ASSERT_TRUE(d.ok()) << d.status().message();
  TempDir tmp;
  ASSERT_TRUE(write_design(*d, tmp.path + "/design").ok());
  std::string leaves;
  for (const std::string& f : d->verilog)
    if (f != d->top + ".v") leaves += " " + kTemplates + "/" + f;
  std::string chparam;
  for (const TopParam& p : d->params) chparam += " -chparam " + p.name + " " + std::to_string(p.value);
  std::ofstream s(tmp.path + "/cmp.ys");
  s << "read_verilog -lib" << leaves << "\nread_verilog -defer " << kTemplates << "/reference_top.v\n"
    << "hierarchy -top af_top" << chparam << "\nselect A:top\nwrite_json " << tmp.path << "/ref.json\n"
    << "design -reset\nread_verilog -lib" << leaves << "\nread_verilog " << tmp.path << "/design/af_top.v\n"
    << "hierarchy -top af_top\nselect A:top\nwrite_json " << tmp.path << "/gen.json\n";
  s.close();
  ASSERT_TRUE(run_yosys(tmp.path + "/cmp.ys", tmp.path + "/yosys.log")) << tail_of(tmp.path + "/yosys.log");
  const json ref_json = load_json(tmp.path + "/ref.json"), gen_json = load_json(tmp.path + "/gen.json");
  Netlist ref = canonical(top_module(ref_json));
  Netlist gen = canonical(top_module(gen_json));
  EXPECT_EQ(gen.cells, ref.cells) << "instances or their parameters differ from reference_top.v";
  int shown = 0;
  for (const auto& [pin, net] : ref.pin_to_net) {
    auto it = gen.pin_to_net.find(pin);
    if (it == gen.pin_to_net.end()) {
      if (shown++ < 20) ADD_FAILURE() << "pin " << pin << " missing from the emitted top";
    } else if (it->second != net) {
      if (shown++ < 20)
        ADD_FAILURE() << "pin " << pin << ": reference joins it with " << net << ", emitted top with "
                      << it->second;
    }
  }
  for (const auto& [pin, net] : gen.pin_to_net)
    if (!ref.pin_to_net.count(pin) && shown++ < 20) ADD_FAILURE() << "pin " << pin << " not in reference_top.v";
  EXPECT_EQ(shown, 0) << "pins that differ (first 20 shown)";
}

TEST(HwStructure, MatchesReferenceTopTiny) {
  if (!have_yosys()) GTEST_SKIP() << "yosys not found: install it (Debian: apt-get install yosys)";
  expect_matches_reference(*hw_preset("tiny"));
}

TEST(HwStructure, MatchesReferenceTop2x3) {
  if (!have_yosys()) GTEST_SKIP() << "yosys not found: install it (Debian: apt-get install yosys)";
  HwConfig hw = *hw_preset("tiny");
  hw.name = "r2c3";
  hw.rows = 2;
  hw.cols = 3;
  hw.row_dim = Dim::Y;
  hw.col_dim = Dim::X;
  hw.noc_words_per_cycle = 3;
  hw.dram_bytes_per_cycle = 16;
  expect_matches_reference(hw);
}

}  // namespace
}  // namespace af::hw
