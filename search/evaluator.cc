#include "search/evaluator.h"

#include "costmodel/cost.h"

namespace af::search {

namespace {
struct Item {
  EvalStatus status;
  int64_t cycles = 0;
  double energy_pj = 0;
};

Item eval_item(const Problem& p, const HwConfig& hw, const Genome& g, size_t layer) {
  const Cost c = evaluate(p.layers[layer], hw, g.maps[layer], p.tech,
                          p.calibration.is_identity() ? nullptr : &p.calibration);
  Item it;
  it.status = c.status;
  it.cycles = c.cycles;
  it.energy_pj = c.energy_pj();
  return it;
}

Fitness combine(const Problem& p, const Genome& g, const Item* items) {
  Fitness f;
  const size_t n = p.layers.size();
  f.layer_cycles.resize(n);
  f.layer_energy_pj.resize(n);
  double cycles = 0, energy = 0;
  for (size_t i = 0; i < n; ++i) {
    if (!items[i].status.ok()) {
      f.reason = "layer " + std::to_string(p.layer_index[i]) + ": " + items[i].status.reason();
      f.layer_cycles.clear();
      f.layer_energy_pj.clear();
      return f;
    }
    f.layer_cycles[i] = items[i].cycles;
    f.layer_energy_pj[i] = items[i].energy_pj;
    cycles += double(items[i].cycles);
    energy += items[i].energy_pj;
  }
  f.cycles = cycles;
  f.energy_pj = energy;
  f.area_um2 = genome_area_um2(p, g);
  if (f.area_um2 > p.budget.area_um2) {
    f.reason = "area " + std::to_string(f.area_um2) + " um2 over the budget " +
               std::to_string(p.budget.area_um2);
    return f;
  }
  f.feasible = true;
  return f;
}
}  // namespace

Fitness evaluate_genome(const Problem& p, const Genome& g) {
  const HwConfig hw = to_hw(p, g);
  std::vector<Item> items(p.layers.size());
  for (size_t i = 0; i < items.size(); ++i) items[i] = eval_item(p, hw, g, i);
  return combine(p, g, items.data());
}

ThreadPool::ThreadPool(int threads) : threads_(threads < 1 ? 1 : threads) {
  for (int i = 1; i < threads_; ++i) workers_.emplace_back([this] { worker(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lk(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  for (auto& t : workers_) t.join();
}

void ThreadPool::worker() {
  uint64_t seen = 0;
  for (;;) {
    std::unique_lock<std::mutex> lk(mu_);
    cv_.wait(lk, [&] { return stop_ || generation_ != seen; });
    if (stop_) return;
    seen = generation_;
    const auto* job = job_;
    ++active_;
    while (next_ < n_) {
      const size_t i = next_++;
      lk.unlock();
      (*job)(i);
      lk.lock();
    }
    if (--active_ == 0) done_cv_.notify_all();
  }
}

void ThreadPool::run(size_t n, const std::function<void(size_t)>& fn) {
  if (threads_ <= 1 || n <= 1) {
    for (size_t i = 0; i < n; ++i) fn(i);
    return;
  }
  std::unique_lock<std::mutex> lk(mu_);
  job_ = &fn;
  n_ = n;
  next_ = 0;
  ++generation_;
  cv_.notify_all();
  // The calling thread works too.
  ++active_;
  while (next_ < n_) {
    const size_t i = next_++;
    lk.unlock();
    fn(i);
    lk.lock();
  }
  --active_;
  done_cv_.wait(lk, [&] { return active_ == 0 && next_ >= n_; });
  job_ = nullptr;
  n_ = 0;
}

std::vector<Fitness> Evaluator::evaluate(const std::vector<Genome>& genomes) {
  const size_t L = p_.layers.size();
  const size_t n = genomes.size();
  std::vector<HwConfig> hws(n);
  for (size_t g = 0; g < n; ++g) hws[g] = to_hw(p_, genomes[g]);
  std::vector<Item> items(n * L);
  pool_.run(n * L, [&](size_t k) {
    const size_t g = k / L, l = k % L;
    items[k] = eval_item(p_, hws[g], genomes[g], l);
  });
  calls_ += int64_t(n * L);
  std::vector<Fitness> out(n);
  for (size_t g = 0; g < n; ++g) out[g] = combine(p_, genomes[g], &items[g * L]);
  return out;
}

}  // namespace af::search
