// One ask/tell interface for every search algorithm. The driver (driver.h) asks for candidates,
// evaluates them (counting one evaluation per candidate, whatever the algorithm), and tells the
// fitnesses back. Algorithms draw every random number from their own Rng on the calling thread,
// so results do not depend on the evaluation threads. State can be saved to / loaded from JSON
// for checkpoints.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "search/problem.h"

namespace af::search {

// DiGamma / GAMMA operators and rates (maestro-project/gamma src/GAMMA/gamma.py, see
// docs/search.md). Each operator can be switched off for ablations.
struct DigammaOptions {
  int pop = 20;
  double elite_ratio = 0.05;    // int(pop * ratio) elites, at least 1
  double parents_ratio = 0.4;   // top fraction that breeds
  int unit_seeds = 2;           // initial individuals with all tiles 1
  bool crossover = true;        double crossover_rate = 0.57;   // swap one dim's tiles, all levels
  bool reorder = true;          double reorder_rate = 0.47;     // swap two loops (pop trials)
  bool tile = true;             int tile_trials = 3;  double tile_rate = 0.53;  // tile/par-dim
  bool pe = true;               double pe_rate_first = 1.0;  double pe_rate = 0.5;  // #clusters
  bool level_swap = true;       double level_swap_rate = 0.1;  // swap row_dim <-> col_dim
  bool growth = false;          double growth_rate = 0.57;     // 1-D array -> 2-D (see docs)
  bool aging = false;           double aging_rate = 0.27;      // 2-D array -> 1-D
  // Ours (model mode): pick the layer an operator touches with probability proportional to its
  // share of the objective instead of uniformly.
  bool weighted_layers = true;
  // Ours (template-aware tile sampling): with probability factor_rate a mutated tile is a random
  // divisor of its parent (gamma.py's --use_factor), and with probability align_rate a mutated
  // tile of a spatial dim keeps the array busy (L2 tile a multiple of rows x L1 tile; L1 tile
  // at most L2 tile / rows).
  double factor_rate = 0.3;
  double align_rate = 0.5;
  // Ours (model mode): with this probability a pair of parents also yields a child that takes the
  // hardware genes of the first parent and, layer by layer, the mapping of whichever parent spent
  // less on that layer (the objective is a sum over layers).
  double layer_crossover_rate = 0.6;
};
// Parses "+growth,-crossover,pop=40,..." style edits onto `o`. The item "reference" resets to
// gamma.py as its default command line runs it: crossover, reorder, tile/par-dim mutation and
// PE mutation at the reference rates; level swap, growth, aging and our additions off.
Status apply_ops_spec(const std::string& spec, DigammaOptions& o);
std::string ops_summary(const DigammaOptions& o);

struct AlgoOptions {
  DigammaOptions digamma;
  int pop = 20;                    // stdga / de population
  double ga_crossover_rate = 0.9;  // stdga: uniform crossover probability
  int ga_tournament = 2;
  double de_f = 0.5, de_cr = 0.9;  // differential evolution
  double sa_t0 = 0.2, sa_t1 = 0.002;  // annealing temperatures on log(objective)
  int random_batch = 20;
  double exhaustive_max_points = 2e9;  // refuse larger spaces
};

class Optimizer {
 public:
  virtual ~Optimizer() = default;
  // Up to max_count (>= 1) candidates; at least one unless done().
  virtual std::vector<Genome> ask(int64_t max_count) = 0;
  virtual void tell(const std::vector<Genome>& xs, const std::vector<Fitness>& fs) = 0;
  virtual bool done() const { return false; }
  virtual void save(nlohmann::json& out) const = 0;
  virtual Status load(const nlohmann::json& in) = 0;
};

const std::vector<std::string>& algo_names();  // digamma, random, stdga, sa, de, exhaustive
// `budget` = total evaluations this optimizer will be given (annealing uses it for its schedule).
Expected<std::unique_ptr<Optimizer>> make_optimizer(const std::string& algo, const Problem& p,
                                                    const AlgoOptions& o, uint64_t seed,
                                                    int64_t budget);

// Number of points of the exhaustive space (saturates at 1e300); see docs/search.md.
double exhaustive_space_size(const Problem& p);

}  // namespace af::search
