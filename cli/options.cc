// Command-line options shared by several subcommands (cli/commands.h).
#include <cstdint>
#include <string>

#include "cli/commands.h"

namespace af::cli {

CLI::Option* add_seed_option(CLI::App* sub, uint64_t& seed, const std::string& help) {
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
  return sub->add_option("--seed", seed, help)->check(u64);
}

CLI::Option* add_layer_option(CLI::App* sub, std::string& layer, const std::string& help) {
  const CLI::Validator non_empty(
      [](std::string& text) -> std::string {
        return text.empty() ? "empty (allowed: a 0-based layer index or a layer name)" : "";
      },
      "INDEX|NAME");
  return sub->add_option("--layer", layer, help)->check(non_empty);
}

}  // namespace af::cli
