// DRAM model (see memory.h).
#include "sim/memory.h"

#include <algorithm>
#include <cstring>

namespace af::sim {

DramModel::DramModel(size_t bytes, int64_t latency_cycles, int beat_bytes)
    : mem_(bytes, 0), latency_(latency_cycles), beat_(beat_bytes) {}

bool DramModel::stall() {
  if (stall_percent_ <= 0) return false;
  rng_ ^= rng_ << 13;
  rng_ ^= rng_ >> 7;
  rng_ ^= rng_ << 17;
  return static_cast<int>(rng_ % 100) < stall_percent_;
}

void DramModel::drive(AfPins& p, int64_t cycle) {
  p.mem_rd_req_ready = stall() ? 0 : 1;
  p.mem_wr_ready = stall() ? 0 : 1;
  p.mem_rd_valid = 0;
  std::memset(p.mem_rd_data, 0, static_cast<size_t>(beat_));
  if (reads_.empty() || reads_.front().due > cycle || stall()) return;
  const Read& r = reads_.front();
  p.mem_rd_valid = 1;
  const uint32_t n = std::min<uint32_t>(static_cast<uint32_t>(beat_), r.bytes - r.sent);
  const uint64_t a = static_cast<uint64_t>(r.addr) + r.sent;
  if (a + n <= mem_.size()) std::memcpy(p.mem_rd_data, mem_.data() + a, n);
}

bool DramModel::observe(const AfPins& p, int64_t cycle) {
  if (p.mem_wr_valid && p.mem_wr_ready) {
    const uint64_t a = p.mem_wr_addr, n = p.mem_wr_bytes;
    if (n == 0 || n > static_cast<uint64_t>(beat_) || a + n > mem_.size()) {
      error_ = "memory write out of range: addr " + std::to_string(a) + " bytes " +
               std::to_string(n) + " (memory " + std::to_string(mem_.size()) + " bytes)";
      return false;
    }
    std::memcpy(mem_.data() + a, p.mem_wr_data, n);
    write_bytes_ += static_cast<int64_t>(n);
  }
  if (p.mem_rd_valid && p.mem_rd_ready) {
    Read& r = reads_.front();
    r.sent += std::min<uint32_t>(static_cast<uint32_t>(beat_), r.bytes - r.sent);
    if (r.sent >= r.bytes) reads_.pop_front();
  }
  if (p.mem_rd_req_valid && p.mem_rd_req_ready) {
    const uint64_t a = p.mem_rd_req_addr, n = p.mem_rd_req_bytes;
    if (n == 0 || a + n > mem_.size()) {
      error_ = "memory read out of range: addr " + std::to_string(a) + " bytes " +
               std::to_string(n) + " (memory " + std::to_string(mem_.size()) + " bytes)";
      return false;
    }
    Read r;
    r.addr = static_cast<uint32_t>(a);
    r.bytes = static_cast<uint32_t>(n);
    r.due = cycle + latency_;
    reads_.push_back(r);
    read_bytes_ += static_cast<int64_t>(n);
  }
  return true;
}

}  // namespace af::sim
