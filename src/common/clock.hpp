// Time as the protocol cores see it: a point on the steady clock that the caller passes in. No core reads a
// clock; the shell (src/net) reads it and tests pass a virtual one.
#pragma once
#include <chrono>

namespace peerhub {

using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;
using Duration = Clock::duration;

}  // namespace peerhub
