// Pareto tools: dominance, NSGA-II ranking (fast non-dominated sort + crowding distance), and an
// archive of the non-dominated points seen so far.
#pragma once
#include <array>
#include <cstddef>
#include <vector>

#include "search/problem.h"

namespace af::search {

using Point = std::array<double, 3>;  // (latency, energy, area), all minimized

bool dominates(const Point& a, const Point& b);
// Front index per point (0 = non-dominated). Infinite points go to the last front.
std::vector<int> nondominated_fronts(const std::vector<Point>& pts);
// Crowding distance per point within its front.
std::vector<double> crowding_distance(const std::vector<Point>& pts, const std::vector<int>& front);
// Indices best first: by (front, -crowding, index).
std::vector<size_t> nsga2_order(const std::vector<Point>& pts);

// Indices of fitnesses best first for an objective: lexicographic key (ties by index), or NSGA-II
// for Objective::Pareto. Infeasible last.
std::vector<size_t> rank_order(const std::vector<Fitness>& fs, Objective o);

}  // namespace af::search
