// Google Benchmark microbenchmarks of the cost model: one evaluation of a random legal mapping of
// each kind of layer, and the buffer-need check the search uses for repair.
#include <benchmark/benchmark.h>

#include "core/hw_config.h"
#include "core/zoo.h"
#include "costmodel/cost.h"
#include "costmodel/random_mapping.h"

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
