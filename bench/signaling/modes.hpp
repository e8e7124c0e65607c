// The benchmark modes. Each runs against one server (peerhub or the Node reference, both speaking the
// Java-WebSocket dialect), prints one `result key=value ...` line on stdout, and returns an exit code.
#pragma once

#include <sys/types.h>

#include <string>

#include "client.hpp"

namespace peerhub::bench {

struct Options {
  Target target;
  pid_t server_pid = 0;         // for CPU and RSS readings; 0 = not measured
  int pairs = 50;               // relay modes: logged-in pairs
  int window = 16;              // relay: messages in flight per pair
  double rate = 20000;          // fixed: relayed messages per second offered
  double warmup_s = 1;          // relay / fixed: not measured
  double duration_s = 5;        // relay / fixed: measured
  int connections = 10000;      // idle / connect
  int concurrency = 256;        // idle / connect: upgrades + logins in flight
  double hold_s = 1;            // idle: settle time before reading RSS
  int sdp_bytes = 300;          // padding inside offers and answers
  double timeout_s = 60;        // hard limit for the whole mode
  std::string tag = "b";        // name prefix, so runs against one server never collide
  std::string label = "relay";  // the mode name printed in the result line
};

// (a) window > 0: max relay rate, each received message answered at once (offer -> answer -> candidate ...).
// (b, c) window == 0: `rate` messages per second spread over the pairs, nobody answers; reports CPU per
// message and relay latency percentiles.
int run_relay(const Options& options, bool paced);

// (d) idle: N logged-in connections held open; server RSS per connection.
// (e) connect: how fast N connections open, upgrade and log in.
int run_connect(const Options& options, bool hold_idle);

}  // namespace peerhub::bench
