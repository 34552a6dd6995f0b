// Evaluation of genomes with the cost model, on a fixed pool of threads. Work is split into
// (genome, layer) items; every item is a pure function of its inputs and is written to its own
// slot, and the per-genome sums are formed afterwards in layer order, so the result does not
// depend on the number of threads.
#pragma once
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
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

class Evaluator {
 public:
  Evaluator(const Problem& p, int threads) : p_(p), pool_(threads) {}
  std::vector<Fitness> evaluate(const std::vector<Genome>& genomes);
  int64_t cost_model_calls() const { return calls_; }

 private:
  const Problem& p_;
  ThreadPool pool_;
  int64_t calls_ = 0;
};

}  // namespace af::search
