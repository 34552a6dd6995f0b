// Runs the accelforge binary (see cli_run.h).
#include "tests/support/cli_run.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace af::test {

std::string read_file_or_empty(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string scratch_dir(const std::string& name) {
  namespace fs = std::filesystem;
  const fs::path dir =
      fs::temp_directory_path() / ("af_test_" + std::to_string(::getpid())) / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir.string();
}

CliResult run_cli(const std::string& args) {
  static int counter = 0;
  const std::string dir = scratch_dir("cli_run_" + std::to_string(counter++));
  const std::string out = dir + "/stdout", err = dir + "/stderr";
  const std::string cmd =
      std::string(AF_BINARY_DIR) + "/accelforge " + args + " </dev/null >" + out + " 2>" + err;
  const int status = std::system(cmd.c_str());
  CliResult r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = read_file_or_empty(out);
  r.err = read_file_or_empty(err);
  return r;
}

}  // namespace af::test
