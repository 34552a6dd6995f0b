// Property tests: writing then reading gives the same value, over a few hundred random layers,
// hardware configurations, mappings and tech tables (seeded std::mt19937_64, so every run sees
// the same cases).
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "core/io.h"

namespace af {
namespace {

template <typename T>
std::string ErrorOf(const Expected<T>& e) {
  return e.ok() ? std::string("<ok>") : e.status().message();
}

int64_t Uniform(std::mt19937_64& rng, int64_t lo, int64_t hi) {
  return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
}

// Mostly small values, sometimes large ones (to exercise big numbers in the text formats).
int64_t Extent(std::mt19937_64& rng, int64_t max_small) {
  return Uniform(rng, 0, 9) == 0 ? Uniform(rng, 1, int64_t{1} << 20) : Uniform(rng, 1, max_small);
}

// Names with characters YAML must quote.
std::string RandomName(std::mt19937_64& rng, int i) {
  static const std::string kChars =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-:#{}[],&*!|>'\"%@` \\";
  std::string s;
  const int64_t len = Uniform(rng, 1, 12);
  for (int64_t k = 0; k < len; ++k) s += kChars[Uniform(rng, 0, kChars.size() - 1)];
  return s + "_" + std::to_string(i);  // unique
}

Layer RandomLayer(std::mt19937_64& rng, int i) {
  while (true) {
    const std::string name = RandomName(rng, i);
    Expected<Layer> l = Status::Error("unset");
    switch (Uniform(rng, 0, 3)) {
      case 0: {
        const int64_t r = Uniform(rng, 1, 7), s = Uniform(rng, 1, 7);
        l = make_conv(name, Uniform(rng, 1, 4), Uniform(rng, 1, 8), Extent(rng, 64),
                      Extent(rng, 64), Uniform(rng, 1, 300), Uniform(rng, 1, 300), r, s,
                      Uniform(rng, 1, 4), Uniform(rng, 1, 4), Uniform(rng, 0, r - 1),
                      Uniform(rng, 0, s - 1));
        break;
      }
      case 1: {
        const int64_t r = Uniform(rng, 1, 7);
        l = make_depthwise(name, Uniform(rng, 1, 4), Extent(rng, 512), Uniform(rng, 1, 300),
                           Uniform(rng, 1, 300), r, Uniform(rng, 1, 7), Uniform(rng, 1, 3),
                           Uniform(rng, 0, r - 1));
        break;
      }
      case 2:
        l = make_gemm(name, Extent(rng, 1024), Extent(rng, 1024), Extent(rng, 1024),
                      Uniform(rng, 1, 16));
        break;
      default:
        l = make_fc(name, Extent(rng, 4096), Extent(rng, 4096), Uniform(rng, 1, 64));
        break;
    }
    if (l.ok()) return l.value();  // rejected shapes (pad >= filter width, ...) are redrawn
  }
}

TEST(core_RoundTrip, RandomWorkloads) {
  std::mt19937_64 rng(20240601);
  int layers = 0;
  for (int round = 0; round < 40; ++round) {
    Workload w;
    w.name = RandomName(rng, round);
    const int64_t n = Uniform(rng, 1, 20);
    int64_t macs = 0;
    while (static_cast<int64_t>(w.layers.size()) < n) {
      Layer l = RandomLayer(rng, static_cast<int>(w.layers.size()));
      if (macs + l.macs() > MAX_WORKLOAD_MACS) continue;  // redrawn, like rejected shapes
      macs += l.macs();
      w.layers.push_back(std::move(l));
    }
    layers += static_cast<int>(n);
    ASSERT_TRUE(validate(w).ok()) << validate(w).message();
    const std::string text = workload_to_yaml(w);
    auto back = parse_workload_yaml(text, "rt.yaml");
    ASSERT_TRUE(back.ok()) << ErrorOf(back) << "\n" << text;
    ASSERT_EQ(*back, w) << text;
    EXPECT_EQ(workload_to_yaml(*back), text);
  }
  EXPECT_GE(layers, 300);
}

HwConfig RandomHw(std::mt19937_64& rng, int i) {
  HwConfig hw;
  hw.name = RandomName(rng, i);
  hw.rows = Uniform(rng, 1, 255);  // the template's limit
  hw.cols = Uniform(rng, 1, 255);
  hw.row_dim = kAllDims[Uniform(rng, 0, kNumDims - 1)];
  do {
    hw.col_dim = kAllDims[Uniform(rng, 0, kNumDims - 1)];
  } while (hw.col_dim == hw.row_dim);
  for (Tensor t : kAllTensors) {
    hw.l1_bytes[idx(t)] = 2 * word_bytes(t) + Uniform(rng, 0, 4096);
    hw.l2_bytes[idx(t)] = 2 * word_bytes(t) + Uniform(rng, 0, int64_t{1} << 24);
  }
  hw.noc_words_per_cycle = Uniform(rng, 1, 64);
  hw.dram_bytes_per_cycle = Uniform(rng, 1, 64);  // the template's limit
  hw.dram_latency_cycles = Uniform(rng, 0, 9) == 0 ? Uniform(rng, 0, 65536) : Uniform(rng, 0, 1000);
  return hw;
}

TEST(core_RoundTrip, RandomHwConfigs) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 300; ++i) {
    const HwConfig hw = RandomHw(rng, i);
    ASSERT_TRUE(validate(hw).ok()) << validate(hw).message();
    const std::string text = hw_to_yaml(hw);
    auto back = parse_hw_yaml(text, "rt.yaml");
    ASSERT_TRUE(back.ok()) << ErrorOf(back) << "\n" << text;
    ASSERT_EQ(*back, hw) << text;
  }
}

DimOrder RandomOrder(std::mt19937_64& rng) {
  DimOrder o = kAllDims;
  std::shuffle(o.begin(), o.end(), rng);
  return o;
}

// A random structurally valid mapping of `layer`.
Mapping RandomMapping(std::mt19937_64& rng, const Layer& layer) {
  Mapping m;
  for (Dim d : kAllDims) {
    m.l2.tile[idx(d)] = Uniform(rng, 1, layer[d]);
    m.l1.tile[idx(d)] = Uniform(rng, 1, m.l2.tile[idx(d)]);
  }
  m.l2.order = RandomOrder(rng);
  m.l1.order = RandomOrder(rng);
  return m;
}

TEST(core_RoundTrip, RandomMappings) {
  std::mt19937_64 rng(99);
  for (int i = 0; i < 300; ++i) {
    const Layer layer = RandomLayer(rng, i);
    const Mapping m = RandomMapping(rng, layer);
    ASSERT_TRUE(validate(m, layer).ok()) << validate(m, layer).message();
    auto back = parse_mapping_yaml(mapping_to_yaml(m), "rt.yaml");
    ASSERT_TRUE(back.ok()) << ErrorOf(back);
    ASSERT_EQ(*back, m);
  }
}

TEST(core_RoundTrip, RandomMappingLists) {
  std::mt19937_64 rng(1234);
  for (int round = 0; round < 30; ++round) {
    Workload w;
    w.name = "w";
    const int64_t n = Uniform(rng, 1, 12);
    for (int64_t i = 0; i < n; ++i) w.layers.push_back(RandomLayer(rng, static_cast<int>(i)));
    std::vector<LayerMapping> entries;
    for (int64_t i = n - 1; i >= 0; --i) {  // any order; by name or by index
      LayerMapping e;
      if (Uniform(rng, 0, 1)) {
        e.layer = w.layers[i].name;
      } else {
        e.index = i;
      }
      e.mapping = RandomMapping(rng, w.layers[i]);
      entries.push_back(e);
    }
    auto back = parse_mapping_list_yaml(mapping_list_to_yaml(entries), "rt.yaml");
    ASSERT_TRUE(back.ok()) << ErrorOf(back);
    ASSERT_EQ(back->size(), entries.size());
    for (size_t i = 0; i < entries.size(); ++i) {
      EXPECT_EQ((*back)[i].layer, entries[i].layer);
      EXPECT_EQ((*back)[i].index, entries[i].index);
      EXPECT_EQ((*back)[i].mapping, entries[i].mapping);
    }
    auto resolved = resolve_mappings(w, *back, "rt.yaml");
    ASSERT_TRUE(resolved.ok()) << ErrorOf(resolved);
    for (int64_t i = 0; i < n; ++i) EXPECT_EQ((*resolved)[i], entries[n - 1 - i].mapping);
  }
}

TEST(core_RoundTrip, RandomTechTables) {
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> mantissa(0.0, 10.0);
  std::uniform_int_distribution<int> exponent(-12, 5);  // validate(Tech): at most 1e6
  auto value = [&](bool positive) {
    double v = mantissa(rng) * std::pow(10.0, exponent(rng));
    if (positive && v == 0) v = 1;
    return v;
  };
  for (int i = 0; i < 200; ++i) {
    Tech t;
    t.mac_um2 = value(true);
    t.sram_um2_per_bit = value(true);
    t.mac_pj = value(false);
    t.sram_pj_per_byte_at_8kib = value(false);
    t.sram_min_pj_per_byte = value(false);
    t.dram_pj_per_byte = value(false);
    t.noc_pj_per_byte = Uniform(rng, 0, 3) == 0 ? 0.0 : value(false);
    ASSERT_TRUE(validate(t).ok()) << validate(t).message();
    const std::string text = tech_to_yaml(t);
    auto back = parse_tech_yaml(text, "rt.yaml");
    ASSERT_TRUE(back.ok()) << ErrorOf(back) << "\n" << text;
    ASSERT_EQ(*back, t) << text;
  }
}

}  // namespace
}  // namespace af
