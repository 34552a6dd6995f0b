#include "search/driver.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/io.h"
#include "search/evaluator.h"
#include "search/genes.h"
#include "search/pareto.h"
#include "search/rng.h"

namespace af::search {

using nlohmann::json;

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr size_t kFrontCap = 1000;

double now_s() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

void top_insert(std::vector<Entry>& top, int k, const Genome& g, const Fitness& f, Objective o) {
  if (!f.feasible || k <= 0) return;
  const Key key = objective_key(f, o == Objective::Pareto ? Objective::Latency : o);
  const Objective ko = o == Objective::Pareto ? Objective::Latency : o;
  if (int(top.size()) >= k && !(key < objective_key(top.back().fitness, ko))) return;
  const uint64_t h = g.hash();
  for (const Entry& e : top)
    if (e.genome.hash() == h && e.genome.same_design(g)) return;
  auto it = std::upper_bound(top.begin(), top.end(), key, [&](const Key& k1, const Entry& e) {
    return k1 < objective_key(e.fitness, ko);
  });
  top.insert(it, Entry{g, f});
  if (int(top.size()) > k) top.pop_back();
}

void front_insert(std::vector<Entry>& front, const Genome& g, const Fitness& f) {
  if (!f.feasible) return;
  const Point q = pareto_point(f);
  for (const Entry& e : front) {
    const Point pe = pareto_point(e.fitness);
    if (pe == q || dominates(pe, q)) return;
  }
  front.erase(std::remove_if(front.begin(), front.end(),
                             [&](const Entry& e) { return dominates(q, pareto_point(e.fitness)); }),
              front.end());
  front.push_back(Entry{g, f});
  if (front.size() > kFrontCap) {  // drop the most crowded point (deterministic)
    std::vector<Point> pts;
    for (const Entry& e : front) pts.push_back(pareto_point(e.fitness));
    const auto cd = crowding_distance(pts, std::vector<int>(pts.size(), 0));
    size_t worst = 0;
    for (size_t i = 1; i < cd.size(); ++i)
      if (cd[i] < cd[worst]) worst = i;
    front.erase(front.begin() + long(worst));
  }
}

double best_value(const ProblemResult& r, Objective o) {
  if (r.top.empty()) return kInf;
  return primary(r.top[0].fitness, o == Objective::Pareto ? Objective::Latency : o);
}

json entries_to_json(const std::vector<Entry>& es) {
  json a = json::array();
  for (const Entry& e : es) a.push_back(json{{"g", genome_to_json(e.genome)}, {"f", fitness_to_json(e.fitness)}});
  return a;
}
Status entries_from_json(const json& a, const Problem& p, std::vector<Entry>& es) {
  es.clear();
  for (const json& e : a) {
    auto g = genome_from_json(e.at("g"), p);
    if (!g.ok()) return g.status();
    es.push_back(Entry{std::move(g).value(), fitness_from_json(e.at("f"))});
  }
  return Status();
}

json result_state(const ProblemResult& r) {
  json h = json::array();
  for (auto& [e, v] : r.history) h.push_back(json::array({e, v}));
  return json{{"evals_used", r.evals_used}, {"generations", r.generations},
              {"infeasible", r.infeasible}, {"history", h},
              {"top", entries_to_json(r.top)},  {"front", entries_to_json(r.front)},
              {"done", r.done}};
}
Status result_from_state(const json& j, const Problem& p, ProblemResult& r) {
  r.evals_used = j.at("evals_used").get<int64_t>();
  r.generations = j.at("generations").get<int64_t>();
  r.infeasible = j.at("infeasible").get<int64_t>();
  r.history.clear();
  for (const json& e : j.at("history")) r.history.emplace_back(e.at(0).get<int64_t>(), e.at(1).get<double>());
  r.done = j.at("done").get<bool>();
  Status s = entries_from_json(j.at("top"), p, r.top);
  if (!s.ok()) return s;
  return entries_from_json(j.at("front"), p, r.front);
}

}  // namespace

json search_fingerprint(const SearchSpec& spec, const RunOptions& opt) {
  json layers = json::array();
  for (size_t i = 0; i < spec.layers.size(); ++i) {
    const Layer& l = spec.layers[i];
    layers.push_back(json{{"index", spec.layer_index[i]}, {"dims", l.dims},
                          {"stride", {l.stride_y, l.stride_x}}, {"pad", {l.pad_y, l.pad_x}}});
  }
  const AlgoOptions& a = opt.algo_options;
  return json{{"workload", spec.workload},
              {"layers", layers},
              {"mode", mode_name(spec.mode)},
              {"objective", objective_name(spec.objective)},
              {"budget", spec.budget.name},
              {"area_um2", spec.budget.area_um2},
              {"par_rs", spec.par_rs},
              {"tech",
               {spec.tech.mac_um2, spec.tech.sram_um2_per_bit, spec.tech.mac_pj,
                spec.tech.sram_pj_per_byte_at_8kib, spec.tech.sram_min_pj_per_byte,
                spec.tech.dram_pj_per_byte, spec.tech.noc_pj_per_byte}},
              {"calibration",
               {spec.calibration.compute, spec.calibration.input_wait,
                spec.calibration.output_wait, spec.calibration.dram_stall,
                spec.calibration.fill_drain, spec.calibration.offset_cycles}},
              {"algo", opt.algo},
              {"evals", opt.evals},
              {"seed", opt.seed},
              {"top_k", opt.top_k},
              {"digamma", ops_summary(a.digamma)},
              {"baselines",
               {a.pop, a.ga_crossover_rate, a.ga_tournament, a.de_f, a.de_cr, a.sa_t0, a.sa_t1,
                a.random_batch}}};
}

namespace {

std::string fmt(double v) {
  char b[64];
  std::snprintf(b, sizeof b, "%.4g", v);
  return b;
}
}  // namespace

double history_at(const std::vector<std::pair<int64_t, double>>& h, int64_t evals) {
  double v = kInf;
  for (auto& [e, x] : h) {
    if (e > evals) break;
    v = x;
  }
  return v;
}

namespace {

// The search's problems: one per layer, or one for the model.
Expected<std::vector<Problem>> make_problems(const SearchSpec& spec) {
  std::vector<Problem> problems;
  std::vector<std::vector<size_t>> groups;
  if (spec.mode == Mode::Model) {
    groups.emplace_back();
    for (size_t i = 0; i < spec.layers.size(); ++i) groups[0].push_back(i);
  } else {
    for (size_t i = 0; i < spec.layers.size(); ++i) groups.push_back({i});
  }
  problems.reserve(groups.size());
  for (const auto& grp : groups) {
    std::vector<Layer> ls;
    std::vector<int> li;
    for (size_t i : grp) {
      ls.push_back(spec.layers[i]);
      li.push_back(spec.layer_index[i]);
    }
    auto p = make_problem(spec.workload, ls, li, spec.budget, spec.tech, spec.objective, spec.par_rs);
    if (!p.ok()) return p.status();
    problems.push_back(std::move(p).value());
    problems.back().calibration = spec.calibration;
  }
  return problems;
}

}  // namespace

Status check_search(const SearchSpec& spec, const RunOptions& opt) {
  if (spec.layers.empty()) return Status::Error("search: no layers selected");
  if (opt.evals < 1) return Status::Error("evals: must be >= 1");
  auto problems = make_problems(spec);
  if (!problems.ok()) return problems.status();
  for (const Problem& p : *problems) {
    auto made = make_optimizer(opt.algo, p, opt.algo_options, opt.seed, opt.evals);
    if (!made.ok()) return made.status();
  }
  return Status();
}

Expected<SearchOutput> run_search(const SearchSpec& spec, const RunOptions& opt) {
  if (spec.layers.empty()) return Status::Error("search: no layers selected");
  if (opt.evals < 1) return Status::Error("evals: must be >= 1");
  SearchOutput out;
  const double t0 = now_s();
  auto problems = make_problems(spec);
  if (!problems.ok()) return problems.status();
  out.problems = std::move(problems).value();
  out.results.resize(out.problems.size());

  const json fp = search_fingerprint(spec, opt);
  size_t start = 0;
  json resume_state;
  if (opt.resume) {
    if (opt.checkpoint_path.empty()) return Status::Error("resume: no --checkpoint file given");
    std::ifstream in(opt.checkpoint_path);
    if (in) {
      json ck;
      try {
        ck = json::parse(in);
      } catch (const json::exception& e) {
        return Status::Error(opt.checkpoint_path + ": not a checkpoint: " + e.what());
      }
      if (!ck.contains("fingerprint") || ck["fingerprint"] != fp)
        return Status::Error(opt.checkpoint_path +
                             ": the checkpoint was written by a different search (workload, "
                             "layers, budget, algorithm, seed, evals or options differ)");
      try {
        start = ck.at("current").get<size_t>();
        out.evals_used = ck.at("evals_used").get<int64_t>();
        out.cost_model_calls = ck.at("cost_model_calls").get<int64_t>();
        const json& rs = ck.at("results");
        for (size_t i = 0; i < rs.size() && i < out.results.size(); ++i) {
          Status s = result_from_state(rs[i], out.problems[i], out.results[i]);
          if (!s.ok()) return s;
        }
        resume_state = ck.at("optimizer");
      } catch (const json::exception& e) {
        return Status::Error(opt.checkpoint_path + ": damaged checkpoint: " + e.what());
      }
    }  // no checkpoint yet: start from scratch
  }

  auto save_checkpoint = [&](size_t current, const Optimizer* o) -> Status {
    if (opt.checkpoint_path.empty()) return Status();
    json ck;
    ck["version"] = 1;
    ck["fingerprint"] = fp;
    ck["current"] = current;
    ck["evals_used"] = out.evals_used;
    ck["cost_model_calls"] = out.cost_model_calls;
    json rs = json::array();
    for (size_t i = 0; i <= current && i < out.results.size(); ++i) rs.push_back(result_state(out.results[i]));
    ck["results"] = rs;
    json os = json::object();
    if (o) o->save(os);
    ck["optimizer"] = os;
    return write_file_atomic(opt.checkpoint_path, ck.dump());
  };

  int64_t session_generations = 0;
  double last_report = now_s();
  for (size_t pi = start; pi < out.problems.size(); ++pi) {
    const Problem& p = out.problems[pi];
    ProblemResult& res = out.results[pi];
    if (res.done) continue;
    auto made = make_optimizer(opt.algo, p, opt.algo_options, derive_seed(opt.seed, pi), opt.evals);
    if (!made.ok()) return made.status();
    std::unique_ptr<Optimizer> o = std::move(made).value();
    if (pi == start && !resume_state.is_null() && !resume_state.empty()) {
      Status s = o->load(resume_state);
      if (!s.ok()) return s;
    }
    Evaluator ev(p, opt.threads, opt.eval_cache_entries);
    auto report = [&](bool force) {
      if (!opt.progress) return;
      const double t = now_s();
      if (!force && t - last_report < opt.progress_interval_s) return;
      last_report = t;
      std::ostringstream s;
      s << "search: " << spec.workload;
      if (out.problems.size() > 1)
        s << " layer " << p.layer_index[0] << " (" << pi + 1 << "/" << out.problems.size() << ")";
      s << " " << opt.algo << ": " << res.evals_used << "/" << opt.evals << " evals, best "
        << fmt(best_value(res, spec.objective)) << " ("
        << objective_name(spec.objective == Objective::Pareto ? Objective::Latency : spec.objective)
        << ")";
      if (spec.objective == Objective::Pareto) s << ", front " << res.front.size();
      s << ", " << fmt(t - t0) << " s";
      opt.progress(s.str());
    };
    while (res.evals_used < opt.evals && !o->done()) {
      std::vector<Genome> xs = o->ask(opt.evals - res.evals_used);
      if (xs.empty()) break;  // exhausted
      if (int64_t(xs.size()) > opt.evals - res.evals_used) xs.resize(size_t(opt.evals - res.evals_used));
      const std::vector<Fitness> fs = ev.evaluate(xs);
      const double before = best_value(res, spec.objective);
      for (size_t i = 0; i < xs.size(); ++i) {
        if (!fs[i].feasible) ++res.infeasible;
        top_insert(res.top, std::max(1, opt.top_k), xs[i], fs[i], spec.objective);
        if (spec.objective == Objective::Pareto) front_insert(res.front, xs[i], fs[i]);
      }
      res.evals_used += int64_t(xs.size());
      out.evals_used += int64_t(xs.size());
      o->tell(xs, fs);
      ++res.generations;
      ++session_generations;
      const double after = best_value(res, spec.objective);
      if (after < before || (res.history.empty() && std::isfinite(after)))
        res.history.emplace_back(res.evals_used, after);
      if (opt.checkpoint_every > 0 && res.generations % opt.checkpoint_every == 0) {
        out.cost_model_calls += ev.cost_model_calls();  // account before saving
        Status s = save_checkpoint(pi, o.get());
        out.cost_model_calls -= ev.cost_model_calls();
        if (!s.ok()) return s;
      }
      report(false);
      if (opt.stop_after_generations >= 0 && session_generations >= opt.stop_after_generations) {
        out.eval_cache_hits += ev.cache_hits();
        out.interrupted = true;
        out.seconds = now_s() - t0;
        return out;
      }
    }
    out.cost_model_calls += ev.cost_model_calls();
    out.eval_cache_hits += ev.cache_hits();
    res.done = true;
    if (!res.history.empty() && res.history.back().first != res.evals_used)
      res.history.emplace_back(res.evals_used, best_value(res, spec.objective));
    report(true);
    Status s = save_checkpoint(pi, nullptr);
    if (!s.ok()) return s;
  }
  out.seconds = now_s() - t0;
  return out;
}

// ---- results ---------------------------------------------------------------------------------

namespace {
json design_json(const Problem& p, const Entry& e) {
  json layers = json::array();
  for (size_t i = 0; i < p.layers.size(); ++i)
    layers.push_back(json{{"layer", p.layer_index[i]},
                          {"name", p.layers[i].name},
                          {"cycles", e.fitness.layer_cycles.empty() ? 0 : e.fitness.layer_cycles[i]},
                          {"energy_pj", e.fitness.layer_energy_pj.empty() ? 0.0 : e.fitness.layer_energy_pj[i]},
                          {"mapping", mapping_to_json(e.genome.maps[i])}});
  return json{{"cycles", e.fitness.cycles},   {"energy_pj", e.fitness.energy_pj},
              {"area_um2", e.fitness.area_um2}, {"edp", e.fitness.edp()},
              {"hw", hw_to_json(to_hw(p, e.genome))}, {"layers", layers}};
}
}  // namespace

json result_to_json(const SearchSpec& spec, const RunOptions& opt, const SearchOutput& out,
                    bool timing) {
  json j;
  j["workload"] = spec.workload;
  j["mode"] = mode_name(spec.mode);
  j["objective"] = objective_name(spec.objective);
  j["algo"] = opt.algo;
  j["seed"] = opt.seed;
  j["budget"] = json{{"name", spec.budget.name},
                     {"area_um2", spec.budget.area_um2},
                     {"noc_words_per_cycle", spec.budget.noc_words_per_cycle},
                     {"dram_bytes_per_cycle", spec.budget.dram_bytes_per_cycle},
                     {"dram_latency_cycles", spec.budget.dram_latency_cycles}};
  j["evals_requested"] = opt.evals;
  j["evals_per"] = spec.mode == Mode::Model ? "model design" : "layer";
  j["evals_used"] = out.evals_used;
  j["cost_model_calls"] = out.cost_model_calls;
  j["complete"] = !out.interrupted;
  if (opt.algo == "digamma") j["operators"] = ops_summary(opt.algo_options.digamma);

  // Best: one design (model mode) or one per layer (layer mode).
  json best;
  json designs = json::array();
  json mappings = json::array();
  double cycles = 0, energy = 0, area = 0;
  bool all = true;
  int64_t infeasible = 0;
  for (size_t i = 0; i < out.problems.size(); ++i) {
    const ProblemResult& r = out.results[i];
    infeasible += r.infeasible;
    if (r.top.empty()) {
      all = false;
      continue;
    }
    json d = design_json(out.problems[i], r.top[0]);
    cycles += r.top[0].fitness.cycles;
    energy += r.top[0].fitness.energy_pj;
    area = std::max(area, r.top[0].fitness.area_um2);
    for (const json& l : d["layers"])
      mappings.push_back(json{{"layer", l["layer"]}, {"name", l["name"]}, {"mapping", l["mapping"]}});
    designs.push_back(std::move(d));
  }
  j["infeasible_evals"] = infeasible;
  if (all && !designs.empty()) {
    best["cycles"] = cycles;
    best["energy_pj"] = energy;
    best["area_um2"] = area;  // layer mode: the largest of the per-layer designs
    best["edp"] = cycles * energy;
    if (designs.size() == 1) best["hw"] = designs[0]["hw"];
    best["mappings"] = mappings;
    best["designs"] = designs;
    j["best"] = best;
  } else {
    j["best"] = nullptr;
  }

  // Per problem: top-K, Pareto front, history.
  json runs = json::array();
  for (size_t i = 0; i < out.problems.size(); ++i) {
    const ProblemResult& r = out.results[i];
    json top = json::array();
    for (const Entry& e : r.top) top.push_back(design_json(out.problems[i], e));
    json run{{"layers", out.problems[i].layer_index},
             {"evals_used", r.evals_used},
             {"generations", r.generations},
             {"top", top}};
    if (spec.objective == Objective::Pareto) {
      std::vector<Entry> f = r.front;
      std::sort(f.begin(), f.end(), [](const Entry& a, const Entry& b) {
        return pareto_point(a.fitness) < pareto_point(b.fitness);
      });
      json front = json::array();
      for (const Entry& e : f) front.push_back(design_json(out.problems[i], e));
      run["pareto_front"] = front;
    }
    json h = json::array();
    for (auto& [e, v] : r.history) h.push_back(json::array({e, v}));
    run["history"] = h;
    runs.push_back(run);
  }
  j["runs"] = runs;

  // Convergence of the whole: best-so-far summed over problems vs evaluations per problem.
  std::vector<int64_t> xs;
  for (const ProblemResult& r : out.results)
    for (auto& pt : r.history) xs.push_back(pt.first);
  std::sort(xs.begin(), xs.end());
  xs.erase(std::unique(xs.begin(), xs.end()), xs.end());
  json hist = json::array();
  double last = kInf;
  for (int64_t x : xs) {
    double v = 0;
    for (const ProblemResult& r : out.results) v += history_at(r.history, x);
    if (std::isfinite(v) && v != last) {
      hist.push_back(json::array({x, v}));
      last = v;
    }
  }
  // Like each run's history, the whole one ends at the last evaluation, improved or not.
  if (!hist.empty() && hist.back()[0].get<int64_t>() != xs.back())
    hist.push_back(json::array({xs.back(), last}));
  j["history"] = hist;
  if (timing)
    j["timing"] = json{{"seconds", out.seconds},
                       {"threads", opt.threads},
                       {"evals_per_second", out.seconds > 0 ? double(out.evals_used) / out.seconds : 0.0},
                       {"cost_model_calls_per_second",
                        out.seconds > 0 ? double(out.cost_model_calls) / out.seconds : 0.0},
                       {"eval_cache_hits", out.eval_cache_hits}};
  return j;
}

bool is_design_file_name(const std::string& name) {
  return name == "hw.yaml" || name == "mappings.yaml" ||
         ((name.rfind("hw_layer", 0) == 0 || name.rfind("mapping_layer", 0) == 0) &&
          name.size() > 5 && name.substr(name.size() - 5) == ".yaml");
}

Expected<std::vector<std::string>> write_design_files(const SearchSpec& spec,
                                                      const SearchOutput& out,
                                                      const std::string& dir) {
  std::vector<std::string> files;
  std::string base = dir.empty() ? "." : dir;
  while (base.size() > 1 && base.back() == '/') base.pop_back();
  // Create the directory (one level; the CLI creates parents).
  for (size_t i = 0; i < out.problems.size(); ++i) {
    const ProblemResult& r = out.results[i];
    if (r.top.empty()) return Status::Error("search: no feasible design to write");
    const Problem& p = out.problems[i];
    const HwConfig hw = to_hw(p, r.top[0].genome);
    const std::string hw_path = base + "/" +
        (spec.mode == Mode::Model ? std::string("hw.yaml")
                                  : "hw_layer" + std::to_string(p.layer_index[0]) + ".yaml");
    Status s = write_file_atomic(hw_path, hw_to_yaml(hw));
    if (!s.ok()) return s;
    files.push_back(hw_path);
    for (size_t l = 0; l < p.layers.size(); ++l) {
      const std::string mp = base + "/mapping_layer" + std::to_string(p.layer_index[l]) + ".yaml";
      s = write_file_atomic(mp, mapping_to_yaml(r.top[0].genome.maps[l]));
      if (!s.ok()) return s;
      files.push_back(mp);
    }
    if (spec.mode == Mode::Model) {  // the same mappings as one `mappings:` list (for eval)
      std::vector<LayerMapping> list;
      for (size_t l = 0; l < p.layers.size(); ++l) {
        LayerMapping e;
        e.index = p.layer_index[l];
        e.mapping = r.top[0].genome.maps[l];
        list.push_back(e);
      }
      const std::string mp = base + "/mappings.yaml";
      s = write_file_atomic(mp, mapping_list_to_yaml(list));
      if (!s.ok()) return s;
      files.push_back(mp);
    }
  }
  // Design files of an earlier search in the same directory would mix with these (another
  // workload's layers, the other mode's hw files): remove the ones this search did not write.
  // Only our own file names are touched.
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(base, ec)) {
    const std::string name = entry.path().filename().string();
    if (!is_design_file_name(name) || !entry.is_regular_file()) continue;
    if (std::find(files.begin(), files.end(), base + "/" + name) == files.end())
      std::filesystem::remove(entry.path(), ec);
  }
  return files;
}

}  // namespace af::search
