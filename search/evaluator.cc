// Genome evaluation (search/evaluator.h): items on the thread pool, the mapping-cost cache, and
// the per-genome sums.
#include "search/evaluator.h"

#include <cstdint>

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

bool MappingCache::Key::operator==(const Key& o) const {
  return layer == o.layer && row_dim == o.row_dim && col_dim == o.col_dim && rows == o.rows &&
         cols == o.cols && mapping.l2 == o.mapping.l2 && mapping.l1 == o.mapping.l1;
}

size_t MappingCache::KeyHash::operator()(const Key& k) const {
  uint64_t h = 1469598103934665603ULL;  // FNV-1a over the fields
  auto mix = [&h](uint64_t v) {
    h ^= v;
    h *= 1099511628211ULL;
  };
  mix(uint64_t(k.layer) << 16 | uint64_t(k.row_dim) << 8 | k.col_dim);
  mix(uint64_t(k.rows) << 32 ^ uint64_t(k.cols));
  for (const LevelMapping* lv : {&k.mapping.l2, &k.mapping.l1}) {
    for (int64_t t : lv->tile) mix(uint64_t(t));
    uint64_t o = 0;
    for (Dim d : lv->order) o = o * 8 + uint64_t(d);
    mix(o);
  }
  return size_t(h ^ (h >> 29));
}

const MappingCost* MappingCache::find(const Key& k) {
  if (!enabled()) return nullptr;
  auto it = newer_.find(k);
  if (it != newer_.end()) return &it->second;
  auto old = older_.find(k);
  if (old == older_.end()) return nullptr;
  const MappingCost v = old->second;
  older_.erase(old);
  insert(k, v);
  return &newer_.find(k)->second;
}

void MappingCache::insert(const Key& k, const MappingCost& v) {
  if (!enabled()) return;
  if (newer_.size() >= half_) {
    older_ = std::move(newer_);
    newer_ = Map();
  }
  newer_.emplace(k, v);
}

std::vector<Fitness> Evaluator::evaluate(const std::vector<Genome>& genomes) {
  const size_t L = p_.layers.size();
  const size_t n = genomes.size();
  std::vector<HwConfig> hws(n);
  for (size_t g = 0; g < n; ++g) hws[g] = to_hw(p_, genomes[g]);
  // The mapping part of every item: from the cache, or computed (once per distinct key of this
  // batch) on the pool. Lookups and inserts happen on this thread, in item order.
  std::vector<MappingCost> parts(n * L);
  std::vector<MappingCache::Key> keys(cache_.enabled() ? n * L : 0);
  std::vector<size_t> todo;          // items to compute
  std::vector<size_t> same_as(n * L, SIZE_MAX);  // an item of this batch with the same key
  std::unordered_map<MappingCache::Key, size_t, MappingCache::KeyHash> batch;
  for (size_t k = 0; k < n * L; ++k) {
    const size_t g = k / L, l = k % L;
    if (!cache_.enabled()) {
      todo.push_back(k);
      continue;
    }
    MappingCache::Key& key = keys[k];
    key.layer = uint32_t(l);
    key.row_dim = uint8_t(idx(genomes[g].row_dim));
    key.col_dim = uint8_t(idx(genomes[g].col_dim));
    key.rows = genomes[g].rows;
    key.cols = genomes[g].cols;
    key.mapping = genomes[g].maps[l];
    if (const MappingCost* hit = cache_.find(key)) {
      parts[k] = *hit;
      ++hits_;
      continue;
    }
    auto [it, fresh] = batch.emplace(key, k);
    if (fresh) {
      todo.push_back(k);
    } else {
      same_as[k] = it->second;
      ++hits_;
    }
  }
  pool_.run(todo.size(), [&](size_t i) {
    const size_t k = todo[i];
    parts[k] = evaluate_mapping(p_.layers[k % L], hws[k / L], genomes[k / L].maps[k % L]);
  });
  for (size_t k : todo)
    if (cache_.enabled()) cache_.insert(keys[k], parts[k]);
  for (size_t k = 0; k < n * L; ++k)
    if (same_as[k] != SIZE_MAX) parts[k] = parts[same_as[k]];
  calls_ += int64_t(n * L);

  std::vector<Item> items(n * L);
  const Calibration* cal = p_.calibration.is_identity() ? nullptr : &p_.calibration;
  for (size_t k = 0; k < n * L; ++k) {
    const Cost c = finish_evaluation(parts[k], hws[k / L], p_.tech, cal);
    items[k] = Item{c.status, c.cycles, c.energy_pj()};
  }
  std::vector<Fitness> out(n);
  for (size_t g = 0; g < n; ++g) out[g] = combine(p_, genomes[g], &items[g * L]);
  return out;
}

}  // namespace af::search
