// A token bucket per connection: `rate` messages per second on average, bursts of up to `burst`.
// Sans-IO: the time comes in as an argument.
#pragma once

#include <algorithm>
#include <chrono>

namespace peerhub::signaling {

class TokenBucket {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  void reset(double burst, TimePoint now) {
    tokens_ = burst;
    last_ = now;
  }

  // Takes one token if there is one. Time that goes backwards adds nothing.
  bool take(double rate, double burst, TimePoint now) {
    if (now > last_) {
      double elapsed = std::chrono::duration<double>(now - last_).count();
      tokens_ = std::min(burst, tokens_ + elapsed * rate);
      last_ = now;
    }
    if (tokens_ < 1.0) return false;
    tokens_ -= 1.0;
    return true;
  }

 private:
  double tokens_ = 0;
  TimePoint last_{};
};

}  // namespace peerhub::signaling
