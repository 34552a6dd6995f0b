// Google Benchmark microbenchmarks of the cost model: one evaluation of a random legal mapping of
// each kind of layer, its parts (geometry, access counts, cycles, finishing), and the buffer-need
// check the search uses for repair.
#include <benchmark/benchmark.h>

#include "core/hw_config.h"
#include "core/zoo.h"
#include "costmodel/cost.h"
#include "costmodel/counts.h"
#include "costmodel/random_mapping.h"
#include "costmodel/tiling.h"
#include "costmodel/timing.h"

namespace {

struct Points {
  std::vector<af::Layer> layers;
  std::vector<af::Mapping> mappings;
  af::HwConfig hw;
};

Points make_points(const std::string& model, const std::string& preset, int count) {
  Points p;
  p.hw = *af::hw_preset(preset);
  const af::Workload w = *af::zoo_model(model);
  for (int i = 0; static_cast<int>(p.mappings.size()) < count; ++i) {
    const af::Layer& layer = w.layers[i % w.layers.size()];
    auto m = af::random_mapping(layer, p.hw, 1000 + i);
    if (!m.ok()) continue;
    p.layers.push_back(layer);
    p.mappings.push_back(*m);
  }
  return p;
}

void BM_Evaluate(benchmark::State& state, const char* model, const char* preset) {
  const Points p = make_points(model, preset, 1024);
  const af::Tech tech;
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(af::evaluate(p.layers[i], p.hw, p.mappings[i], tech));
    i = (i + 1) % p.mappings.size();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK_CAPTURE(BM_Evaluate, resnet18_edge, "resnet18", "edge");
BENCHMARK_CAPTURE(BM_Evaluate, mobilenet_v2_edge, "mobilenet_v2", "edge");
BENCHMARK_CAPTURE(BM_Evaluate, bert_cloud, "bert", "cloud");

// The parts of evaluate() on the mappings of `bench model` (resnet18 on edge), so that a change can
// be attributed: the closed-form access counts, the cycle model (neighbour enumeration), and the
// rest of an evaluation (legality, buffer needs, calibration, energy, area).
std::vector<af::model::Geometry> geometries(const Points& p) {
  std::vector<af::model::Geometry> g;
  for (size_t i = 0; i < p.mappings.size(); ++i)
    g.push_back(af::model::make_geometry(p.layers[i], p.hw, p.mappings[i]));
  return g;
}

void BM_PartAccessCounts(benchmark::State& state) {
  const Points p = make_points("resnet18", "edge", 1024);
  const auto g = geometries(p);
  size_t i = 0;
  for (auto _ : state) {
    af::AccessTable acc;
    benchmark::DoNotOptimize(af::model::count_accesses(g[i], acc));
    benchmark::DoNotOptimize(acc);
    i = (i + 1) % g.size();
  }
}
BENCHMARK(BM_PartAccessCounts);

void BM_PartCycles(benchmark::State& state) {
  const Points p = make_points("resnet18", "edge", 1024);
  const auto g = geometries(p);
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(af::model::layer_cycles(g[i], p.hw));
    i = (i + 1) % g.size();
  }
}
BENCHMARK(BM_PartCycles);

void BM_PartFinish(benchmark::State& state) {
  const Points p = make_points("resnet18", "edge", 1024);
  std::vector<af::MappingCost> parts;
  for (size_t i = 0; i < p.mappings.size(); ++i)
    parts.push_back(af::evaluate_mapping(p.layers[i], p.hw, p.mappings[i]));
  const af::Tech tech;
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(af::finish_evaluation(parts[i], p.hw, tech));
    i = (i + 1) % parts.size();
  }
}
BENCHMARK(BM_PartFinish);

// evaluate() on the resnet18/edge mappings whose L2 tiles are ragged in exactly N dims (2^N
// L2-tile shapes, each with its own L1 pipeline): where the time of BM_Evaluate goes.
void BM_EvaluateByRaggedL2Dims(benchmark::State& state) {
  const Points all = make_points("resnet18", "edge", 8192);
  Points p;
  p.hw = all.hw;
  for (size_t i = 0; i < all.mappings.size(); ++i) {
    int ragged = 0;
    for (int d = 0; d < af::kNumDims; ++d)
      ragged += af::model::split(all.layers[i].dims[d], all.mappings[i].l2.tile[d]).ragged();
    if (ragged != state.range(0)) continue;
    p.layers.push_back(all.layers[i]);
    p.mappings.push_back(all.mappings[i]);
  }
  if (p.mappings.empty()) {
    state.SkipWithError("no mapping with that many ragged dims");
    return;
  }
  const af::Tech tech;
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(af::evaluate(p.layers[i], p.hw, p.mappings[i], tech));
    i = (i + 1) % p.mappings.size();
  }
  state.counters["share_of_mappings"] = double(p.mappings.size()) / double(all.mappings.size());
}
BENCHMARK(BM_EvaluateByRaggedL2Dims)->DenseRange(0, 5);

void BM_RequiredBuffers(benchmark::State& state) {
  const Points p = make_points("resnet18", "edge", 1024);
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(af::required_buffer_bytes(p.layers[i], p.hw, p.mappings[i]));
    i = (i + 1) % p.mappings.size();
  }
}
BENCHMARK(BM_RequiredBuffers);

}  // namespace
