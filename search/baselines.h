// Baseline optimizers (see baselines.cc and docs/search.md).
#pragma once
#include <vector>

#include "search/genes.h"
#include "search/optimizer.h"
#include "search/rng.h"

namespace af::search {

class RandomSearch : public Optimizer {
 public:
  RandomSearch(const Problem& p, int batch, uint64_t seed) : p_(p), batch_(std::max(1, batch)), rng_(seed) {}
  std::vector<Genome> ask(int64_t max_count) override;
  void tell(const std::vector<Genome>&, const std::vector<Fitness>&) override {}
  void save(nlohmann::json& out) const override;
  Status load(const nlohmann::json& in) override;

 private:
  const Problem& p_;
  int batch_;
  Rng rng_;
};

class StandardGa : public Optimizer {
 public:
  StandardGa(const Problem& p, const AlgoOptions& o, uint64_t seed);
  std::vector<Genome> ask(int64_t max_count) override;
  void tell(const std::vector<Genome>& xs, const std::vector<Fitness>& fs) override;
  void save(nlohmann::json& out) const override;
  Status load(const nlohmann::json& in) override;

 private:
  size_t tournament();
  const Problem& p_;
  AlgoOptions o_;
  GeneSpace genes_;
  Rng rng_;
  std::vector<Genome> pop_;  // ranked best-first
  std::vector<Fitness> fit_;
};

class SimulatedAnnealing : public Optimizer {
 public:
  SimulatedAnnealing(const Problem& p, const AlgoOptions& o, uint64_t seed, int64_t budget);
  std::vector<Genome> ask(int64_t max_count) override;
  void tell(const std::vector<Genome>& xs, const std::vector<Fitness>& fs) override;
  void save(nlohmann::json& out) const override;
  Status load(const nlohmann::json& in) override;

 private:
  const Problem& p_;
  AlgoOptions o_;
  GeneSpace genes_;
  Rng rng_;
  int64_t budget_;
  int64_t steps_ = 0;
  bool has_cur_ = false;
  Genome cur_;
  Fitness cur_f_;
};

class DifferentialEvolution : public Optimizer {
 public:
  DifferentialEvolution(const Problem& p, const AlgoOptions& o, uint64_t seed);
  std::vector<Genome> ask(int64_t max_count) override;
  void tell(const std::vector<Genome>& xs, const std::vector<Fitness>& fs) override;
  void save(nlohmann::json& out) const override;
  Status load(const nlohmann::json& in) override;
  Genome decode(const std::vector<double>& x) const;

 private:
  void encode(const Genome& g, std::vector<double>& x) const;
  const Problem& p_;
  AlgoOptions o_;
  Rng rng_;
  size_t dim_;
  size_t next_target_ = 0;
  std::vector<std::vector<double>> pop_;
  std::vector<Fitness> fit_;
  std::vector<std::vector<double>> trials_;  // of the last ask (not saved: checkpoints fall
                                             // between a tell and the next ask)
};

}  // namespace af::search
