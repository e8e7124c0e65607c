// The TURN counters for GET /metrics: the core's turn::Metrics and the shell's own, of every worker, summed.
// Each worker publishes a copy of its counters after every round that did something, under a mutex nobody
// else holds for long, so /metrics (running on whichever worker serves the request) reads consistent numbers
// without racing the worker that owns them.
#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <span>
#include <string>

#include "turn/server.hpp"

namespace peerhub::net {

struct TurnShellCounters {
  std::uint64_t udp_truncated = 0;      // datagrams larger than a receive buffer, dropped
  std::uint64_t udp_send_failed = 0;    // datagrams the kernel refused to send
  std::uint64_t udp_gso_datagrams = 0;  // datagrams sent inside a GSO super-datagram (udp_batch.hpp)
  std::uint64_t relays_open = 0;        // relay sockets open now
  std::uint64_t relays_refused = 0;     // relay sockets that could not be opened (no free port, at the limit)
  std::uint64_t streams_accepted = 0;   // TCP and TLS connections accepted
  std::uint64_t streams_refused = 0;    // refused at the connection limit
  std::uint64_t streams_open = 0;
  std::uint64_t stream_data_dropped = 0;       // relayed data for a TCP/TLS client whose send queue was full
  std::array<std::uint64_t, 5> stream_ends{};  // by StreamEnd (turn_stream.hpp)
};

struct TurnSnapshot {
  turn::Metrics core;
  TurnShellCounters shell;
};

class PublishedTurnMetrics {
 public:
  void publish(const turn::Metrics& core, const TurnShellCounters& shell) {
    std::lock_guard lock(mutex_);
    snapshot_.core = core;
    snapshot_.shell = shell;
  }
  TurnSnapshot read() const {
    std::lock_guard lock(mutex_);
    return snapshot_;
  }

 private:
  mutable std::mutex mutex_;
  TurnSnapshot snapshot_;
};

// Sums the snapshots and writes them in the Prometheus text format, names prefixed peerhub_turn_.
void append_turn_prometheus(std::span<const TurnSnapshot> workers, std::string& out);

}  // namespace peerhub::net
