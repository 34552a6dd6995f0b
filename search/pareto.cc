#include "search/pareto.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace af::search {

bool dominates(const Point& a, const Point& b) {
  bool strictly = false;
  for (int i = 0; i < 3; ++i) {
    if (a[i] > b[i]) return false;
    if (a[i] < b[i]) strictly = true;
  }
  return strictly;
}

std::vector<int> nondominated_fronts(const std::vector<Point>& pts) {
  const size_t n = pts.size();
  std::vector<int> front(n, -1);
  std::vector<int> count(n, 0);
  std::vector<std::vector<size_t>> dominated(n);
  for (size_t i = 0; i < n; ++i)
    for (size_t j = i + 1; j < n; ++j) {
      if (dominates(pts[i], pts[j])) {
        dominated[i].push_back(j);
        ++count[j];
      } else if (dominates(pts[j], pts[i])) {
        dominated[j].push_back(i);
        ++count[i];
      }
    }
  std::vector<size_t> cur;
  for (size_t i = 0; i < n; ++i)
    if (count[i] == 0) cur.push_back(i);
  for (int f = 0; !cur.empty(); ++f) {
    std::vector<size_t> next;
    for (size_t i : cur) {
      front[i] = f;
      for (size_t j : dominated[i])
        if (--count[j] == 0) next.push_back(j);
    }
    cur.swap(next);
  }
  return front;
}

std::vector<double> crowding_distance(const std::vector<Point>& pts, const std::vector<int>& front) {
  const size_t n = pts.size();
  std::vector<double> dist(n, 0.0);
  int fronts = 0;
  for (int f : front) fronts = std::max(fronts, f + 1);
  std::vector<std::vector<size_t>> members(fronts);
  for (size_t i = 0; i < n; ++i) members[front[i]].push_back(i);
  constexpr double inf = std::numeric_limits<double>::infinity();
  for (auto& m : members) {
    if (m.size() <= 2) {
      for (size_t i : m) dist[i] = inf;
      continue;
    }
    for (int k = 0; k < 3; ++k) {
      std::vector<size_t> s = m;
      std::stable_sort(s.begin(), s.end(), [&](size_t a, size_t b) { return pts[a][k] < pts[b][k]; });
      const double lo = pts[s.front()][k], hi = pts[s.back()][k];
      dist[s.front()] = dist[s.back()] = inf;
      if (!(hi > lo) || !std::isfinite(hi - lo)) continue;
      for (size_t i = 1; i + 1 < s.size(); ++i)
        dist[s[i]] += (pts[s[i + 1]][k] - pts[s[i - 1]][k]) / (hi - lo);
    }
  }
  return dist;
}

std::vector<size_t> nsga2_order(const std::vector<Point>& pts) {
  const auto front = nondominated_fronts(pts);
  const auto crowd = crowding_distance(pts, front);
  std::vector<size_t> order(pts.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (front[a] != front[b]) return front[a] < front[b];
    if (crowd[a] != crowd[b]) return crowd[a] > crowd[b];
    return a < b;
  });
  return order;
}

std::vector<size_t> rank_order(const std::vector<Fitness>& fs, Objective o) {
  std::vector<size_t> order;
  std::vector<size_t> infeasible;
  for (size_t i = 0; i < fs.size(); ++i) (fs[i].feasible ? order : infeasible).push_back(i);
  if (o == Objective::Pareto) {
    std::vector<Point> pts;
    for (size_t i : order) pts.push_back(pareto_point(fs[i]));
    const auto ord = nsga2_order(pts);
    std::vector<size_t> out;
    for (size_t k : ord) out.push_back(order[k]);
    order.swap(out);
  } else {
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return objective_key(fs[a], o) < objective_key(fs[b], o);
    });
  }
  order.insert(order.end(), infeasible.begin(), infeasible.end());
  return order;
}

}  // namespace af::search
