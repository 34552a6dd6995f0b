// Gene-level helpers shared by all algorithms: random genomes, a flat view of the genes for the
// generic baselines (uniform crossover, random-reset mutation), and JSON (de)serialization used by
// checkpoints and results.
#pragma once
#include <cstdint>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "search/problem.h"
#include "search/rng.h"

namespace af::search {

std::vector<int64_t> divisors(int64_t n);  // ascending
DimOrder random_order(Rng& rng);
// A random legal genome: L2 tiles uniform in [1, extent], L1 uniform in [1, L2 tile], random
// orders, PE count uniform in [1, pe_limit], cluster size (cols) a random factor of
// min(L2 tile of col_dim, PEs) (DiGamma's create_genome), then repaired.
Genome random_genome(const Problem& p, Rng& rng);
// DiGamma's "unit base" seed: every tile 1, random hardware genes.
Genome unit_genome(const Problem& p, Rng& rng);

// Flat gene view. Genes: 0 rows, 1 cols, 2 row_dim, 3 col_dim, then per layer the L2 and L1 tile
// of each active dim (extent > 1) and the two loop orders. Every gene is a legal value on its own;
// repair() restores the cross-gene rules (T1 <= T2, area).
class GeneSpace {
 public:
  explicit GeneSpace(const Problem& p);
  size_t size() const { return genes_.size(); }
  void reset(Genome& g, size_t k, Rng& rng) const;                  // random value
  void copy(Genome& dst, const Genome& src, size_t k) const;        // take gene k from src
  // Index of the first gene of layer i and the number of its genes.
  size_t layer_begin(size_t i) const { return layer_begin_[i]; }
  size_t layer_size(size_t i) const { return layer_begin_[i + 1] - layer_begin_[i]; }

 private:
  struct Gene {
    uint8_t kind;  // 0 rows, 1 cols, 2 row_dim, 3 col_dim, 4 T2, 5 T1, 6 O2, 7 O1
    uint32_t layer;
    uint8_t dim;
  };
  const Problem& p_;
  std::vector<Gene> genes_;
  std::vector<size_t> layer_begin_;
};

// JSON.
nlohmann::json hw_to_json(const HwConfig& hw);
nlohmann::json mapping_to_json(const Mapping& m);
nlohmann::json genome_to_json(const Genome& g);
Expected<Genome> genome_from_json(const nlohmann::json& j, const Problem& p);
nlohmann::json fitness_to_json(const Fitness& f);
Fitness fitness_from_json(const nlohmann::json& j);
nlohmann::json rng_to_json(const Rng& r);
void rng_from_json(const nlohmann::json& j, Rng& r);

}  // namespace af::search
