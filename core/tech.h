// Technology table: area and energy constants with their sources (see tech.cc for citations).
#pragma once
#include <cstdint>

#include "core/status.h"

namespace af {

struct Tech {
  // Area, DiGamma's constants (maestro-project/gamma, src/GAMMA: 282 um2 per int8 MAC PE,
  // 0.086 um2 per SRAM bit), so areas compare with the paper.
  double mac_um2 = 282.0;
  double sram_um2_per_bit = 0.086;
  // Energy (45 nm, Horowitz ISSCC 2014 "Computing's energy problem"): 8-bit multiply 0.2 pJ +
  // 32-bit add 0.1 pJ per MAC; SRAM ~1.25 pJ/byte at 8 KiB growing with sqrt(capacity)
  // (10 pJ per 64-bit read of 8 KiB, 20 pJ at 32 KiB, 100 pJ at 1 MiB); DRAM 1.3-2.6 nJ per
  // 64-bit access -> 20-40 pJ/byte (we take 30).
  double mac_pj = 0.3;
  double sram_pj_per_byte_at_8kib = 1.25;
  double sram_min_pj_per_byte = 0.05;  // register-file floor for tiny buffers
  double dram_pj_per_byte = 30.0;
  double noc_pj_per_byte = 0.1;        // per word hop on the on-chip buses (order of a 32b add)

  // Energy per byte of an SRAM of `capacity_bytes`: 1.25 pJ * sqrt(capacity / 8 KiB), floored.
  double sram_pj_per_byte(int64_t capacity_bytes) const;
};

bool operator==(const Tech& a, const Tech& b);
inline bool operator!=(const Tech& a, const Tech& b) { return !(a == b); }

// Every constant finite and <= 1e6; area constants > 0; energy constants >= 0 (0 switches a
// term off).
Status validate(const Tech& tech);

}  // namespace af
