#include "support/usrsctp_virtual_clock.hpp"

#include <sys/time.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <ctime>

namespace peerhub::testing {
namespace {

struct State {
  const TimePoint* now = nullptr;  // the running scope's virtual clock
  TimePoint origin{};              // its value when the scope began
  std::int64_t origin_us = 0;      // the wall time then
  std::int64_t last_us = 0;        // the latest time returned
};
State state;

std::int64_t real_us() {
  timespec t{};
  ::clock_gettime(CLOCK_REALTIME, &t);
  return static_cast<std::int64_t>(t.tv_sec) * 1'000'000 + t.tv_nsec / 1000;
}

std::int64_t wall_us() {
  std::int64_t us = real_us();
  if (state.now != nullptr) {
    us = state.origin_us +
         std::chrono::duration_cast<std::chrono::microseconds>(*state.now - state.origin).count();
  }
  state.last_us = std::max(state.last_us, us);
  return state.last_us;
}

}  // namespace

UseVirtualWallClock::UseVirtualWallClock(const TimePoint& now) {
  state.origin_us = std::max(real_us(), state.last_us);
  state.origin = now;
  state.now = &now;
}

UseVirtualWallClock::~UseVirtualWallClock() {
  state.now = nullptr;
}

}  // namespace peerhub::testing

// Found before libc's by the dynamic linker, for libusrsctp too (it is referenced there).
extern "C" int gettimeofday(struct timeval* __restrict tv, void* __restrict /*tz*/) noexcept {
  const std::int64_t us = peerhub::testing::wall_us();
  tv->tv_sec = static_cast<time_t>(us / 1'000'000);
  tv->tv_usec = static_cast<suseconds_t>(us % 1'000'000);
  return 0;
}
