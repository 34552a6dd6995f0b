// SHA-256 (FIPS 180-4) of a byte string, as 64 lowercase hex digits. Cache keys of the Yosys area
// flow (hw/area.h) are hashes of the Verilog text, parameters, tool version and script.
#pragma once
#include <string>
#include <string_view>

namespace af::hw {

std::string sha256_hex(std::string_view data);

}  // namespace af::hw
