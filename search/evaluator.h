// Evaluation of genomes with the cost model, on a fixed pool of threads. Work is split into
// (genome, layer) items; every item is a pure function of its inputs and is written to its own
// slot, and the per-genome sums are formed afterwards in layer order, so the result does not
// depend on the number of threads.
//
// Children repeat most of their parents' layers (in model mode 84-93 % of the (array, dataflow,
// layer, mapping) items DiGamma, the standard GA and annealing ask for were asked for before), so
// the Evaluator keeps the mapping part of each evaluation (costmodel evaluate_mapping: counts and
// cycles, which do not depend on the buffer capacities) and only finishes a repeat (capacities,
// energy, area). Results are identical with or without the cache.
#pragma once
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "search/problem.h"

namespace af::search {

// Evaluates one genome on one thread (sums over the problem's layers).
Fitness evaluate_genome(const Problem& p, const Genome& g);

// A small pool: run(n, fn) calls fn(i) for i in [0, n) on `threads` threads and returns when all
// are done. threads <= 1 runs inline.
class ThreadPool {
 public:
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;
  int threads() const { return threads_; }
  void run(size_t n, const std::function<void(size_t)>& fn);

 private:
  void worker();
  int threads_;
  std::vector<std::thread> workers_;
  std::mutex mu_;
  std::condition_variable cv_, done_cv_;
  const std::function<void(size_t)>* job_ = nullptr;
  size_t n_ = 0, next_ = 0, active_ = 0;
  uint64_t generation_ = 0;
  bool stop_ = false;
};

// The mapping part of evaluations already made, keyed by what it depends on besides the problem's
// fixed interfaces: the layer, the array and dataflow genes and the mapping. Bounded: two
// generations of at most `capacity / 2` entries each; when the newer one is full the older one is
// dropped (a hit in the older one moves the entry to the newer one).
class MappingCache {
 public:
  struct Key {
    uint32_t layer = 0;
    uint8_t row_dim = 0, col_dim = 0;
    int64_t rows = 0, cols = 0;
    Mapping mapping;
    bool operator==(const Key& o) const;
  };
  struct KeyHash {
    size_t operator()(const Key& k) const;
  };
  explicit MappingCache(size_t capacity) : half_(capacity / 2) {}
  const MappingCost* find(const Key& k);
  void insert(const Key& k, const MappingCost& v);
  bool enabled() const { return half_ > 0; }

 private:
  using Map = std::unordered_map<Key, MappingCost, KeyHash>;
  size_t half_;
  Map newer_, older_;
};

class Evaluator {
 public:
  // About 0.6 KB per entry: at most ~80 MB.
  static constexpr size_t kDefaultCacheEntries = size_t{1} << 17;
  Evaluator(const Problem& p, int threads, size_t cache_entries = kDefaultCacheEntries)
      : p_(p), pool_(threads), cache_(cache_entries) {}
  std::vector<Fitness> evaluate(const std::vector<Genome>& genomes);
  // Layer evaluations asked for (genomes x layers), and how many of them the cache answered.
  int64_t cost_model_calls() const { return calls_; }
  int64_t cache_hits() const { return hits_; }

 private:
  const Problem& p_;
  ThreadPool pool_;
  MappingCache cache_;
  int64_t calls_ = 0, hits_ = 0;
};

}  // namespace af::search
