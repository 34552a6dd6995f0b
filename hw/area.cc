// Area from synthesis (see area.h).
#include "hw/area.h"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include <yaml-cpp/yaml.h>

#include "core/io.h"
#include "hw/sha256.h"

namespace af::hw {

namespace fs = std::filesystem;

namespace {

// Runs argv with stdout and stderr appended to `log`; returns the exit status (or -1).
int run(const std::vector<std::string>& argv, const std::string& log) {
  pid_t pid = ::fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    FILE* f = std::freopen(log.c_str(), "a", stdout);
    if (f) ::dup2(::fileno(stdout), 2);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    std::_Exit(127);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (size_t pos = 0; (pos = text.find(from, pos)) != std::string::npos; pos += to.size())
    text.replace(pos, from.size(), to);
  return text;
}

std::string default_cache_dir() {
  if (const char* d = std::getenv("AF_CACHE_DIR"); d && *d) return std::string(d) + "/yosys";
  if (const char* d = std::getenv("XDG_CACHE_HOME"); d && *d) return std::string(d) + "/accelforge/yosys";
  if (const char* d = std::getenv("HOME"); d && *d) return std::string(d) + "/.cache/accelforge/yosys";
  return "/tmp/accelforge-cache/yosys";
}

// The gate types `stat -tech cmos` has a cost for (yosys kernel/cost.h, cmos_gate_cost()).
const std::set<std::string>& cmos_cells() {
  static const std::set<std::string> kCells = {
      "$_BUF_",  "$_NOT_",  "$_AND_",  "$_NAND_", "$_OR_",   "$_NOR_",   "$_ANDNOT_", "$_ORNOT_",
      "$_XOR_",  "$_XNOR_", "$_AOI3_", "$_OAI3_", "$_AOI4_", "$_OAI4_",  "$_MUX_",    "$_NMUX_",
      "$_DFF_P_", "$_DFF_N_"};
  return kCells;
}

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t\r");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

// Parses `stat -tech cmos` output: the "design hierarchy" section when there is one (modules with
// their total instance counts, cells summed over the hierarchy, transistors), else the section of
// the single module.
Status parse_stat(const std::string& text, UnitArea* out, std::map<std::string, int64_t>* counts) {
  std::istringstream in(text);
  std::string line, section;
  std::vector<std::string> order;
  std::map<std::string, std::vector<std::string>> body;
  while (std::getline(in, line)) {
    std::string t = trim(line);
    if (t.rfind("=== ", 0) == 0 && t.size() >= 8 && t.compare(t.size() - 4, 4, " ===") == 0) {
      section = t.substr(4, t.size() - 8);
      order.push_back(section);
      continue;
    }
    if (!section.empty()) body[section].push_back(t);
  }
  if (order.empty()) return Status::Error("no statistics in the Yosys output");
  const bool hier = body.count("design hierarchy") > 0;
  const std::string use = hier ? "design hierarchy" : order.back();
  if (!hier) (*counts)[use] = 1;
  bool before_numbers = hier, in_cells = false, transistors = false;
  for (const std::string& t : body[use]) {
    if (t.empty()) {
      in_cells = false;
      continue;
    }
    std::istringstream words(t);
    if (t.rfind("Number of", 0) == 0) {
      before_numbers = false;
      in_cells = t.rfind("Number of cells:", 0) == 0;
      continue;
    }
    if (t.rfind("Estimated number of transistors:", 0) == 0) {
      std::string v = trim(t.substr(std::string("Estimated number of transistors:").size()));
      if (!v.empty() && v.back() == '+') v.pop_back();
      out->transistors = std::stoll(v);
      transistors = true;
      continue;
    }
    std::string name;
    int64_t n = 0;
    if (!(words >> name >> n)) continue;
    if (before_numbers) (*counts)[name] = n;
    else if (in_cells) out->cells[name] = n;
  }
  if (!transistors) return Status::Error("no transistor estimate in the Yosys output");
  out->complete = true;
  for (const auto& [cell, n] : out->cells)
    if (cell != "$mem_v2" && !cmos_cells().count(cell)) out->complete = false;
  return Status();
}

// Memory bits per module from `dump -m t:$mem_v2`.
std::map<std::string, int64_t> parse_memories(const std::string& text) {
  std::map<std::string, int64_t> bits;
  std::istringstream in(text);
  std::string line, module;
  int64_t size = 0, width = 0;
  bool in_mem = false;
  auto flush = [&] {
    if (in_mem) bits[module] += size * width;
    in_mem = false;
    size = width = 0;
  };
  while (std::getline(in, line)) {
    std::string t = trim(line);
    std::istringstream words(t);
    std::string w0, w1, w2;
    words >> w0 >> w1 >> w2;
    if (w0 == "module") {
      flush();
      module = w1;
    } else if (w0 == "cell") {
      flush();
      in_mem = w1 == "$mem_v2";
    } else if (w0 == "end") {
      flush();
    } else if (in_mem && w0 == "parameter" && w1 == "\\SIZE") {
      size = std::stoll(w2);
    } else if (in_mem && w0 == "parameter" && w1 == "\\WIDTH") {
      width = std::stoll(w2);
    }
  }
  flush();
  return bits;
}

std::string unit_key(const AreaUnit& unit, const std::string& version, std::string* error) {
  std::string material = std::string(kAreaScriptVersion) + "\n" + kAreaScript + "\n" + version +
                         "\nmodule " + unit.module + "\n";
  for (const auto& [name, value] : unit.params) material += name + "=" + std::to_string(value) + "\n";
  for (const std::string& f : unit.files) {
    Expected<std::string> text = read_text_file(f);
    if (!text.ok()) {
      *error = text.status().message();
      return "";
    }
    // The file's name is not part of the key (a copy in another design hits the same entry).
    material += "file " + sha256_hex(*text) + "\n";
  }
  return sha256_hex(material);
}

std::string unit_to_yaml(const AreaUnit& unit, const UnitArea& a, const std::string& version) {
  YAML::Emitter e;
  e << YAML::BeginMap;
  e << YAML::Key << "module" << YAML::Value << unit.module;
  e << YAML::Key << "params" << YAML::Value << YAML::Flow << YAML::BeginMap;
  for (const auto& [k, v] : unit.params) e << YAML::Key << k << YAML::Value << v;
  e << YAML::EndMap;
  e << YAML::Key << "yosys" << YAML::Value << version;
  e << YAML::Key << "script" << YAML::Value << kAreaScriptVersion;
  e << YAML::Key << "transistors" << YAML::Value << a.transistors;
  e << YAML::Key << "memory_bits" << YAML::Value << a.memory_bits;
  e << YAML::Key << "complete" << YAML::Value << a.complete;
  e << YAML::Key << "seconds" << YAML::Value << a.seconds;
  e << YAML::Key << "cells" << YAML::Value << YAML::BeginMap;
  for (const auto& [k, v] : a.cells) e << YAML::Key << k << YAML::Value << v;
  e << YAML::EndMap << YAML::EndMap;
  return std::string(e.c_str()) + "\n";
}

bool unit_from_yaml(const std::string& text, UnitArea* a) {
  try {
    YAML::Node n = YAML::Load(text);
    a->transistors = n["transistors"].as<int64_t>();
    a->memory_bits = n["memory_bits"].as<int64_t>();
    a->complete = n["complete"].as<bool>();
    a->seconds = n["seconds"].as<double>();
    a->cells.clear();
    for (const auto& kv : n["cells"]) a->cells[kv.first.as<std::string>()] = kv.second.as<int64_t>();
    return true;
  } catch (const YAML::Exception&) {
    return false;  // a damaged entry is recomputed
  }
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

Expected<std::string> yosys_version(const std::string& yosys) {
  static std::map<std::string, std::string> memo;
  if (auto it = memo.find(yosys); it != memo.end()) return it->second;
  char tmpl[] = "/tmp/af-yosys-version-XXXXXX";
  int fd = ::mkstemp(tmpl);
  if (fd < 0) return Status::Error("cannot create a temporary file");
  ::close(fd);
  int rc = run({yosys, "-V"}, tmpl);
  Expected<std::string> text = read_text_file(tmpl);
  ::unlink(tmpl);
  if (rc != 0 || !text.ok() || text->find("Yosys") == std::string::npos)
    return Status::Error("cannot run '" + yosys + " -V' (is Yosys installed? Debian: apt-get install yosys)");
  std::string v = trim(text->substr(0, text->find('\n')));
  memo[yosys] = v;
  return v;
}

Expected<UnitArea> synthesize_unit(const AreaUnit& unit, const AreaOptions& options, bool* cached,
                                   std::string* key_out) {
  *cached = false;
  Expected<std::string> version = yosys_version(options.yosys);
  if (!version.ok()) return version.status();
  std::string error;
  const std::string key = unit_key(unit, *version, &error);
  if (key.empty()) return Status::Error(error);
  if (key_out) *key_out = key;
  const std::string cache_dir = options.cache_dir.empty() ? default_cache_dir() : options.cache_dir;
  const std::string entry = cache_dir + "/" + key + ".yaml";
  UnitArea area;
  if (options.use_cache) {
    Expected<std::string> text = read_text_file(entry);
    if (text.ok() && unit_from_yaml(*text, &area)) {
      *cached = true;
      return area;
    }
  }

  char tmpl[] = "/tmp/af-area-XXXXXX";
  if (::mkdtemp(tmpl) == nullptr) return Status::Error("cannot create a temporary directory");
  const std::string work = tmpl;
  std::string files;
  for (const std::string& f : unit.files) files += (files.empty() ? "" : " ") + f;
  std::string chparam;
  if (!unit.params.empty()) {
    chparam = "chparam";
    for (const auto& [k, v] : unit.params) chparam += " -set " + k + " " + std::to_string(v);
    chparam += " " + unit.module + "\n";
  }
  std::string script = kAreaScript;
  script = replace_all(script, "{FILES}", files);
  script = replace_all(script, "{CHPARAM}", chparam);
  script = replace_all(script, "{TOP}", unit.module);
  script = replace_all(script, "{MEM}", work + "/mem.il");
  script = replace_all(script, "{STAT}", work + "/stat.txt");
  {
    std::ofstream s(work + "/area.ys");
    s << script;
  }
  const auto t0 = std::chrono::steady_clock::now();
  int rc = run({options.yosys, "-q", "-l", work + "/yosys.log", "-s", work + "/area.ys"},
               work + "/stdout.txt");
  area.seconds = seconds_since(t0);
  Expected<std::string> stat = read_text_file(work + "/stat.txt");
  Expected<std::string> mem = read_text_file(work + "/mem.il");
  if (rc != 0 || !stat.ok()) {
    std::string log;
    if (Expected<std::string> l = read_text_file(work + "/yosys.log"); l.ok())
      log = l->size() > 3000 ? l->substr(l->size() - 3000) : *l;
    return Status::Error("yosys failed on " + unit.module + " (exit " + std::to_string(rc) +
                         "; script and log kept in " + work + "):\n" + log);
  }
  std::map<std::string, int64_t> counts;
  Status st = parse_stat(*stat, &area, &counts);
  if (!st.ok()) return Status::Error(unit.module + ": " + st.message() + " (see " + work + ")");
  if (mem.ok()) {
    for (const auto& [module, bits] : parse_memories(*mem)) {
      auto it = counts.find(module);
      area.memory_bits += bits * (it == counts.end() ? 1 : it->second);
    }
  }
  std::error_code ec;
  fs::remove_all(work, ec);
  if (options.use_cache) {
    fs::create_directories(cache_dir, ec);
    (void)write_file_atomic(entry, unit_to_yaml(unit, area, *version));  // best effort
  }
  return area;
}

Expected<AreaReport> design_area(const std::string& design_dir, const AreaOptions& options) {
  const auto t0 = std::chrono::steady_clock::now();
  Expected<Manifest> manifest = read_manifest(design_dir);
  if (!manifest.ok()) return manifest.status();
  Expected<HwConfig> hw = read_hw_yaml(design_dir + "/" + manifest->hw_file);
  if (!hw.ok()) return hw.status();
  Expected<std::string> version = yosys_version(options.yosys);
  if (!version.ok()) return version.status();

  AreaReport r;
  r.design_dir = design_dir;
  r.top = manifest->top;
  r.hw_name = hw->name;
  r.yosys_version = *version;
  const fs::path dir = fs::absolute(design_dir);
  // One synthesis per distinct (module, parameters); instances sharing it reuse the result.
  // Distinct units run on `jobs` threads, each driving one Yosys process.
  struct Work {
    AreaUnit unit;
    Expected<UnitArea> result = Status::Error("not run");
    bool cached = false;
    double seconds = 0;
  };
  std::map<std::pair<std::string, ParamList>, size_t> index;
  std::vector<Work> work;
  for (const InstanceInfo& inst : manifest->instances) {
    auto key = std::make_pair(inst.module, inst.params);
    if (index.count(key)) continue;
    index[key] = work.size();
    Work w;
    w.unit = AreaUnit{inst.module, inst.params, {}};
    for (const std::string& f : inst.files) w.unit.files.push_back((dir / f).string());
    work.push_back(std::move(w));
  }
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i; (i = next.fetch_add(1)) < work.size();) {
      const auto u0 = std::chrono::steady_clock::now();
      work[i].result = synthesize_unit(work[i].unit, options, &work[i].cached);
      work[i].seconds = seconds_since(u0);
    }
  };
  std::vector<std::thread> threads;
  for (int j = 1; j < std::max(1, options.jobs); ++j) threads.emplace_back(worker);
  worker();
  for (std::thread& t : threads) t.join();

  std::set<size_t> counted;
  for (const InstanceInfo& inst : manifest->instances) {
    const size_t i = index.at(std::make_pair(inst.module, inst.params));
    if (!work[i].result.ok()) return work[i].result.status();
    InstanceArea ia;
    ia.instance = inst.name;
    ia.module = inst.module;
    ia.params = inst.params;
    ia.count = inst.count;
    ia.area = *work[i].result;
    const bool first = counted.insert(i).second;  // later instances of a unit reuse it
    ia.cached = work[i].cached || !first;
    ia.seconds = first ? work[i].seconds : 0;
    if (ia.cached) ++r.cache_hits;
    else ++r.cache_misses;
    r.transistors += ia.count * ia.area.transistors;
    r.memory_bits += ia.count * ia.area.memory_bits;
    r.complete = r.complete && ia.area.complete;
    r.instances.push_back(std::move(ia));
  }
  for (Tensor t : kAllTensors)
    r.buffer_bits += 8 * (hw->pes() * hw->l1_bytes[idx(t)] + hw->l2_bytes[idx(t)]);
  r.logic_um2 = static_cast<double>(r.transistors) * kUm2PerTransistor;
  r.sram_um2 = static_cast<double>(r.memory_bits) * options.tech.sram_um2_per_bit;
  r.analytical = area_of(*hw, options.tech);
  r.seconds = seconds_since(t0);
  return r;
}

namespace {

std::string params_text(const ParamList& params) {
  std::string out;
  for (const auto& [k, v] : params) out += (out.empty() ? "" : " ") + k + "=" + std::to_string(v);
  return out;
}

std::string fmt(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

}  // namespace

std::string area_report_text(const AreaReport& r) {
  std::ostringstream o;
  o << "design " << r.design_dir << " (" << r.top << ", hw " << r.hw_name << ")\n"
    << r.yosys_version << ", script " << kAreaScriptVersion << ", " << kUm2PerTransistor
    << " um2/transistor\n\n";
  char line[512];
  std::snprintf(line, sizeof line, "%-10s %-12s %6s %14s %12s %12s %9s  %s\n", "instance", "module",
                "count", "transistors", "logic_um2", "memory_bits", "yosys_s", "parameters");
  o << line;
  for (const InstanceArea& i : r.instances) {
    std::snprintf(line, sizeof line, "%-10s %-12s %6lld %14lld %12.0f %12lld %9s  %s\n",
                  i.instance.c_str(), i.module.c_str(), static_cast<long long>(i.count),
                  static_cast<long long>(i.count * i.area.transistors),
                  static_cast<double>(i.count * i.area.transistors) * kUm2PerTransistor,
                  static_cast<long long>(i.count * i.area.memory_bits),
                  i.cached ? "cached" : fmt("%.1f", i.seconds).c_str(), params_text(i.params).c_str());
    o << line;
  }
  o << "\n";
  const double sram_per_bit = r.memory_bits ? r.sram_um2 / static_cast<double>(r.memory_bits) : 0;
  std::snprintf(line, sizeof line, "%-44s %14.0f um2  (%lld transistors%s)\n",
                "synthesis: logic (Yosys, memories excluded)", r.logic_um2,
                static_cast<long long>(r.transistors), r.complete ? "" : ", INCOMPLETE: cells without a CMOS cost");
  o << line;
  std::snprintf(line, sizeof line, "%-44s %14.0f um2  (%lld bits inferred x %.3f um2/bit; HwConfig buffers %lld bits)\n",
                "synthesis: SRAM (table)", r.sram_um2, static_cast<long long>(r.memory_bits), sram_per_bit,
                static_cast<long long>(r.buffer_bits));
  o << line;
  std::snprintf(line, sizeof line, "%-44s %14.0f um2\n", "synthesis: total", r.total_um2());
  o << line;
  std::snprintf(line, sizeof line, "%-44s %14.0f um2  (PEs %.0f + L1 %.0f + L2 %.0f)\n",
                "analytical (costmodel area_of)", r.analytical.total(), r.analytical.pe_um2,
                r.analytical.l1_um2, r.analytical.l2_um2);
  o << line;
  if (r.analytical.total() > 0) {
    std::snprintf(line, sizeof line, "%-44s %14.2f\n", "synthesis / analytical",
                  r.total_um2() / r.analytical.total());
    o << line;
  }
  std::snprintf(line, sizeof line, "\n%d unit(s) synthesized, %d from cache, %.1f s\n", r.cache_misses,
                r.cache_hits, r.seconds);
  o << line;
  return o.str();
}

std::string area_report_json(const AreaReport& r) {
  nlohmann::json j;
  j["design"] = r.design_dir;
  j["top"] = r.top;
  j["hw"] = r.hw_name;
  j["yosys"] = r.yosys_version;
  j["script"] = kAreaScriptVersion;
  j["um2_per_transistor"] = kUm2PerTransistor;
  j["instances"] = nlohmann::json::array();
  for (const InstanceArea& i : r.instances) {
    nlohmann::json ji;
    ji["instance"] = i.instance;
    ji["module"] = i.module;
    ji["count"] = i.count;
    ji["params"] = nlohmann::json::object();
    for (const auto& [k, v] : i.params) ji["params"][k] = v;
    ji["transistors_per_instance"] = i.area.transistors;
    ji["memory_bits_per_instance"] = i.area.memory_bits;
    ji["cells_per_instance"] = i.area.cells;
    ji["complete"] = i.area.complete;
    ji["cached"] = i.cached;
    ji["seconds"] = i.seconds;
    j["instances"].push_back(ji);
  }
  j["transistors"] = r.transistors;
  j["memory_bits"] = r.memory_bits;
  j["buffer_bits"] = r.buffer_bits;
  j["complete"] = r.complete;
  j["logic_um2"] = r.logic_um2;
  j["sram_um2"] = r.sram_um2;
  j["total_um2"] = r.total_um2();
  j["analytical"] = {{"pe_um2", r.analytical.pe_um2},
                     {"l1_um2", r.analytical.l1_um2},
                     {"l2_um2", r.analytical.l2_um2},
                     {"total_um2", r.analytical.total()}};
  j["cache_hits"] = r.cache_hits;
  j["cache_misses"] = r.cache_misses;
  j["seconds"] = r.seconds;
  return j.dump(2);
}

}  // namespace af::hw

