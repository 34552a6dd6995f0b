// Command-line options shared by several subcommands (cli/commands.h).
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <string>

#include "cli/commands.h"

namespace af::cli {

CLI::Option* add_seed_option(CLI::App* sub, uint64_t& seed, const std::string& help,
                             const std::string& name) {
  const CLI::Validator u64(
      [](std::string& text) -> std::string {
        const std::string max = "18446744073709551615";
        bool digits = !text.empty();
        for (char c : text) digits = digits && c >= '0' && c <= '9';
        const size_t first = text.find_first_not_of('0');
        const std::string sig = first == std::string::npos ? "0" : text.substr(first);
        if (!digits || sig.size() > max.size() || (sig.size() == max.size() && sig > max))
          return "'" + text + "' is not a seed (allowed: 0.." + max + ")";
        return "";
      },
      "UINT64");
  return sub->add_option(name, seed, help)->check(u64);
}

CLI::Option* add_layer_option(CLI::App* sub, std::string& layer, const std::string& help) {
  const CLI::Validator non_empty(
      [](std::string& text) -> std::string {
        return text.empty() ? "empty (allowed: a 0-based layer index or a layer name)" : "";
      },
      "INDEX|NAME");
  return sub->add_option("--layer", layer, help)->check(non_empty);
}

CLI::Option* add_list_option(CLI::App* sub, const std::string& name, std::vector<std::string>& items,
                             const std::string& help) {
  std::string shown;
  for (const std::string& item : items) shown += (shown.empty() ? "" : ",") + item;
  const CLI::Validator no_empty_item(
      [](std::string& text) -> std::string {
        if (text.empty() || text.front() == ',' || text.back() == ',' ||
            text.find(",,") != std::string::npos)
          return "'" + text + "' has an empty item (allowed: non-empty items separated by commas)";
        return "";
      },
      "LIST");
  auto assign = [&items](const std::string& text) {
    items.clear();
    size_t start = 0;
    for (size_t comma; (comma = text.find(',', start)) != std::string::npos; start = comma + 1)
      items.push_back(text.substr(start, comma - start));
    items.push_back(text.substr(start));
  };
  CLI::Option* opt = sub->add_option_function<std::string>(name, assign, help)->check(no_empty_item);
  if (!shown.empty()) opt->default_str(shown);
  return opt;
}

namespace {

namespace fs = std::filesystem;

Status output_error(const std::string& option, const std::string& path, const std::string& problem,
                    const std::string& allowed) {
  return Status::Error(option + ": '" + path + "': " + problem + " (allowed: " + allowed + ")");
}

// The nearest existing directory at or above `p` ("." for a relative path with none).
fs::path existing_ancestor(fs::path p) {
  std::error_code ec;
  while (!p.empty() && !fs::exists(p, ec)) p = p.parent_path();
  return p.empty() ? fs::path(".") : p;
}

bool writable_dir(const fs::path& p) {
  std::error_code ec;
  return fs::is_directory(p, ec) && ::access(p.c_str(), W_OK | X_OK) == 0;
}

}  // namespace

Status check_output_file(const std::string& option, const std::string& path) {
  const std::string allowed = "a file path in an existing, writable directory";
  if (path.empty()) return output_error(option, path, "empty", allowed);
  std::error_code ec;
  if (fs::is_directory(path, ec)) return output_error(option, path, "is a directory", allowed);
  fs::path dir = fs::path(path).parent_path();
  if (dir.empty()) dir = ".";
  if (!fs::exists(dir, ec)) return output_error(option, path, "its directory does not exist", allowed);
  if (!writable_dir(dir)) return output_error(option, path, "its directory is not writable", allowed);
  return Status();
}

Status check_output_dir(const std::string& option, const std::string& path) {
  const std::string allowed = "a writable directory, or a path where one can be created";
  if (path.empty()) return output_error(option, path, "empty", allowed);
  std::error_code ec;
  if (fs::exists(path, ec) && !fs::is_directory(path, ec))
    return output_error(option, path, "exists and is not a directory", allowed);
  const fs::path base = existing_ancestor(path);
  if (!writable_dir(base))
    return output_error(option, path, "'" + base.string() + "' is not a writable directory",
                        allowed);
  return Status();
}

bool same_file(const std::string& a, const std::string& b) {
  if (a.empty() || b.empty()) return false;
  std::error_code ec;
  if (fs::exists(a, ec) && fs::exists(b, ec)) return fs::equivalent(a, b, ec);
  return fs::weakly_canonical(a, ec) == fs::weakly_canonical(b, ec);
}

Status check_not_an_input(const std::string& option, const std::string& path,
                          const std::vector<std::pair<std::string, std::string>>& inputs) {
  std::error_code ec;
  for (const auto& [input_option, input] : inputs)
    if (!input.empty() && fs::exists(input, ec) && same_file(path, input))
      return Status::Error(option + ": '" + path + "' is the " + input_option +
                           " file (allowed: another file)");
  return Status();
}

}  // namespace af::cli
