// The wall clock usrsctp reads, made to follow a test's virtual clock.
//
// usrsctp runs its timers on the tick that usrsctp_handle_timers() moves (driven by each association's `now`,
// see src/sctp/usrsctp_library.hpp), but it reads gettimeofday() for round-trip times and to choose which
// chunks a retransmission timeout resends: only those sent at least one RTO ago. Under a virtual clock that
// runs far ahead of real time, a T3 timeout fires on time yet resends nothing (real time has not moved by an
// RTO), and a loss at the tail of a burst, which only T3 repairs, ends the association after ten timeouts.
// In a real shell both clocks are the machine's and agree.
//
// So the test binaries that run usrsctp under a virtual clock define gettimeofday() themselves
// (usrsctp_virtual_clock.cpp; the executable's definition is found before libc's by every library): while a
// UseVirtualWallClock is alive, it returns the wall time at which that scope began plus the virtual time
// elapsed since; otherwise the real time. It never goes back. One scope at a time, on one thread.
#pragma once

#include "common/clock.hpp"

namespace peerhub::testing {

class UseVirtualWallClock {
 public:
  explicit UseVirtualWallClock(const TimePoint& now);
  ~UseVirtualWallClock();
  UseVirtualWallClock(const UseVirtualWallClock&) = delete;
  UseVirtualWallClock& operator=(const UseVirtualWallClock&) = delete;
};

}  // namespace peerhub::testing
