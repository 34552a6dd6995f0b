// Fixed latencies and size limits of the accelerator template (docs/template.md sections 6 and 8).
// The cost model, the walker, the SystemC model, the RTL generator and HwConfig validation all
// read them from here, so a limit is written down once.
#pragma once
#include <cstdint>

namespace af {

// ---- Fixed latencies (docs/template.md section 6) ----------------------------------------------

// L2 SRAM read register + distribution-bus pipeline register.
inline constexpr int64_t DIST_LATENCY_CYCLES = 2;
// Adder-tree register + L2 write.
inline constexpr int64_t COLLECT_LATENCY_CYCLES = 2;
// Controller hand-off between two L2 tiles.
inline constexpr int64_t L2_TILE_OVERHEAD_CYCLES = 1;

// ---- Limits of the template (docs/template.md section 8) ---------------------------------------
// The RTL's ports and register fields have fixed widths (rtl-templates/INTERFACES.md section 1),
// so a HwConfig, a layer and a mapping must fit them. HwConfig validation checks the hardware
// limits; the layer and mapping limits are checked before a simulation (sim::check_rtl_limits)
// and reported by `accelforge eval`.

// Field widths of the RTL.
inline constexpr int EXTENT_BITS = 16;        // a dimension extent, offset, tile size or stride
inline constexpr int L1_ADDR_BITS = 16;       // L1 word address within a half
inline constexpr int L2_ADDR_BITS = 24;       // L2 byte/word address within a half
inline constexpr int COUNTER_INC_BITS = 24;   // per-cycle increment of an access/cycle counter
inline constexpr int DRAM_ADDR_BITS = 32;     // DRAM byte address

// rows and cols: 8-bit active-row/column counts and group indices in the engines, 8-bit fields
// of the HWINFO0 register.
inline constexpr int64_t MAX_ARRAY_SIDE = 255;
// noc_words_per_cycle: the buses' slots are written into the L2 banks (and the per-PE L1 of
// af_pe) by a loop of nonblocking memory writes, which Verilator (5.006) accepts only when it
// can unroll the loop: at most 64 iterations (BLKLOOPINIT otherwise). HWINFO0 would hold 255.
inline constexpr int64_t MAX_NOC_WORDS_PER_CYCLE = 64;
// dram_bytes_per_cycle: the same 64-iteration loop over the bytes of a DMA beat in af_l2_bank
// (the 16-bit mem_wr_bytes and the simulator's 256-byte pins would allow more).
inline constexpr int64_t MAX_DRAM_BYTES_PER_CYCLE = 64;
// Words per L1 half: every word has an L1_ADDR_BITS address.
inline constexpr int64_t MAX_L1_WORDS_PER_HALF = int64_t{1} << L1_ADDR_BITS;
// Bytes per L2 half: addresses have L2_ADDR_BITS, and a DMA run (at most a half) is counted in
// one COUNTER_INC_BITS increment, so a half holds at most 2^24 - 1 bytes.
inline constexpr int64_t MAX_L2_BYTES_PER_HALF = (int64_t{1} << L2_ADDR_BITS) - 1;
// Per-cycle counter increments: at most rows * cols * noc_words_per_cycle L1 fills per cycle (a
// multicast to every PE from every slot). Implied by the limits above (255 * 255 * 64 < 2^24).
inline constexpr int64_t MAX_COUNTER_INC = (int64_t{1} << COUNTER_INC_BITS) - 1;
// Layer and mapping fields (extents, strides, L2 tiles, padded input rows/columns).
inline constexpr int64_t MAX_EXTENT = (int64_t{1} << EXTENT_BITS) - 1;
// All three tensors of a layer in the DRAM address space.
inline constexpr int64_t MAX_DRAM_BYTES = int64_t{1} << DRAM_ADDR_BITS;

// dram_latency_cycles: not a field width but a bound of the cost model, which charges up to one
// DRAM latency per tile and must stay within int64 (core/layer.h, MAX_LAYER_MACS). Real DRAM
// latencies are 100-1000 cycles.
inline constexpr int64_t MAX_DRAM_LATENCY_CYCLES = int64_t{1} << 16;

}  // namespace af
