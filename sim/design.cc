// Design directories, the reference design, Verilator builds and their cache (see design.h).
#include "sim/design.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "core/io.h"

#ifndef AF_RTL_TEMPLATES_DIR
#define AF_RTL_TEMPLATES_DIR "rtl-templates"
#endif
#ifndef AF_SIM_SOURCE_DIR
#define AF_SIM_SOURCE_DIR "sim"
#endif

namespace fs = std::filesystem;

namespace af::sim {
namespace {

// The leaves, in dependency-free order, and the reference top.
// af_pe.v is only used by the synthesis branch of af_pe_array (`ifdef SYNTHESIS).
const char* const kLeaves[] = {"af_pe.v",   "af_pe_array.v", "af_l2_bank.v", "af_dist.v",
                               "af_coll.v", "af_mac_seq.v",  "af_dma.v",     "af_counters.v",
                               "af_ctrl.v"};
const char* const kReferenceTop = "reference_top.v";

Expected<std::string> slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Error(path + ": cannot read");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) {
    if (c == '\'') q += "'\\''";
    else q += c;
  }
  return q + "'";
}

// Runs a shell command, output (stdout+stderr) into *out; returns the exit status.
int run_command(const std::string& cmd, std::string* out) {
  std::string full = cmd + " 2>&1";
  FILE* p = popen(full.c_str(), "r");
  if (!p) return -1;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) {
    if (out) out->append(buf.data(), n);
  }
  const int st = pclose(p);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

std::string verilator_version() {
  static const std::string v = [] {
    std::string out;
    run_command("verilator --version", &out);
    return out;
  }();
  return v;
}

std::string hex64(uint64_t v) {
  char b[17];
  std::snprintf(b, sizeof b, "%016llx", static_cast<unsigned long long>(v));
  return b;
}

std::string params_args(const Design& d) {
  std::string a;
  for (const auto& [name, value] : d.top_params) a += " -G" + name + "=" + std::to_string(value);
  return a;
}

std::string files_args(const Design& d) {
  std::string a;
  for (const std::string& f : d.verilog) a += " " + shell_quote(f);
  return a;
}

class FileLock {
 public:
  explicit FileLock(const std::string& path) {
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT, 0644);
    if (fd_ >= 0) ::flock(fd_, LOCK_EX);
  }
  ~FileLock() {
    if (fd_ >= 0) {
      ::flock(fd_, LOCK_UN);
      ::close(fd_);
    }
  }

 private:
  int fd_ = -1;
};

}  // namespace

uint64_t fnv1a(const std::string& text, uint64_t h) {
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

std::string rtl_templates_dir() {
  if (const char* e = std::getenv("AF_RTL_TEMPLATES"); e && *e) return e;
  return AF_RTL_TEMPLATES_DIR;
}

std::vector<std::pair<std::string, int64_t>> top_params_for(const HwConfig& hw) {
  return {{"ROWS", hw.rows},
          {"COLS", hw.cols},
          {"ROW_DIM", idx(hw.row_dim)},
          {"COL_DIM", idx(hw.col_dim)},
          {"NOC_W", hw.noc_words_per_cycle},
          {"DRAM_B", hw.dram_bytes_per_cycle},
          {"L1_W_BYTES", hw.l1_bytes[idx(Tensor::W)]},
          {"L1_I_BYTES", hw.l1_bytes[idx(Tensor::I)]},
          {"L1_O_BYTES", hw.l1_bytes[idx(Tensor::O)]},
          {"L2_W_BYTES", hw.l2_bytes[idx(Tensor::W)]},
          {"L2_I_BYTES", hw.l2_bytes[idx(Tensor::I)]},
          {"L2_O_BYTES", hw.l2_bytes[idx(Tensor::O)]}};
}

Status write_reference_design(const HwConfig& hw, const std::string& dir) {
  if (Status s = validate(hw); !s.ok()) return s;  // includes the template's size limits
  std::error_code ec;
  fs::create_directories(fs::path(dir) / "rtl", ec);
  if (ec) return Status::Error(dir + ": " + ec.message());
  const std::string src = rtl_templates_dir();
  std::string files;
  std::vector<std::string> names(std::begin(kLeaves), std::end(kLeaves));
  names.push_back(kReferenceTop);
  for (const std::string& n : names) {
    Expected<std::string> text = slurp(src + "/" + n);
    if (!text.ok()) return text.status();
    if (Status s = write_file_atomic(dir + "/rtl/" + n, *text); !s.ok()) return s;
    files += "  - rtl/" + n + "\n";
  }
  if (Status s = write_file_atomic(dir + "/hw.yaml", hw_to_yaml(hw)); !s.ok()) return s;
  std::string m = "# AccelForge design (reference composition, rtl-templates/reference_top.v)\n";
  m += "top: af_top\nhw: hw.yaml\nverilog:\n" + files + "top_params:\n";
  for (const auto& [name, value] : top_params_for(hw))
    m += "  " + name + ": " + std::to_string(value) + "\n";
  return write_file_atomic(dir + "/manifest.yaml", m);
}

Expected<Design> load_design(const std::string& dir_in) {
  std::error_code ec;
  const fs::path dir = fs::absolute(dir_in, ec);
  const std::string mpath = (dir / "manifest.yaml").string();
  Design d;
  d.dir = dir.string();
  YAML::Node root;
  try {
    root = YAML::LoadFile(mpath);
  } catch (const std::exception& e) {
    return Status::Error(mpath + ": " + e.what());
  }
  auto bad = [&](const std::string& field, const std::string& what) {
    return Status::Error(mpath + ": " + field + ": " + what);
  };
  if (!root.IsMap()) return bad("manifest", "not a mapping");
  if (root["top"]) d.top = root["top"].as<std::string>();
  const YAML::Node v = root["verilog"];
  if (!v || !v.IsSequence() || v.size() == 0)
    return bad("verilog", "missing or empty (allowed: a list of .v files relative to the design)");
  for (const auto& f : v) {
    const fs::path p = dir / f.as<std::string>();
    if (!fs::exists(p)) return bad("verilog", p.string() + " does not exist");
    d.verilog.push_back(p.string());
  }
  const YAML::Node hw = root["hw"];
  if (!hw) return bad("hw", "missing (allowed: a HwConfig file name or an inline mapping)");
  Expected<HwConfig> cfg = hw.IsScalar()
                               ? read_hw_yaml((dir / hw.as<std::string>()).string())
                               : parse_hw_yaml(YAML::Dump(hw), mpath + " (hw)");
  if (!cfg.ok()) return cfg.status();
  d.hw = *cfg;
  if (const YAML::Node tp = root["top_params"]; tp && tp.IsMap()) {
    for (const auto& kv : tp) {
      try {
        d.top_params.emplace_back(kv.first.as<std::string>(), kv.second.as<int64_t>());
      } catch (const std::exception&) {
        return bad("top_params", kv.first.as<std::string>() + ": not an integer");
      }
    }
  }
  return d;
}

Status lint_design(const Design& d, std::string* log) {
  std::string out;
  const std::string cmd = "verilator --lint-only -Wall --top-module " + d.top + params_args(d) +
                          files_args(d);
  const int rc = run_command(cmd, &out);
  if (log) *log = out;
  if (rc != 0) return Status::Error("lint failed (" + cmd + "):\n" + out);
  return Status();
}

Expected<BuildInfo> build_design(const Design& d, const BuildOptions& o) {
  const auto t0 = std::chrono::steady_clock::now();
  std::string adapter_src = std::string(AF_SIM_SOURCE_DIR) + "/design_adapter.cc";
  std::string abi_src = std::string(AF_SIM_SOURCE_DIR) + "/design_abi.h";
  Expected<std::string> adapter = slurp(adapter_src);
  if (!adapter.ok()) return adapter.status();
  Expected<std::string> abi = slurp(abi_src);
  if (!abi.ok()) return abi.status();

  const std::string flags = std::string("cc-so-v1 O2") + (o.trace ? " trace-fst" : "");
  uint64_t h = fnv1a(verilator_version());
  h = fnv1a(flags, h);
  h = fnv1a(d.top, h);
  h = fnv1a(params_args(d), h);
  h = fnv1a(*adapter, h);
  h = fnv1a(*abi, h);
  for (const std::string& f : d.verilog) {
    Expected<std::string> text = slurp(f);
    if (!text.ok()) return text.status();
    h = fnv1a(fs::path(f).filename().string(), h);
    h = fnv1a(*text, h);
  }
  int64_t beat = d.hw.dram_bytes_per_cycle;
  for (const auto& [name, value] : d.top_params)
    if (name == "DRAM_B") beat = value;
  h = fnv1a(std::to_string(beat), h);

  BuildInfo info;
  info.key = hex64(h);
  std::string root = o.cache_dir;
  if (root.empty()) {
    if (const char* e = std::getenv("AF_CACHE_DIR"); e && *e) root = e;
    else root = d.dir + "/.verilator";
  }
  std::error_code ec;
  fs::create_directories(root, ec);
  if (ec) return Status::Error(root + ": " + ec.message());
  const std::string final_dir = root + "/" + info.key;
  info.module_path = final_dir + "/af_design.so";

  FileLock lock(root + "/" + info.key + ".lock");
  if (fs::exists(info.module_path)) {
    info.cached = true;
    info.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return info;
  }
  const std::string tmp = root + "/" + info.key + ".tmp" + std::to_string(::getpid());
  fs::remove_all(tmp, ec);
  fs::create_directories(tmp + "/src", ec);
  if (ec) return Status::Error(tmp + ": " + ec.message());
  if (Status s = write_file_atomic(tmp + "/src/design_adapter.cc", *adapter); !s.ok()) return s;
  if (Status s = write_file_atomic(tmp + "/src/design_abi.h", *abi); !s.ok()) return s;

  const std::string cflags = "-fPIC -fvisibility=hidden -std=c++17 -DAF_DESIGN_BEAT_BYTES=" +
                             std::to_string(beat) + " -I" + tmp + "/src";
  std::string cmd = "verilator --cc --exe --build -j " + std::to_string(o.jobs) +
                    " -Wno-fatal --top-module " + d.top + " --prefix Vaf_top -Mdir " +
                    shell_quote(tmp + "/obj") + " -o af_design.so" + params_args(d) +
                    " -CFLAGS " + shell_quote(cflags) + " -LDFLAGS " +
                    shell_quote("-shared -fPIC") + " -MAKEFLAGS " +
                    shell_quote("OPT_FAST=-O2 OPT_SLOW=-O1 OPT_GLOBAL=-O2") +
                    (o.trace ? " --trace-fst" : "") + " " +
                    shell_quote(tmp + "/src/design_adapter.cc") + files_args(d);
  if (o.verbose) std::cerr << "accelforge: " << cmd << "\n";
  std::string out;
  const int rc = run_command(cmd, &out);
  if (o.verbose) std::cerr << out;
  if (Status s = write_file_atomic(tmp + "/build.log", cmd + "\n" + out); !s.ok()) return s;
  if (rc != 0 || !fs::exists(tmp + "/obj/af_design.so")) {
    return Status::Error("Verilator build failed (log: " + tmp + "/build.log):\n" +
                         out.substr(out.size() > 4000 ? out.size() - 4000 : 0));
  }
  fs::rename(tmp + "/obj/af_design.so", tmp + "/af_design.so", ec);
  if (ec) return Status::Error(tmp + ": " + ec.message());
  fs::remove_all(tmp + "/obj", ec);
  fs::remove_all(final_dir, ec);
  fs::rename(tmp, final_dir, ec);
  if (ec) return Status::Error(final_dir + ": " + ec.message());
  info.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return info;
}

Expected<std::shared_ptr<DesignModule>> DesignModule::load(const std::string& path) {
  void* h = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!h) return Status::Error(path + ": " + dlerror());
  using Fn = const AfDesignApi* (*)();
  auto fn = reinterpret_cast<Fn>(dlsym(h, "af_design_api"));
  if (!fn) {
    dlclose(h);
    return Status::Error(path + ": no af_design_api symbol");
  }
  const AfDesignApi* api = fn();
  if (!api || api->abi_version != AF_DESIGN_ABI_VERSION) {
    dlclose(h);
    return Status::Error(path + ": design ABI version mismatch");
  }
  std::shared_ptr<DesignModule> m(new DesignModule);
  m->handle_ = h;
  m->api_ = api;
  return m;
}

DesignModule::~DesignModule() {
  if (handle_) dlclose(handle_);
}

}  // namespace af::sim
