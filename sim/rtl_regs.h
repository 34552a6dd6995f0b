// Register map of the AccelForge RTL (rtl-templates/INTERFACES.md section 5). Keep in step with
// rtl-templates/af_ctrl.v and INTERFACES.md.
#pragma once
#include <cstdint>

namespace af::sim::regs {

inline constexpr uint8_t kCtrl = 0x00;      // W: bit 0 start
inline constexpr uint8_t kStatus = 0x01;    // R: bit 0 busy, bit 1 done
inline constexpr uint8_t kMagic = 0x02;     // R: kMagicValue
inline constexpr uint8_t kHwInfo0 = 0x03;   // R: rows | cols<<8 | row_dim<<16 | col_dim<<20 | noc<<24
inline constexpr uint8_t kHwInfo1 = 0x04;   // R: DRAM bytes per beat
inline constexpr uint8_t kDim0 = 0x08;      // + d: layer extent (N G K C Y X R S)
inline constexpr uint8_t kStrideY = 0x10;
inline constexpr uint8_t kStrideX = 0x11;
inline constexpr uint8_t kPadY = 0x12;      // informational (inputs are stored padded)
inline constexpr uint8_t kPadX = 0x13;
inline constexpr uint8_t kBaseW = 0x14;
inline constexpr uint8_t kBaseI = 0x15;
inline constexpr uint8_t kBaseO = 0x16;
inline constexpr uint8_t kT2_0 = 0x18;      // + d: L2 tile size
inline constexpr uint8_t kOrder2 = 0x20;    // position p (0 = outermost) at bits [4p+2:4p]
inline constexpr uint8_t kT1_0 = 0x28;      // + d: L1 tile size
inline constexpr uint8_t kOrder1 = 0x30;
inline constexpr uint8_t kCounter0 = 0x40;  // + 2k: counter k low word, + 2k + 1: high word

inline constexpr uint32_t kMagicValue = 0xAF7E0001u;

// Counter numbers (INTERFACES.md section 5).
enum Counter : int {
  kCycles = 0, kCompute, kInputWait, kOutputWait, kDramStall, kFillDrain, kMacs,
  kDramWReads, kDramIReads, kDramOReads, kDramOUpdates,
  kL2WFills, kL2WReads, kL2IFills, kL2IReads, kL2OFills, kL2OReads, kL2OUpdates, kL2ODrains,
  kL1WFills, kL1WReads, kL1IFills, kL1IReads, kL1OFills, kL1OReads, kL1OUpdates, kL1ODrains,
  kNumCounters
};

}  // namespace af::sim::regs
