// Technology table (core/tech.h). Where every number comes from:
//
//  * mac_um2 = 282, sram_um2_per_bit = 0.086: DiGamma's area model, maestro-project/gamma,
//    src/GAMMA (`compute_area_external`: area = N_PE * MAC_AREA_INT8 + buffer bits *
//    BUF_AREA_perbit, MAC_AREA_INT8 = 282 um2, BUF_AREA_perbit = 0.086 um2). Kept so that our
//    areas and budgets compare with the DiGamma paper's (0.2 mm2 edge, 7 mm2 cloud).
//  * mac_pj = 0.3: M. Horowitz, "Computing's energy problem (and what we can do about it)",
//    ISSCC 2014, 45 nm: 8-bit integer multiply 0.2 pJ + 32-bit integer add 0.1 pJ.
//  * sram_pj_per_byte_at_8kib = 1.25: same source, a 64-bit read of an 8 KiB SRAM costs 10 pJ,
//    i.e. 1.25 pJ per byte. The same table gives 20 pJ at 32 KiB and 100 pJ at 1 MiB per 64-bit
//    access, which the square-root law below reproduces (2.5 and 14.1 pJ/B -> 20 and 113 pJ).
//  * sram_min_pj_per_byte = 0.05: floor for register-file-sized buffers (the sqrt law would give
//    0.11 pJ/B at 64 B; a 64-bit register-file access is of the order of a 32-bit add, 0.1 pJ,
//    so 0.05 pJ/B only stops the law from going to zero). Our choice, not a published figure.
//  * dram_pj_per_byte = 30: Horowitz 2014, DRAM 1.3-2.6 nJ per 64-bit access = 20-40 pJ/B; we
//    take the middle.
//  * noc_pj_per_byte = 0.1: on-chip bus hop, of the order of a 32-bit add (Horowitz 2014). Our
//    choice.
#include "core/tech.h"

#include <cmath>
#include <string>

#include "core/internal.h"

namespace af {

double Tech::sram_pj_per_byte(int64_t capacity_bytes) const {
  if (capacity_bytes <= 0) return sram_min_pj_per_byte;
  const double e =
      sram_pj_per_byte_at_8kib * std::sqrt(static_cast<double>(capacity_bytes) / 8192.0);
  return e < sram_min_pj_per_byte ? sram_min_pj_per_byte : e;
}

bool operator==(const Tech& a, const Tech& b) {
  return a.mac_um2 == b.mac_um2 && a.sram_um2_per_bit == b.sram_um2_per_bit &&
         a.mac_pj == b.mac_pj && a.sram_pj_per_byte_at_8kib == b.sram_pj_per_byte_at_8kib &&
         a.sram_min_pj_per_byte == b.sram_min_pj_per_byte &&
         a.dram_pj_per_byte == b.dram_pj_per_byte && a.noc_pj_per_byte == b.noc_pj_per_byte;
}

Status validate(const Tech& tech) {
  struct Entry {
    const char* field;
    double value;
    bool area;
  };
  const Entry entries[] = {
      {"mac_um2", tech.mac_um2, true},
      {"sram_um2_per_bit", tech.sram_um2_per_bit, true},
      {"mac_pj", tech.mac_pj, false},
      {"sram_pj_per_byte_at_8kib", tech.sram_pj_per_byte_at_8kib, false},
      {"sram_min_pj_per_byte", tech.sram_min_pj_per_byte, false},
      {"dram_pj_per_byte", tech.dram_pj_per_byte, false},
      {"noc_pj_per_byte", tech.noc_pj_per_byte, false},
  };
  // Real constants are below 1000 (pJ or um2); 1e6 leaves room for any technology while keeping
  // the model's products (counts up to 2^56, core/layer.h, times a constant) far from infinity.
  constexpr double kMax = 1e6;
  for (const Entry& e : entries) {
    const std::string allowed =
        std::string(e.area ? "a finite number > 0" : "a finite number >= 0") + " and <= 1e6";
    if (!std::isfinite(e.value)) {
      return internal::to_status({e.field, "not a finite number", allowed});
    }
    if (e.area ? e.value <= 0 : e.value < 0) {
      return internal::to_status(
          {e.field, e.value == 0 ? "zero value" : "negative value " + internal::format_double(e.value),
           allowed});
    }
    if (e.value > kMax) {
      return internal::to_status(
          {e.field, "value " + internal::format_double(e.value) + " above the limit 1e6", allowed});
    }
  }
  return Status();
}

}  // namespace af
