// DiGamma's operators on our genome, and the GA that applies them (see optimizer.h for the
// options and docs/search.md for the mapping from gamma.py to our template).
#pragma once
#include <utility>
#include <vector>

#include "search/optimizer.h"
#include "search/rng.h"

namespace af::search {

// The operators, usable on their own (tests apply them thousands of times). None guarantees
// legality by itself: callers run repair() afterwards, exactly as gamma.py runs
// correctify_tile_dependency after its operators.
class DigammaOperators {
 public:
  DigammaOperators(const Problem& p, const DigammaOptions& o);
  // Layer an operator acts on: uniform, or (model mode, weighted_layers) half uniform and half
  // proportional to the layer's share of the parent's objective.
  size_t pick_layer(const Fitness* parent, Rng& rng) const;
  // Swaps one (active) dimension's tiles at both levels between a and b.
  void crossover(Genome& a, Genome& b, size_t layer, Rng& rng) const;
  // Swaps two loops (of dims with extent > 1) in the L2 or L1 order.
  void reorder(Genome& g, size_t layer, Rng& rng) const;
  // One random gene of the layer: a tile (new value uniform in [1, parent tile]) or a level
  // header (new spatial dim; for the inner level also a new cluster size).
  void mutate_tile(Genome& g, size_t layer, Rng& rng) const;
  // #clusters (rows) resampled from [max(1, M/2), M], M = rows that can still be kept busy.
  void mutate_pe(Genome& g, Rng& rng) const;
  // Swaps the spatial dims of the two levels (row_dim <-> col_dim); gamma.py's mutate_par.
  void level_swap(Genome& g) const;
  // Growth / aging analogues: a 1-D array (cols = 1) grows a second spatial level with a random
  // cluster size and unit tiles; a 2-D array ages into a 1-D one of the same PE count.
  void growth(Genome& g, Rng& rng) const;
  void aging(Genome& g) const;
  // Model mode: `a` keeps its hardware genes and takes, per layer, the mapping of the parent whose
  // cost on that layer was lower.
  void layer_crossover(Genome& a, const Fitness& fa, const Genome& b, const Fitness& fb) const;

 private:
  void set_cluster(Genome& g, size_t layer, Rng& rng) const;
  const Problem& p_;
  DigammaOptions o_;
  std::vector<std::vector<Dim>> active_;
};

class Digamma : public Optimizer {
 public:
  Digamma(const Problem& p, const DigammaOptions& o, uint64_t seed);
  std::vector<Genome> ask(int64_t max_count) override;
  void tell(const std::vector<Genome>& xs, const std::vector<Fitness>& fs) override;
  void save(nlohmann::json& out) const override;
  Status load(const nlohmann::json& in) override;

 private:
  int num_elites() const;
  int num_parents() const;
  const Problem& p_;
  DigammaOptions o_;
  DigammaOperators ops_;
  Rng rng_;
  int64_t gen_ = 0;  // generations told
  std::vector<std::pair<Genome, Fitness>> parents_;  // ranked, best first; elites = first few
};

}  // namespace af::search
