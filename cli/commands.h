// Subcommands of the `accelforge` binary. Each lives in its own cli/cmd_*.cc and registers itself
// on the CLI11 app; main.cc calls every register_* below.
#pragma once
#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"

namespace af::cli {

void register_eval(CLI::App& app);     // cmd_eval.cc
void register_bench(CLI::App& app);    // cmd_bench.cc
void register_search(CLI::App& app);   // cmd_search.cc
void register_compare(CLI::App& app);  // cmd_compare.cc
void register_simulate(CLI::App& app);  // cmd_simulate.cc
void register_emit(CLI::App& app);     // cmd_emit.cc
void register_area(CLI::App& app);     // cmd_area.cc
// Further subcommands add their declaration here and one call in main.cc.

// Options several subcommands share, with the same checks everywhere (cli/options.cc):
// --seed takes an unsigned 64-bit integer, digits only (CLI11 alone accepts "-1" and clamps
// "99999999999999999999"); --layer takes a non-empty index or layer name.
CLI::Option* add_seed_option(CLI::App* sub, uint64_t& seed, const std::string& help,
                             const std::string& name = "--seed");
CLI::Option* add_layer_option(CLI::App* sub, std::string& layer, const std::string& help);
// A comma-separated list: every item non-empty ("ncf," and "a,,b" are refused; CLI11's own
// delimiter drops empty items silently). `items` keeps its value as the default when the option
// is absent.
CLI::Option* add_list_option(CLI::App* sub, const std::string& name, std::vector<std::string>& items,
                             const std::string& help);
// Checks made before a long run, so that it does not end with "cannot write": a file can be
// created at `path` (its directory exists and is writable, it is not a directory), or a
// directory exists there or can be created. Messages: "<option>: <path>: problem (allowed: ...)".
af::Status check_output_file(const std::string& option, const std::string& path);
af::Status check_output_dir(const std::string& option, const std::string& path);
// An output must not overwrite an input: `path` is not the same file as any of `inputs`
// that exist (pairs of option name and path; zoo names and presets are not files).
// Message: "<option>: '<path>' is the <input option> file (allowed: another file)".
af::Status check_not_an_input(const std::string& option, const std::string& path,
                              const std::vector<std::pair<std::string, std::string>>& inputs);
// Whether a and b name the same file (or would, once created).
bool same_file(const std::string& a, const std::string& b);

// Exit codes shared by every subcommand. A callback reports a non-zero code by throwing
// CLI::RuntimeError(code); main turns it into the process exit status, and any other
// command-line error into one line on stderr and kExitBadInput.
inline constexpr int kExitOk = 0;
inline constexpr int kExitBadInput = 2;     // unreadable or invalid input
inline constexpr int kExitFailed = 1;       // ran, but the result is a failure (e.g. mismatch)

}  // namespace af::cli
