// Runs the built `accelforge` binary for end-to-end CLI tests: exit code, stdout and stderr.
#pragma once
#include <string>

namespace af::test {

struct CliResult {
  int code = -1;  // exit status, or -1 if the process did not exit normally
  std::string out, err;
};

// `args` is appended to the binary's path as shell words (quote paths with spaces yourself).
CliResult run_cli(const std::string& args);

// A fresh directory under the system temp dir, unique per process and name.
std::string scratch_dir(const std::string& name);

std::string read_file_or_empty(const std::string& path);

}  // namespace af::test
