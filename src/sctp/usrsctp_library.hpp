// The one adapter to usrsctp (STYLE.md §9). usrsctp is a process-wide C library; everything process-wide
// about it lives here, behind one mutex each:
//
// - Init: once per process, usrsctp_init_nothreads(): no timer thread, no receive thread. The library never
//   runs code on its own; it runs only inside calls we make (usrsctp_conninput, usrsctp_sendv,
//   usrsctp_handle_timers, setsockopt...).
// - Addresses: usrsctp's AF_CONN address is an opaque pointer that it hands back to conn_output. We hand it
// an
//   integer id cast to a pointer, never an object's address; the registry maps id -> that association's
//   outbox, so a packet usrsctp emits for an association that is gone is dropped, not written to freed
//   memory.
// - Outgoing packets: conn_output runs synchronously inside whatever usrsctp call produced the packet (on the
//   caller's thread) and only appends to the association's outbox (bounded; a full outbox drops the packet
//   like a full network queue would, and SCTP retransmits), stamping the CRC32c that usrsctp leaves to us
//   (crc32c.hpp).
// - Timers: usrsctp keeps ONE tick counter for all associations; usrsctp_handle_timers(ms) moves it. Every
//   association passes its `now` to advance_timers(), which moves the shared tick by the time elapsed since
//   the last call from ANY association (whole milliseconds; the remainder is kept), so N associations driven
//   by N shells do not make time run N times faster. All callers must share one clock (the shells' steady
//   clock, or one virtual clock in a test): a `now` up to 1 s behind the tick (another thread read the clock
//   a moment earlier) moves nothing; one further behind is taken as a new clock (the next test's) and
//   starts a new epoch without moving the tick.
//
// Threads: shells on different threads may drive different associations at once; usrsctp locks its own state,
// and our registry and tick are guarded. conn_output may run on another association's thread (a timer of A
// fired inside B's handle_timeout): that is why outboxes have their own mutex.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <span>
#include <vector>

#include "common/clock.hpp"
#include "sctp/crc32c.hpp"

namespace peerhub::sctp {

// Packets usrsctp produced for one association, waiting for poll_transmit().
class Outbox {
 public:
  explicit Outbox(std::size_t max_packets) : max_packets_(max_packets) {}
  void push(const void* data, std::size_t size);
  bool pop(std::vector<std::uint8_t>& out);
  std::size_t dropped() const;

 private:
  mutable std::mutex mutex_;
  std::deque<std::vector<std::uint8_t>> packets_;
  std::size_t max_packets_;
  std::size_t dropped_ = 0;
};

class UsrsctpLibrary {
 public:
  // Initializes usrsctp on the first call (thread-safe); the library stays up until the process ends.
  static UsrsctpLibrary& instance();

  // Registers an association's outbox under a fresh id (never 0) and tells usrsctp the AF_CONN address.
  std::uintptr_t add(std::shared_ptr<Outbox> outbox);
  // After this, packets for `id` are dropped. Call after the socket is closed.
  void remove(std::uintptr_t id);

  // Moves usrsctp's shared tick to `now` (see the header comment).
  void advance_timers(TimePoint now);

  static void* address_of(std::uintptr_t id) { return reinterpret_cast<void*>(id); }

 private:
  UsrsctpLibrary();
  static int conn_output(void* address, void* buffer, std::size_t length, std::uint8_t tos,
                         std::uint8_t set_df);
  std::shared_ptr<Outbox> find(std::uintptr_t id);

  std::mutex registry_mutex_;
  std::vector<std::pair<std::uintptr_t, std::shared_ptr<Outbox>>> registry_;
  std::uintptr_t next_id_ = 1;

  std::mutex tick_mutex_;
  bool tick_started_ = false;
  TimePoint tick_at_{};
};

}  // namespace peerhub::sctp
