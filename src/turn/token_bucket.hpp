// A token bucket over bytes: `rate` bytes per second, bursts of up to one second's worth. The bandwidth limit
// of an allocation, one bucket per direction (Limits::bandwidth_bytes_per_second). Integer arithmetic in
// microseconds, no allocation: it runs for every relayed datagram.
#pragma once

#include <chrono>
#include <cstdint>

#include "turn/server.hpp"

namespace peerhub::turn {

class TokenBucket {
 public:
  void start(std::uint64_t rate, TimePoint now) {
    tokens_ = rate;
    last_ = now;
  }

  // Takes `bytes` tokens if there are that many; a rate of 0 is unlimited.
  bool take(std::uint64_t bytes, std::uint64_t rate, TimePoint now) {
    if (rate == 0) return true;
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(now - last_).count();
    if (us > 0) {
      if (us > 1'000'000) us = 1'000'000;  // a full bucket after a second, and no overflow below
      const std::uint64_t added = rate * static_cast<std::uint64_t>(us) / 1'000'000;
      if (added > 0) {  // otherwise keep last_, so that slow trickles of time still add up
        tokens_ = tokens_ + added > rate ? rate : tokens_ + added;
        last_ = now;
      }
    }
    if (tokens_ < bytes) return false;
    tokens_ -= bytes;
    return true;
  }

 private:
  std::uint64_t tokens_ = 0;
  TimePoint last_{};
};

}  // namespace peerhub::turn
