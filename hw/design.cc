// HwConfig -> design directory (see design.h). The top's structure lives in compose.cc; this file
// runs the pipeline (compose -> legalize -> print), derives the manifest and params.h from the
// legalized tree, and writes the directory atomically.
#include "hw/design.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "core/io.h"
#include "core/template_constants.h"
#include "hw/compose.h"
#include "hw/vast_eval.h"
#include "hw/vast_print.h"

#ifndef AF_RTL_TEMPLATES_DIR
#define AF_RTL_TEMPLATES_DIR "rtl-templates"
#endif

namespace af::hw {

namespace fs = std::filesystem;

const std::string& Design::text(const std::string& name) const {
  static const std::string kEmpty;
  for (const auto& [n, t] : files)
    if (n == name) return t;
  return kEmpty;
}

std::string default_templates_dir() {
  if (const char* d = std::getenv("AF_RTL_TEMPLATES"); d && *d) return d;
  return AF_RTL_TEMPLATES_DIR;
}

namespace {

std::string dataflow(const HwConfig& hw) {
  return std::string(1, dim_char(hw.row_dim)) + "|" + dim_char(hw.col_dim);
}

// Instances of the top, with loop trip counts multiplied in and parameter values evaluated.
Status collect_instances(const std::vector<vast::Item*>& items, const vast::Env& env,
                         int64_t multiplicity, const std::map<std::string, const Leaf*>& leaves,
                         std::vector<InstanceInfo>* out) {
  for (const vast::Item* item : items) {
    if (const auto* inst = dynamic_cast<const vast::Instance*>(item)) {
      InstanceInfo info;
      info.name = inst->name();
      info.module = inst->module()->name();
      info.count = multiplicity;
      auto callee = vast::instance_env(*inst, env);
      if (!callee) return Status::Error("instance " + info.name + ": parameters are not constant");
      for (const vast::ParamDecl* p : inst->module()->parameters()) {
        bool connected = false;
        for (const vast::Connection& c : inst->params()) connected |= c.name == p->name();
        if (connected) info.params.emplace_back(p->name(), *callee->get(p));
      }
      // The leaf's own file first, then the files of its submodules (depth first, once each).
      std::vector<std::string> stack = {info.module};
      std::set<std::string> seen;
      while (!stack.empty()) {
        std::string m = stack.back();
        stack.pop_back();
        if (!seen.insert(m).second) continue;
        auto it = leaves.find(m);
        if (it == leaves.end()) return Status::Error("instance " + info.name + ": unknown leaf " + m);
        info.files.push_back(it->second->file);
        for (auto s = it->second->submodules.rbegin(); s != it->second->submodules.rend(); ++s)
          stack.push_back(*s);
      }
      out->push_back(std::move(info));
    } else if (const auto* g = dynamic_cast<const vast::GenerateFor*>(item)) {
      auto start = vast::eval(g->start(), env), limit = vast::eval(g->limit(), env);
      if (!start || !limit) return Status::Error("generate " + g->label() + ": bounds not constant");
      vast::Env inner(&env);  // parameters of nested instances must not depend on the genvar
      Status s = collect_instances(g->body(), inner, multiplicity * std::max<int64_t>(0, *limit - *start),
                                   leaves, out);
      if (!s.ok()) return s;
    }
  }
  return Status();
}

std::string manifest_yaml(const Design& d) {
  YAML::Emitter e;
  e << YAML::BeginMap;
  e << YAML::Key << "format" << YAML::Value << "accelforge-design-1";
  e << YAML::Key << "generator" << YAML::Value << "accelforge emit";
  e << YAML::Key << "top" << YAML::Value << d.top;
  e << YAML::Key << "verilog" << YAML::Value << YAML::Flow << d.verilog;
  e << YAML::Key << "hw" << YAML::Value << "hw.yaml";
  e << YAML::Key << "hw_name" << YAML::Value << d.hw.name;
  e << YAML::Key << "params_header" << YAML::Value << "params.h";
  // The parameter values are baked into af_top.v as defaults; nothing needs overriding.
  e << YAML::Key << "top_params" << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::EndMap;
  e << YAML::Key << "memory" << YAML::Value << YAML::BeginMap;
  e << YAML::Key << "bytes_per_beat" << YAML::Value << d.hw.dram_bytes_per_cycle;
  e << YAML::Key << "latency_cycles" << YAML::Value << d.hw.dram_latency_cycles;
  e << YAML::EndMap;
  e << YAML::Key << "template_constants" << YAML::Value << YAML::BeginMap;
  e << YAML::Key << "DIST_LATENCY_CYCLES" << YAML::Value << DIST_LATENCY_CYCLES;
  e << YAML::Key << "COLLECT_LATENCY_CYCLES" << YAML::Value << COLLECT_LATENCY_CYCLES;
  e << YAML::Key << "L2_TILE_OVERHEAD_CYCLES" << YAML::Value << L2_TILE_OVERHEAD_CYCLES;
  e << YAML::EndMap;
  e << YAML::Key << "parameters" << YAML::Value << YAML::BeginMap;
  for (const TopParam& p : d.params) {
    e << YAML::Key << p.name << YAML::Value << YAML::Flow << YAML::BeginMap;
    e << YAML::Key << "value" << YAML::Value << p.value;
    e << YAML::Key << "from" << YAML::Value << p.source;
    e << YAML::EndMap;
  }
  e << YAML::EndMap;
  e << YAML::Key << "ports" << YAML::Value << YAML::BeginMap;
  for (const PortInfo& p : d.ports) {
    e << YAML::Key << p.name << YAML::Value << YAML::Flow << YAML::BeginMap;
    e << YAML::Key << "dir" << YAML::Value << (p.is_input ? "in" : "out");
    e << YAML::Key << "width" << YAML::Value << p.width;
    e << YAML::EndMap;
  }
  e << YAML::EndMap;
  e << YAML::Key << "instances" << YAML::Value << YAML::BeginSeq;
  for (const InstanceInfo& i : d.instances) {
    e << YAML::BeginMap;
    e << YAML::Key << "name" << YAML::Value << i.name;
    e << YAML::Key << "module" << YAML::Value << i.module;
    e << YAML::Key << "count" << YAML::Value << i.count;
    e << YAML::Key << "files" << YAML::Value << YAML::Flow << i.files;
    e << YAML::Key << "params" << YAML::Value << YAML::Flow << YAML::BeginMap;
    for (const auto& [k, v] : i.params) e << YAML::Key << k << YAML::Value << v;
    e << YAML::EndMap;
    e << YAML::EndMap;
  }
  e << YAML::EndSeq;
  e << YAML::EndMap;
  return "# AccelForge design manifest, written by `accelforge emit` (do not edit: regenerate).\n"
         "# Every top parameter with its HwConfig source, every top port width, every instance\n"
         "# with its parameters. Format: hw/design.h, rtl-templates/INTERFACES.md section 9.\n" +
         std::string(e.c_str()) + "\n";
}

// Text for a `//` comment (C++ and Verilog): one line, printable ASCII.
std::string comment_safe(std::string s) {
  for (char& c : s)
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) c = '?';
  return s;
}

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// The hardware name as a C++ string literal's contents: quotes, backslashes and bytes outside
// printable ASCII escaped (a name is free text in the hw YAML).
std::string cpp_escaped(const std::string& s) {
  std::string o;
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      o += '\\';
      o += static_cast<char>(c);
    } else if (c < 0x20 || c >= 0x7f) {
      char b[8];
      std::snprintf(b, sizeof b, "\\%03o", c);
      o += b;
    } else {
      o += static_cast<char>(c);
    }
  }
  return o;
}

std::string params_header(const Design& d) {
  std::ostringstream o;
  o << "// Parameters of the design emitted by `accelforge emit` for HwConfig \"" << comment_safe(d.hw.name)
    << "\" (" << d.hw.rows << "x" << d.hw.cols << ", dataflow " << dataflow(d.hw) << ").\n"
    << "// The same values as " << d.top << ".v and manifest.yaml, for C++ testbenches. Do not edit.\n"
    << "#pragma once\n#include <cstdint>\n\nnamespace af_design {\n\n"
    << "inline constexpr const char* kTop = \"" << d.top << "\";\n"
    << "inline constexpr const char* kHwName = \"" << cpp_escaped(d.hw.name) << "\";\n\n"
    << "// Top-level parameters (" << d.top << ".v).\n";
  for (const TopParam& p : d.params)
    o << "inline constexpr int64_t " << p.name << " = " << p.value << ";  // " << p.source << "\n";
  o << "\n// Port widths in bits.\n";
  for (const PortInfo& p : d.ports)
    o << "inline constexpr int64_t PORT_" << upper(p.name) << "_BITS = " << p.width << ";\n";
  o << "\n// The memory behind the port (not RTL parameters: the memory model has them).\n"
    << "inline constexpr int64_t DRAM_BYTES_PER_CYCLE = " << d.hw.dram_bytes_per_cycle << ";\n"
    << "inline constexpr int64_t DRAM_LATENCY_CYCLES = " << d.hw.dram_latency_cycles << ";\n"
    << "\n// Fixed latencies of the template (core/template_constants.h).\n"
    << "inline constexpr int64_t DIST_LATENCY_CYCLES = " << DIST_LATENCY_CYCLES << ";\n"
    << "inline constexpr int64_t COLLECT_LATENCY_CYCLES = " << COLLECT_LATENCY_CYCLES << ";\n"
    << "inline constexpr int64_t L2_TILE_OVERHEAD_CYCLES = " << L2_TILE_OVERHEAD_CYCLES << ";\n"
    << "\n}  // namespace af_design\n";
  return o.str();
}

}  // namespace

Expected<Design> generate(const HwConfig& hw, const std::string& templates_dir) {
  // validate() includes the template's size limits (core/template_constants.h), so every valid
  // HwConfig can be built.
  if (Status s = validate(hw); !s.ok()) return Status::Error("hw: " + s.message());

  vast::VerilogFile file;
  std::vector<Leaf> leaves = declare_leaves(file);
  std::map<std::string, const Leaf*> by_module;
  for (const Leaf& l : leaves) by_module[l.module] = &l;
  file.set_header("Generated by `accelforge emit` from HwConfig \"" + comment_safe(hw.name) + "\": " +
                  std::to_string(hw.rows) + "x" + std::to_string(hw.cols) + " PEs, dataflow " +
                  dataflow(hw) + " (rows|cols), " + std::to_string(hw.noc_words_per_cycle) +
                  " word(s)/cycle buses, " + std::to_string(hw.dram_bytes_per_cycle) +
                  " B/cycle DRAM port.\nDo not edit: regenerate. Leaves: rtl-templates/, "
                  "composition: hw/compose.cc, contract: rtl-templates/INTERFACES.md.");
  Expected<vast::Module*> composed = compose_top(file, leaves, hw);
  if (!composed.ok()) return composed.status();
  vast::Module* top = *composed;

  Design d;
  d.hw = hw;
  if (Status s = vast::legalize(file, &d.legalize); !s.ok()) return s;
  Expected<std::string> text = vast::print(file);
  if (!text.ok()) return text.status();
  d.top = top->name();
  d.params = top_params(hw);

  vast::Env env = vast::module_env(*top);
  for (const vast::Port* p : top->ports()) {
    auto w = vast::TypeChecker::width_of(p->type(), env);
    if (!w) return Status::Error("port " + p->name() + ": width not constant");
    d.ports.push_back({p->name(), p->direction() == vast::Direction::kInput, *w, p->comment()});
  }
  if (Status s = collect_instances(top->body(), env, 1, by_module, &d.instances); !s.ok()) return s;

  const std::string top_file = d.top + ".v";
  d.files.emplace_back(top_file, *text);
  std::set<std::string> leaf_files;
  for (const InstanceInfo& i : d.instances) leaf_files.insert(i.files.begin(), i.files.end());
  d.verilog.push_back(top_file);
  for (const std::string& f : leaf_files) {
    Expected<std::string> leaf = read_text_file(templates_dir + "/" + f);
    if (!leaf.ok())
      return Status::Error("leaf " + f + " not found in " + templates_dir +
                           " (set AF_RTL_TEMPLATES or --templates): " + leaf.status().message());
    d.files.emplace_back(f, *leaf);
    d.verilog.push_back(f);
  }
  d.files.emplace_back("manifest.yaml", manifest_yaml(d));
  d.files.emplace_back("params.h", params_header(d));
  d.files.emplace_back("hw.yaml", hw_to_yaml(hw));
  return d;
}

Status write_design(const Design& design, const std::string& out_dir) {
  std::error_code ec;
  fs::path out = fs::absolute(out_dir, ec);
  if (ec) return Status::Error(out_dir + ": " + ec.message());
  out = out.lexically_normal();
  if (out.has_filename() == false) out = out.parent_path();
  const bool exists = fs::exists(out, ec);
  if (exists) {
    if (!fs::is_directory(out, ec)) return Status::Error(out.string() + ": exists and is not a directory");
    if (!fs::is_empty(out, ec) && !fs::exists(out / "manifest.yaml", ec))
      return Status::Error(out.string() + ": a non-empty directory that is not a design (no manifest.yaml); "
                           "refusing to replace it");
  }
  fs::create_directories(out.parent_path(), ec);
  std::string tmpl = (out.parent_path() / ("." + out.filename().string() + ".tmp-XXXXXX")).string();
  if (::mkdtemp(tmpl.data()) == nullptr)
    return Status::Error(out.string() + ": cannot create a temporary directory beside it");
  const fs::path tmp = tmpl;
  ::chmod(tmp.c_str(), 0755);
  for (const auto& [name, text] : design.files) {
    Status s = write_file_atomic((tmp / name).string(), text);
    if (!s.ok()) {
      fs::remove_all(tmp, ec);
      return s;
    }
  }
  if (!exists) {
    if (::rename(tmp.c_str(), out.c_str()) != 0) {
      fs::remove_all(tmp, ec);
      return Status::Error(out.string() + ": cannot rename the new design into place");
    }
    return Status();
  }
  // Swap old and new in one step, then carry the caches over and drop the old files.
  if (::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, out.c_str(), RENAME_EXCHANGE) != 0) {
    fs::remove_all(tmp, ec);
    return Status::Error(out.string() + ": cannot swap the new design into place");
  }
  for (const char* cache : {".verilator", ".area"}) {
    if (fs::exists(tmp / cache, ec) && !fs::exists(out / cache, ec)) fs::rename(tmp / cache, out / cache, ec);
  }
  fs::remove_all(tmp, ec);
  return Status();
}

Expected<Manifest> read_manifest(const std::string& design_dir) {
  const std::string path = design_dir + "/manifest.yaml";
  Expected<std::string> text = read_text_file(path);
  if (!text.ok())
    return Status::Error(path + ":0: file: not a design directory, no readable manifest.yaml "
                                "(allowed: a directory written by `accelforge emit`)");
  Manifest m;
  m.dir = design_dir;
  const std::string allowed = " (allowed: a manifest written by `accelforge emit`)";
  try {
    YAML::Node n = YAML::Load(*text);
    auto need = [&](const char* key) {
      if (!n.IsMap() || !n[key]) throw std::runtime_error(std::string(key) + ": missing");
      return n[key];
    };
    if (need("format").as<std::string>() != "accelforge-design-1")
      return Status::Error(path + ":" + std::to_string(n["format"].Mark().line + 1) +
                           ": format: '" + n["format"].as<std::string>() +
                           "' is not a design format this version reads (allowed: "
                           "accelforge-design-1)");
    m.top = need("top").as<std::string>();
    for (const auto& f : need("verilog")) m.verilog.push_back(f.as<std::string>());
    m.hw_file = need("hw").as<std::string>();
    for (const auto& i : need("instances")) {
      InstanceInfo info;
      info.name = i["name"].as<std::string>();
      info.module = i["module"].as<std::string>();
      info.count = i["count"].as<int64_t>();
      for (const auto& f : i["files"]) info.files.push_back(f.as<std::string>());
      for (const auto& kv : i["params"])
        info.params.emplace_back(kv.first.as<std::string>(), kv.second.as<int64_t>());
      m.instances.push_back(std::move(info));
    }
  } catch (const YAML::Exception& e) {
    return Status::Error(path + ":" + std::to_string(e.mark.line + 1) + ": yaml: " + e.msg +
                         allowed);
  } catch (const std::exception& e) {
    return Status::Error(path + ":0: " + e.what() + allowed);
  }
  return m;
}

}  // namespace af::hw
