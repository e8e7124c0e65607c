// A token bucket per connection: `rate` messages per second on average, bursts of up to `burst`.
// Sans-IO: the time comes in as an argument.
//
// Stored as the generic cell rate algorithm's "theoretical arrival time" (ITU-T I.371 Annex A, virtual
// scheduling), which is the same limit as a bucket of depth `burst` refilled at `rate` but needs one integer
// per connection instead of a token count and a time: a message at time t passes when it is no more than
// (burst - 1) / rate ahead of the schedule, and then moves the schedule on by 1 / rate.
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>

namespace peerhub::signaling {

// The limit in the units the bucket uses, worked out once from the configuration.
struct RateLimit {
  std::int64_t interval_ns = 0;   // 1 / rate: how far one message moves the schedule
  std::int64_t tolerance_ns = 0;  // (burst - 1) / rate: how far ahead of the schedule a sender may be;
                                  // negative (burst < 1): nothing ever passes, like an empty bucket

  static RateLimit of(double rate, double burst) {
    // Capped at ~3 years so that time + interval + tolerance cannot overflow. A zero interval (a rate over
    // 1e9 per second, infinite or not a number) limits nothing.
    static constexpr double kMaxNs = 1e17;
    auto to_ns = [](double ns) {
      if (!(ns > 0)) return std::int64_t{0};  // also NaN (infinite burst times a zero interval)
      return static_cast<std::int64_t>(std::llround(std::min(ns, kMaxNs)));
    };
    double interval = rate > 0 ? 1e9 / rate : 0;
    RateLimit limit;
    limit.interval_ns = to_ns(interval);
    limit.tolerance_ns = burst >= 1 ? to_ns((burst - 1) * interval) : -1;
    return limit;
  }
};

class TokenBucket {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  // A full bucket at `now`.
  void reset(TimePoint now) { schedule_ns_ = ns(now); }

  // Takes one token if there is one. Time that goes backwards gives nothing back.
  bool take(const RateLimit& limit, TimePoint now) {
    std::int64_t t = ns(now);
    std::int64_t schedule = std::max(schedule_ns_, t);
    if (schedule - t > limit.tolerance_ns) return false;
    schedule_ns_ = schedule + limit.interval_ns;
    return true;
  }

 private:
  static std::int64_t ns(TimePoint t) {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
  }

  std::int64_t schedule_ns_ = 0;  // the theoretical arrival time of the next message
};

}  // namespace peerhub::signaling
