// The search problem and its genome (docs/search.md).
//
// A Problem is a set of layers that share one hardware design (one layer in `layer` mode, every
// layer of the workload in `model` mode), an area budget, the tech table and the objective.
// A Genome is one candidate: the hardware genes (array rows x cols, the dataflow row_dim/col_dim)
// and one Mapping (L2 and L1 tiles and loop orders) per layer. Buffer capacities are not genes:
// repair() sizes them to exactly what the mappings need (max over layers), as DiGamma does.
#pragma once
#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "core/dims.h"
#include "core/hw_config.h"
#include "core/layer.h"
#include "core/mapping.h"
#include "core/status.h"
#include "core/tech.h"
#include "costmodel/cost.h"

namespace af::search {

enum class Objective : uint8_t { Latency, Energy, Edp, Area, Pareto };
enum class Mode : uint8_t { Layer, Model };
const char* objective_name(Objective o);
const char* mode_name(Mode m);
Expected<Objective> parse_objective(const std::string& text);
Expected<Mode> parse_mode(const std::string& text);

// Area budget plus the non-searched hardware parameters (bus width, DRAM bandwidth and latency).
// "edge" = 0.2 mm2 with the edge preset's interfaces, "cloud" = 7 mm2 with the cloud preset's; a
// number (mm2) takes the interfaces of the nearest preset on a log scale (see docs/search.md).
struct Budget {
  std::string name;
  double area_um2 = 0;
  int64_t noc_words_per_cycle = 1;
  int64_t dram_bytes_per_cycle = 8;
  int64_t dram_latency_cycles = 20;
};
Expected<Budget> parse_budget(const std::string& text);

struct Problem {
  std::string workload;            // name, for reports
  std::vector<Layer> layers;       // the layers sharing one hardware
  std::vector<int> layer_index;    // their index in the workload
  Budget budget;
  Tech tech;
  Objective objective = Objective::Latency;
  Calibration calibration;         // identity unless --calibration (re-ranks with fitted cycles)
  // Derived by make_problem():
  int64_t pe_limit = 1;            // floor(area budget / MAC area)
  DimArray max_extent{};           // per dim, max over layers
  std::vector<Dim> par_dims;       // candidate spatial (dataflow) dims
};

// Builds a problem and checks that the smallest design (1 PE, unit tiles) fits the budget.
// par_rs: also allow R and S as spatial dims (DiGamma's --parRS).
Expected<Problem> make_problem(std::string workload, std::vector<Layer> layers,
                               std::vector<int> layer_index, const Budget& budget,
                               const Tech& tech, Objective objective, bool par_rs = false);

struct Genome {
  int64_t rows = 1, cols = 1;
  Dim row_dim = Dim::K, col_dim = Dim::C;
  std::vector<Mapping> maps;  // one per problem layer
  // Derived by repair(): buffer capacities (bytes) = the largest double-buffered need.
  std::array<int64_t, kNumTensors> l1_bytes{}, l2_bytes{};

  bool same_design(const Genome& o) const;  // equal genes (derived fields ignored)
  uint64_t hash() const;                    // of the genes
};

// The hardware a genome describes (interfaces from the budget).
HwConfig to_hw(const Problem& p, const Genome& g);

// Fixes a genome in place so that it is legal: 1 <= T1 <= T2 <= extent, orders are permutations,
// row_dim != col_dim (both candidates), 1 <= rows <= min(max extent of row_dim, 255) (likewise
// cols), PEs <= pe_limit; sizes the buffers; then shrinks tiles until every buffer is within the
// template's limits (core/template_constants.h) and tiles / the array (largest area contributor
// first) until the area is within the budget, so validate(to_hw(p, g)) holds. Deterministic.
// Returns false only if it cannot (the budget is below the smallest design, which make_problem()
// rejects).
bool repair(const Problem& p, Genome& g);

// Area (um2) of the genome's hardware with its derived buffers.
double genome_area_um2(const Problem& p, const Genome& g);
// True if the genes are legal as they stand (what repair() would not change) and within budget.
bool is_legal(const Problem& p, const Genome& g);

// Dims with extent > 1 in layer i (loop-order moves among the others are no-ops).
std::vector<Dim> active_dims(const Layer& layer);

// Result of evaluating one genome.
struct Fitness {
  bool feasible = false;
  std::string reason;                    // why not feasible (empty when feasible)
  double cycles = std::numeric_limits<double>::infinity();     // sum over layers
  double energy_pj = std::numeric_limits<double>::infinity();  // sum over layers
  double area_um2 = std::numeric_limits<double>::infinity();
  std::vector<int64_t> layer_cycles;
  std::vector<double> layer_energy_pj;
  double edp() const { return cycles * energy_pj; }
};

// Lexicographic ranking key of a fitness (smaller is better); +inf when infeasible.
// latency: (cycles, energy, area); energy: (energy, cycles, area); edp: (edp, cycles, area);
// area: (area, cycles, energy); pareto: (cycles, energy, area) (used only for tie-breaks).
using Key = std::array<double, 3>;
Key objective_key(const Fitness& f, Objective o);
double primary(const Fitness& f, Objective o);
// Pareto objectives (latency, energy, area).
inline std::array<double, 3> pareto_point(const Fitness& f) {
  return {f.cycles, f.energy_pj, f.area_um2};
}

}  // namespace af::search
