// Parameters of the design emitted by `accelforge emit` for HwConfig "edge" (12x14, dataflow C|K).
// The same values as af_top.v and manifest.yaml, for C++ testbenches. Do not edit.
#pragma once
#include <cstdint>

namespace af_design {

inline constexpr const char* kTop = "af_top";
inline constexpr const char* kHwName = "edge";

// Top-level parameters (af_top.v).
inline constexpr int64_t ROWS = 12;  // rows
inline constexpr int64_t COLS = 14;  // cols
inline constexpr int64_t ROW_DIM = 3;  // row_dim
inline constexpr int64_t COL_DIM = 2;  // col_dim
inline constexpr int64_t NOC_W = 8;  // noc_words_per_cycle
inline constexpr int64_t DRAM_B = 16;  // dram_bytes_per_cycle
inline constexpr int64_t L1_W_BYTES = 256;  // l1_bytes.W
inline constexpr int64_t L1_I_BYTES = 64;  // l1_bytes.I
inline constexpr int64_t L1_O_BYTES = 128;  // l1_bytes.O
inline constexpr int64_t L2_W_BYTES = 32768;  // l2_bytes.W
inline constexpr int64_t L2_I_BYTES = 32768;  // l2_bytes.I
inline constexpr int64_t L2_O_BYTES = 32768;  // l2_bytes.O

// Port widths in bits.
inline constexpr int64_t PORT_CLK_BITS = 1;
inline constexpr int64_t PORT_RST_BITS = 1;
inline constexpr int64_t PORT_CFG_WR_BITS = 1;
inline constexpr int64_t PORT_CFG_ADDR_BITS = 8;
inline constexpr int64_t PORT_CFG_WDATA_BITS = 32;
inline constexpr int64_t PORT_CFG_RDATA_BITS = 32;
inline constexpr int64_t PORT_BUSY_BITS = 1;
inline constexpr int64_t PORT_DONE_BITS = 1;
inline constexpr int64_t PORT_MEM_RD_REQ_VALID_BITS = 1;
inline constexpr int64_t PORT_MEM_RD_REQ_READY_BITS = 1;
inline constexpr int64_t PORT_MEM_RD_REQ_ADDR_BITS = 32;
inline constexpr int64_t PORT_MEM_RD_REQ_BYTES_BITS = 32;
inline constexpr int64_t PORT_MEM_RD_VALID_BITS = 1;
inline constexpr int64_t PORT_MEM_RD_READY_BITS = 1;
inline constexpr int64_t PORT_MEM_RD_DATA_BITS = 128;
inline constexpr int64_t PORT_MEM_WR_VALID_BITS = 1;
inline constexpr int64_t PORT_MEM_WR_READY_BITS = 1;
inline constexpr int64_t PORT_MEM_WR_ADDR_BITS = 32;
inline constexpr int64_t PORT_MEM_WR_BYTES_BITS = 16;
inline constexpr int64_t PORT_MEM_WR_DATA_BITS = 128;

// The memory behind the port (not RTL parameters: the memory model has them).
inline constexpr int64_t DRAM_BYTES_PER_CYCLE = 16;
inline constexpr int64_t DRAM_LATENCY_CYCLES = 100;

// Fixed latencies of the template (core/template_constants.h).
inline constexpr int64_t DIST_LATENCY_CYCLES = 2;
inline constexpr int64_t COLLECT_LATENCY_CYCLES = 2;
inline constexpr int64_t L2_TILE_OVERHEAD_CYCLES = 1;

}  // namespace af_design
