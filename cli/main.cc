// The `accelforge` command line: one binary, one subcommand per task (see README).
#include <CLI/CLI.hpp>

#include <iostream>
#include <string>

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
  // An unknown first word is a mistyped subcommand; CLI11 would only say that one is required.
  if (argc > 1 && argv[1][0] != '-') {
    std::string names;
    bool known = false;
    for (const CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
      known = known || sub->get_name() == argv[1];
      names += (names.empty() ? "" : ", ") + sub->get_name();
    }
    if (!known) {
      std::cerr << "accelforge: no subcommand '" << argv[1] << "' (allowed: " << names << ")\n";
      return af::cli::kExitBadInput;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::RuntimeError& e) {
    return e.get_exit_code();  // a subcommand's result; it has printed its own message
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help
    // One line, like every other input error (CLI11's own report adds a second line).
    std::string message = e.what();
    for (char& c : message)
      if (c == '\n' || c == '\r') c = ' ';
    std::cerr << "accelforge: " << message << " (see --help)\n";
    return af::cli::kExitBadInput;
  }
  return 0;
}
