// The `accelforge` command line: one binary, one subcommand per task (see README).
#include <CLI/CLI.hpp>

#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"AccelForge: DNN-accelerator co-design (search, cost model, RTL, simulation)"};
  app.require_subcommand(1);
  af::cli::register_eval(app);
  af::cli::register_bench(app);
  af::cli::register_search(app);
  af::cli::register_compare(app);
  af::cli::register_simulate(app);
  af::cli::register_emit(app);
  af::cli::register_area(app);
  CLI11_PARSE(app, argc, argv);
  return 0;
}
