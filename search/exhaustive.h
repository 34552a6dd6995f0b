// Exhaustive enumeration of a small space (see exhaustive.cc for the space's definition).
#pragma once
#include <utility>
#include <vector>

#include "search/optimizer.h"

namespace af::search {

class Exhaustive : public Optimizer {
 public:
  explicit Exhaustive(const Problem& p);
  uint64_t size() const { return total_; }  // points, legal or not
  Genome point(uint64_t k) const;           // the k-th point (not repaired)
  std::vector<Genome> ask(int64_t max_count) override;
  void tell(const std::vector<Genome>&, const std::vector<Fitness>&) override {}
  bool done() const override { return next_ >= total_; }
  void save(nlohmann::json& out) const override;
  Status load(const nlohmann::json& in) override;

 private:
  struct LayerSpace {
    std::vector<Dim> active, inactive;
    std::vector<uint64_t> pairs;  // (T2, T1) pairs per active dim
    uint64_t perms = 1;           // orders of the active dims
  };
  struct Flow {
    Dim row, col;
    std::vector<std::pair<int64_t, int64_t>> arrays;  // (rows, cols)
  };
  const Problem& p_;
  std::vector<LayerSpace> layers_;
  std::vector<Flow> flows_;
  uint64_t mapping_space_ = 1;
  uint64_t total_ = 0;
  uint64_t next_ = 0;
  uint64_t scanned_ = 0;
};

}  // namespace af::search
