#include "search/compare.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/io.h"

namespace af::search {

using nlohmann::json;

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();

std::string sanitize(const std::string& s) {
  std::string o;
  for (char c : s) o += (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-') ? c : '_';
  return o;
}

std::string join(const std::vector<std::string>& items) {
  std::string s;
  for (const auto& i : items) s += (s.empty() ? "" : ",") + i;
  return s;
}

std::string num(double v, const char* f = "%.4g") {
  char b[64];
  std::snprintf(b, sizeof b, f, v);
  return b;
}

json run_to_json(const CompareRun& r) {
  json h = json::array();
  for (auto& [e, v] : r.history) h.push_back(json::array({e, v}));
  return json{{"workload", r.workload}, {"budget", r.budget},   {"algo", r.algo},
              {"seed", r.seed},         {"cycles", r.cycles},   {"energy_pj", r.energy_pj},
              {"area_um2", r.area_um2}, {"value", r.value},     {"evals_used", r.evals_used},
              {"cost_model_calls", r.cost_model_calls},         {"seconds", r.seconds},
              {"history", h}};
}

bool run_from_json(const json& j, CompareRun& r) {
  try {
    r.workload = j.at("workload").get<std::string>();
    r.budget = j.at("budget").get<std::string>();
    r.algo = j.at("algo").get<std::string>();
    r.seed = j.at("seed").get<uint64_t>();
    r.cycles = j.at("cycles").get<double>();
    r.energy_pj = j.at("energy_pj").get<double>();
    r.area_um2 = j.at("area_um2").get<double>();
    r.value = j.at("value").get<double>();
    r.evals_used = j.at("evals_used").get<int64_t>();
    r.cost_model_calls = j.at("cost_model_calls").get<int64_t>();
    r.seconds = j.at("seconds").get<double>();
    r.history.clear();
    for (const json& e : j.at("history")) r.history.emplace_back(e.at(0).get<int64_t>(), e.at(1).get<double>());
  } catch (const json::exception&) {
    return false;
  }
  return true;
}

double geomean(const std::vector<double>& v) {
  if (v.empty()) return 0;
  double s = 0;
  for (double x : v) s += std::log(x);
  return std::exp(s / double(v.size()));
}

// Log-spaced evaluation counts in [1, n].
std::vector<int64_t> grid(int64_t n) {
  std::vector<int64_t> xs;
  const int k = 48;
  for (int i = 0; i <= k; ++i) {
    const int64_t x = std::llround(std::pow(double(n), double(i) / k));
    if (xs.empty() || x > xs.back()) xs.push_back(std::max<int64_t>(1, x));
  }
  if (xs.back() != n) xs.push_back(n);
  return xs;
}

const char* kColors[] = {"#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
                         "#e377c2", "#7f7f7f"};

// One panel per budget: geomean over workloads of (mean best so far / best final mean of any
// algorithm on that workload), against evaluations, both axes logarithmic.
std::string convergence_svg(const CompareOptions& o, const std::vector<std::string>& labels,
                            const std::map<std::string, std::vector<double>>& curves,
                            const std::vector<int64_t>& xs) {
  const int pw = 520, ph = 360, ml = 70, mr = 150, mt = 40, mb = 50;
  const int W = int(o.budgets.size()) * (pw + ml + mr), H = ph + mt + mb;
  std::ostringstream s;
  s << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << W << "\" height=\"" << H
    << "\" font-family=\"sans-serif\" font-size=\"12\">\n"
    << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  for (size_t bi = 0; bi < o.budgets.size(); ++bi) {
    const std::string& b = o.budgets[bi];
    const int x0 = int(bi) * (pw + ml + mr) + ml, y0 = mt;
    double ymax = 1.0;
    for (const auto& a : o.algos) {
      auto it = curves.find(b + "|" + a);
      if (it == curves.end()) continue;
      for (double v : it->second)
        if (std::isfinite(v)) ymax = std::max(ymax, v);
    }
    ymax = std::min(ymax, 1e6);
    const double lx1 = std::log10(double(std::max<int64_t>(2, xs.back())));
    const double ly1 = std::max(std::log10(ymax) * 1.05, 0.05);
    auto X = [&](double x) { return x0 + pw * std::log10(std::max(1.0, x)) / lx1; };
    auto Y = [&](double y) { return y0 + ph - ph * std::log10(std::max(1.0, y)) / ly1; };
    s << "<text x=\"" << x0 + pw / 2 << "\" y=\"" << 22 << "\" text-anchor=\"middle\" font-size=\"14\">"
      << "budget " << b << ": best so far / best final (geomean over workloads)</text>\n";
    s << "<rect x=\"" << x0 << "\" y=\"" << y0 << "\" width=\"" << pw << "\" height=\"" << ph
      << "\" fill=\"none\" stroke=\"black\"/>\n";
    for (double d = 1; d <= double(xs.back()) * 1.0001; d *= 10) {
      s << "<line x1=\"" << X(d) << "\" y1=\"" << y0 << "\" x2=\"" << X(d) << "\" y2=\"" << y0 + ph
        << "\" stroke=\"#ddd\"/>\n<text x=\"" << X(d) << "\" y=\"" << y0 + ph + 16
        << "\" text-anchor=\"middle\">" << num(d, "%.0f") << "</text>\n";
    }
    for (double t : {1.0, 1.1, 1.25, 1.5, 2.0, 3.0, 5.0, 10.0, 30.0, 100.0, 1000.0}) {
      if (std::log10(t) > ly1) break;
      s << "<line x1=\"" << x0 << "\" y1=\"" << Y(t) << "\" x2=\"" << x0 + pw << "\" y2=\"" << Y(t)
        << "\" stroke=\"#ddd\"/>\n<text x=\"" << x0 - 6 << "\" y=\"" << Y(t) + 4
        << "\" text-anchor=\"end\">" << num(t, "%g") << "x</text>\n";
    }
    s << "<text x=\"" << x0 + pw / 2 << "\" y=\"" << y0 + ph + 36 << "\" text-anchor=\"middle\">"
      << "evaluations per " << (o.mode == Mode::Model ? "model design" : "layer") << "</text>\n";
    for (size_t ai = 0; ai < o.algos.size(); ++ai) {
      auto it = curves.find(b + "|" + o.algos[ai]);
      if (it == curves.end()) continue;
      std::ostringstream path;
      bool started = false;
      for (size_t k = 0; k < xs.size(); ++k) {
        const double v = it->second[k];
        if (!std::isfinite(v)) continue;
        path << (started ? " L " : "M ") << num(X(double(xs[k])), "%.1f") << " "
             << num(Y(std::min(v, ymax)), "%.1f");
        started = true;
      }
      const char* c = kColors[ai % 8];
      if (started)
        s << "<path d=\"" << path.str() << "\" fill=\"none\" stroke=\"" << c
          << "\" stroke-width=\"2\"/>\n";
      const int ly = y0 + 16 + int(ai) * 18;
      s << "<line x1=\"" << x0 + pw + 10 << "\" y1=\"" << ly << "\" x2=\"" << x0 + pw + 34
        << "\" y2=\"" << ly << "\" stroke=\"" << c << "\" stroke-width=\"2\"/>\n<text x=\""
        << x0 + pw + 40 << "\" y=\"" << ly + 4 << "\">" << o.algos[ai] << "</text>\n";
    }
  }
  (void)labels;
  s << "</svg>\n";
  return s.str();
}
}  // namespace

std::string workload_label(const std::string& arg) {
  if (arg.find('/') == std::string::npos && arg.find('.') == std::string::npos) return arg;
  return std::filesystem::path(arg).filename().string();
}

Expected<CompareResult> run_compare(const CompareOptions& o) {
  if (o.workloads.empty()) return Status::Error("compare: no workloads");
  if (o.budgets.empty()) return Status::Error("compare: no budgets");
  if (o.algos.empty()) return Status::Error("compare: no algorithms");
  if (o.seeds < 1) return Status::Error("--seeds: must be >= 1");
  if (o.first_seed > UINT64_MAX - uint64_t(o.seeds - 1))
    return Status::Error("--first-seed: " + std::to_string(o.first_seed) + " + " +
                         std::to_string(o.seeds) + " seeds pass 2^64 (allowed: seeds that do not wrap)");
  for (const auto& a : o.algos)
    if (std::find(algo_names().begin(), algo_names().end(), a) == algo_names().end())
      return Status::Error("--algos: unknown '" + a + "' (allowed: digamma, random, stdga, sa, de, exhaustive)");
  // The table is DiGamma's speedup over the best baseline: both must be there.
  const size_t n_dg = size_t(std::count(o.algos.begin(), o.algos.end(), "digamma"));
  if (n_dg == 0 || o.algos.size() < 2)
    return Status::Error("--algos: '" + join(o.algos) +
                         "' (allowed: digamma and at least one baseline)");
  // Repeated entries would be run (and counted in the geomean) twice, or share run files.
  auto check_distinct = [](const char* option, const std::vector<std::string>& items,
                           const std::vector<std::string>& keys) -> Status {
    for (size_t i = 0; i < keys.size(); ++i) {
      if (items[i].empty()) return Status::Error(std::string(option) + ": an empty item (allowed: a comma-separated list)");
      for (size_t j = 0; j < i; ++j)
        if (keys[i] == keys[j])
          return Status::Error(std::string(option) + ": '" + items[i] + "' and '" + items[j] +
                               "' name the same " + (items[i] == items[j] ? "item" : "run files") +
                               (items[i] == items[j]
                                    ? std::string(" (allowed: distinct items)")
                                    : std::string(" (allowed: distinct file names; copy one "
                                                  "workload file under another name)")));
    }
    return Status();
  };
  std::vector<std::string> labels;
  for (const auto& w : o.workloads) labels.push_back(workload_label(w));
  std::vector<std::string> label_keys, budget_keys;
  for (const auto& l : labels) label_keys.push_back(sanitize(l));
  for (const auto& b : o.budgets) budget_keys.push_back(sanitize(b));
  if (Status s = check_distinct("--workloads", o.workloads, label_keys); !s.ok()) return s;
  if (Status s = check_distinct("--budgets", o.budgets, budget_keys); !s.ok()) return s;
  if (Status s = check_distinct("--algos", o.algos, o.algos); !s.ok()) return s;

  // Load everything first so that bad input fails before hours of work (and before the output
  // directory is created).
  std::vector<Workload> wls;
  for (const auto& w : o.workloads) {
    auto wl = load_workload(w);
    if (!wl.ok()) return wl.status();
    wls.push_back(std::move(wl).value());
  }
  std::vector<Budget> budgets;
  for (const auto& b : o.budgets) {
    auto bu = parse_budget(b);
    if (!bu.ok()) return bu.status();
    // Budgets that are the same area ("0.2" and "0.20", "edge" and "0.2") would be the same runs.
    for (size_t j = 0; j < budgets.size(); ++j)
      if (bu->area_um2 == budgets[j].area_um2)
        return Status::Error("--budgets: '" + b + "' and '" + o.budgets[j] +
                             "' are the same area (allowed: distinct budgets)");
    budgets.push_back(bu.value());
  }
  const Objective vo = o.objective == Objective::Pareto ? Objective::Latency : o.objective;
  auto make_spec = [&](size_t wi, size_t bi) {
    SearchSpec spec;
    spec.workload = labels[wi];
    for (size_t i = 0; i < wls[wi].layers.size(); ++i) {
      spec.layers.push_back(wls[wi].layers[i]);
      spec.layer_index.push_back(int(i));
    }
    spec.mode = o.mode;
    spec.objective = vo;
    spec.budget = budgets[bi];
    return spec;
  };
  auto run_options = [&](const std::string& algo, uint64_t seed) {
    RunOptions ro;
    ro.algo = algo;
    ro.algo_options = o.algo_options;
    ro.evals = o.evals;
    ro.seed = seed;
    ro.threads = o.threads;
    return ro;
  };
  // Every run is checked before any runs (an exhaustive space over its limit used to fail after
  // the other algorithms' runs had been written).
  for (size_t wi = 0; wi < wls.size(); ++wi)
    for (size_t bi = 0; bi < budgets.size(); ++bi)
      for (const auto& algo : o.algos)
        if (Status s = check_search(make_spec(wi, bi), run_options(algo, o.first_seed)); !s.ok())
          return Status::Error(labels[wi] + " " + o.budgets[bi] + " " + algo + ": " + s.message());
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(o.out_dir) / "runs", ec);
  if (ec) return Status::Error("--out: '" + o.out_dir + "': cannot create directory (" + ec.message() + ")");

  CompareResult res;
  const size_t total = wls.size() * budgets.size() * o.algos.size() * size_t(o.seeds);
  size_t done = 0;
  for (size_t wi = 0; wi < wls.size(); ++wi)
    for (size_t bi = 0; bi < budgets.size(); ++bi) {
      const SearchSpec spec = make_spec(wi, bi);
      for (const auto& algo : o.algos)
        for (int s = 0; s < o.seeds; ++s) {
          const uint64_t seed = o.first_seed + uint64_t(s);
          const std::string file = (std::filesystem::path(o.out_dir) / "runs" /
                                    (sanitize(labels[wi]) + "_" + sanitize(o.budgets[bi]) + "_" +
                                     algo + "_s" + std::to_string(seed) + ".json")).string();
          CompareRun run;
          bool have = false;
          // A stored run is reused only if the search it ran is this one (same layers, budget,
          // algorithm options, ...), not merely the same file name.
          const RunOptions ro = run_options(algo, seed);
          json fp = search_fingerprint(spec, ro);
          if (o.resume) {
            std::ifstream in(file);
            if (in) {
              try {
                const json j = json::parse(in);
                have = j.contains("fingerprint") && j["fingerprint"] == fp &&
                       run_from_json(j, run);
              } catch (const json::exception&) {
                have = false;
              }
            }
          }
          if (!have) {
            auto out = run_search(spec, ro);
            if (!out.ok()) return Status::Error(labels[wi] + " " + o.budgets[bi] + " " + algo + ": " + out.status().message());
            const json j = result_to_json(spec, ro, *out);
            run.workload = labels[wi];
            run.budget = o.budgets[bi];
            run.algo = algo;
            run.seed = seed;
            if (j["best"].is_null()) {
              run.cycles = run.energy_pj = run.area_um2 = run.value = kInf;
            } else {
              run.cycles = j["best"]["cycles"].get<double>();
              run.energy_pj = j["best"]["energy_pj"].get<double>();
              run.area_um2 = j["best"]["area_um2"].get<double>();
              run.value = vo == Objective::Latency ? run.cycles
                          : vo == Objective::Energy ? run.energy_pj
                          : vo == Objective::Edp    ? run.cycles * run.energy_pj
                                                    : run.area_um2;
            }
            run.evals_used = out->evals_used;
            run.cost_model_calls = out->cost_model_calls;
            run.seconds = out->seconds;
            for (const json& e : j["history"]) {
              // The whole-workload history is of the primary objective summed over problems.
              run.history.emplace_back(e[0].get<int64_t>(), e[1].get<double>());
            }
            json rj = run_to_json(run);
            rj["evals_requested"] = o.evals;
            rj["mode"] = mode_name(o.mode);
            rj["objective"] = objective_name(vo);
            rj["fingerprint"] = fp;
            Status st = write_file_atomic(file, rj.dump() + "\n");
            if (!st.ok()) return st;
          }
          ++done;
          if (o.progress)
            o.progress("compare: [" + std::to_string(done) + "/" + std::to_string(total) + "] " +
                       labels[wi] + " " + o.budgets[bi] + " " + algo + " seed " +
                       std::to_string(seed) + ": " + num(run.value) + " " + objective_name(vo) +
                       (have ? " (reused)" : " (" + num(run.seconds, "%.2f") + " s)"));
          res.runs.push_back(std::move(run));
        }
    }

  // Aggregate: mean over seeds.
  std::map<std::string, double> mean;     // w|b|a
  std::map<std::string, double> mean_area, mean_energy, mean_secs;
  std::map<std::string, int> count;
  for (const auto& r : res.runs) {
    const std::string k = r.workload + "|" + r.budget + "|" + r.algo;
    mean[k] += r.value;
    mean_area[k] += r.area_um2;
    mean_energy[k] += r.energy_pj;
    mean_secs[k] += r.seconds;
    count[k] += 1;
  }
  for (auto& [k, v] : mean) {
    v /= count[k];
    mean_area[k] /= count[k];
    mean_energy[k] /= count[k];
    mean_secs[k] /= count[k];
  }
  const bool has_dg = std::find(o.algos.begin(), o.algos.end(), "digamma") != o.algos.end();
  std::vector<std::string> baselines;
  for (const auto& a : o.algos)
    if (a != "digamma") baselines.push_back(a);

  std::ostringstream csv, md, runs_csv, conv_csv;
  csv << "workload,budget";
  for (const auto& a : o.algos) csv << "," << a;
  csv << ",best_baseline,best_baseline_value,speedup\n";
  md << "# DiGamma vs baselines\n\n"
     << "Mode `" << mode_name(o.mode) << "`, objective `" << objective_name(vo) << "`, " << o.evals
     << " evaluations per " << (o.mode == Mode::Model ? "whole-model design" : "layer") << ", "
     << o.seeds << " seed(s) (" << o.first_seed << ".." << o.first_seed + uint64_t(o.seeds) - 1
     << "), mean over seeds. Cells: mean " << objective_name(vo)
     << (vo == Objective::Latency  ? " (cycles, summed over layers)"
         : vo == Objective::Energy ? " (pJ, summed over layers)"
         : vo == Objective::Edp    ? " (cycles x pJ of the summed totals)"
                                   : " (um2)")
     << "; speedup = best baseline mean / DiGamma mean.\n\n";
  res.geomean_speedup.assign(o.budgets.size(), 0.0);
  for (size_t bi = 0; bi < o.budgets.size(); ++bi) {
    const std::string& b = o.budgets[bi];
    md << "## Budget " << b << " (" << num(budgets[bi].area_um2 / 1e6, "%g") << " mm2)\n\n| workload |";
    for (const auto& a : o.algos) md << " " << a << " |";
    md << " best baseline | speedup |\n|---|";
    for (size_t i = 0; i < o.algos.size(); ++i) md << "---:|";
    md << "---|---:|\n";
    std::vector<double> speedups;
    for (const auto& w : labels) {
      md << "| " << w << " |";
      csv << w << "," << b;
      for (const auto& a : o.algos) {
        const double v = mean[w + "|" + b + "|" + a];
        md << " " << num(v) << " |";
        csv << "," << num(v, "%.10g");
      }
      std::string bb;
      double bv = kInf;
      for (const auto& a : baselines) {
        const double v = mean[w + "|" + b + "|" + a];
        if (v < bv) {
          bv = v;
          bb = a;
        }
      }
      double sp = 0;
      if (has_dg && !bb.empty()) {
        sp = bv / mean[w + "|" + b + "|digamma"];
        if (std::isfinite(sp) && sp > 0) speedups.push_back(sp);
      }
      md << " " << (bb.empty() ? "-" : bb) << " | " << (sp > 0 ? num(sp, "%.3f") + "x" : "-") << " |\n";
      csv << "," << bb << "," << num(bv, "%.10g") << "," << num(sp, "%.6g") << "\n";
    }
    const double gm = geomean(speedups);
    res.geomean_speedup[bi] = gm;
    md << "| **geomean speedup** |";
    for (size_t i = 0; i < o.algos.size(); ++i) md << " |";
    md << " | **" << num(gm, "%.3f") << "x** |\n\n";
  }
  md << "Paper (DiGamma, DATE 2022, abstract): geomean speedup over the best baseline **3.0x** "
        "(edge) and **10.0x** (cloud), on seven models with MAESTRO as the cost model.\n\n";
  md << "Mean area (mm2) and wall time per run (s):\n\n| workload | budget |";
  for (const auto& a : o.algos) md << " " << a << " |";
  md << "\n|---|---|";
  for (size_t i = 0; i < o.algos.size(); ++i) md << "---:|";
  md << "\n";
  for (const auto& w : labels)
    for (const auto& b : o.budgets) {
      md << "| " << w << " | " << b << " |";
      for (const auto& a : o.algos) {
        const std::string k = w + "|" + b + "|" + a;
        md << " " << num(mean_area[k] / 1e6, "%.3f") << " / " << num(mean_secs[k], "%.2f") << " |";
      }
      md << "\n";
    }

  runs_csv << "workload,budget,algo,seed,cycles,energy_pj,area_um2,value,evals_used,cost_model_calls,seconds\n";
  for (const auto& r : res.runs)
    runs_csv << r.workload << "," << r.budget << "," << r.algo << "," << r.seed << ","
             << num(r.cycles, "%.10g") << "," << num(r.energy_pj, "%.10g") << ","
             << num(r.area_um2, "%.10g") << "," << num(r.value, "%.10g") << "," << r.evals_used
             << "," << r.cost_model_calls << "," << num(r.seconds, "%.4f") << "\n";

  // Convergence: per (workload, budget, algo) the mean over seeds of best-so-far at each grid
  // point; the plot normalizes by the best final mean of any algorithm for that workload.
  const auto xs = grid(o.evals);
  conv_csv << "workload,budget,algo,evals,mean_best,normalized\n";
  std::map<std::string, std::vector<double>> curves;  // b|a -> geomean normalized
  for (const auto& b : o.budgets) {
    std::map<std::string, std::vector<std::vector<double>>> per_algo;  // a -> per workload curve
    for (const auto& w : labels) {
      double best_final = kInf;
      for (const auto& a : o.algos) best_final = std::min(best_final, mean[w + "|" + b + "|" + a]);
      for (const auto& a : o.algos) {
        std::vector<double> curve(xs.size(), 0.0);
        int n = 0;
        for (const auto& r : res.runs) {
          if (r.workload != w || r.budget != b || r.algo != a) continue;
          ++n;
          for (size_t k = 0; k < xs.size(); ++k) curve[k] += history_at(r.history, xs[k]);
        }
        for (size_t k = 0; k < xs.size(); ++k) {
          curve[k] = n ? curve[k] / n : kInf;
          // Before a seed's first feasible design there is no best yet: empty cells, not inf.
          const bool known = std::isfinite(curve[k]);
          conv_csv << w << "," << b << "," << a << "," << xs[k] << ","
                   << (known ? num(curve[k], "%.10g") : "") << ","
                   << (known ? num(curve[k] / best_final, "%.6g") : "") << "\n";
          curve[k] /= best_final;
        }
        per_algo[a].push_back(curve);
      }
    }
    for (const auto& a : o.algos) {
      std::vector<double> g(xs.size(), kInf);
      for (size_t k = 0; k < xs.size(); ++k) {
        std::vector<double> v;
        bool fin = true;
        for (const auto& c : per_algo[a]) {
          fin = fin && std::isfinite(c[k]);
          v.push_back(c[k]);
        }
        if (fin) g[k] = geomean(v);
      }
      curves[b + "|" + a] = g;
    }
  }

  json all = json::array();
  for (const auto& r : res.runs) all.push_back(run_to_json(r));
  json summary{{"mode", mode_name(o.mode)}, {"objective", objective_name(vo)},
               {"evals", o.evals},          {"seeds", o.seeds},
               {"workloads", labels},       {"budgets", o.budgets},
               {"algos", o.algos},          {"geomean_speedup", res.geomean_speedup},
               {"runs", all}};
  const std::filesystem::path dir(o.out_dir);
  const std::pair<std::string, std::string> files[] = {
      {"table.md", md.str()},
      {"table.csv", csv.str()},
      {"runs.csv", runs_csv.str()},
      {"convergence.csv", conv_csv.str()},
      {"convergence.svg", convergence_svg(o, labels, curves, xs)},
      {"results.json", summary.dump(1) + "\n"}};
  for (const auto& [name, text] : files) {
    const std::string path = (dir / name).string();
    Status s = write_file_atomic(path, text);
    if (!s.ok()) return s;
    res.files.push_back(path);
  }
  return res;
}

}  // namespace af::search
