// The external memory behind the DMA port (rtl-templates/INTERFACES.md section 3): byte-addressed,
// one port of `beat_bytes` bytes per cycle, reads answered in request order with a fixed latency
// (the HwConfig's dram_latency_cycles), writes applied when accepted.
#pragma once
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "sim/design_abi.h"

namespace af::sim {

class DramModel {
 public:
  DramModel(size_t bytes, int64_t latency_cycles, int beat_bytes);

  std::vector<uint8_t>& bytes() { return mem_; }
  const std::vector<uint8_t>& bytes() const { return mem_; }

  // Before a cycle: drives the memory-side inputs of the pins.
  void drive(AfPins& pins, int64_t cycle);
  // Test aid: withhold each ready and each read beat with this probability (percent), drawn from
  // a seeded generator, to exercise the valid/ready handshakes of the DMA.
  void set_backpressure(int percent, uint64_t seed) {
    stall_percent_ = percent;
    rng_ = seed * 0x9E3779B97F4A7C15ull + 1;
  }
  // After the cycle: takes the handshakes that happened in it. Returns false (and sets error())
  // on an access outside memory or a malformed request.
  bool observe(const AfPins& pins, int64_t cycle);

  bool idle() const { return reads_.empty(); }
  const std::string& error() const { return error_; }
  int64_t read_bytes() const { return read_bytes_; }
  int64_t write_bytes() const { return write_bytes_; }

 private:
  struct Read {
    uint32_t addr = 0, bytes = 0, sent = 0;  // sent: bytes already returned
    int64_t due = 0;                          // first cycle a beat may be returned
  };
  std::vector<uint8_t> mem_;
  int64_t latency_;
  int beat_;
  std::deque<Read> reads_;
  std::string error_;
  int64_t read_bytes_ = 0, write_bytes_ = 0;
  int stall_percent_ = 0;
  uint64_t rng_ = 1;
  bool stall();
};

}  // namespace af::sim
