#include "net/turn_metrics.hpp"

#include <string_view>

#include "common/prometheus.hpp"

namespace peerhub::net {
namespace {

void add(turn::Metrics& sum, const turn::Metrics& m) {
  for (std::size_t i = 0; i < turn::Metrics::kMethods; ++i)
    sum.requests[i] += m.requests[i];
  for (std::size_t i = 0; i < turn::Metrics::kErrorCodes.size(); ++i)
    sum.errors_by_code[i] += m.errors_by_code[i];
  sum.refused_peer += m.refused_peer;
  sum.refused_quota += m.refused_quota;
  sum.refused_auth += m.refused_auth;
  sum.dropped += m.dropped;
  sum.dropped_no_permission += m.dropped_no_permission;
  sum.dropped_bandwidth += m.dropped_bandwidth;
  sum.dropped_malformed += m.dropped_malformed;
  sum.packets_to_peers += m.packets_to_peers;
  sum.bytes_to_peers += m.bytes_to_peers;
  sum.packets_to_clients += m.packets_to_clients;
  sum.bytes_to_clients += m.bytes_to_clients;
  sum.allocations += m.allocations;
  sum.allocations_created += m.allocations_created;
  sum.permissions += m.permissions;
  sum.channels += m.channels;
}

void add(TurnShellCounters& sum, const TurnShellCounters& s) {
  sum.udp_truncated += s.udp_truncated;
  sum.udp_send_failed += s.udp_send_failed;
  sum.udp_gso_datagrams += s.udp_gso_datagrams;
  sum.relays_open += s.relays_open;
  sum.relays_refused += s.relays_refused;
  sum.streams_accepted += s.streams_accepted;
  sum.streams_refused += s.streams_refused;
  sum.streams_open += s.streams_open;
  sum.stream_data_dropped += s.stream_data_dropped;
  for (std::size_t i = 0; i < s.stream_ends.size(); ++i)
    sum.stream_ends[i] += s.stream_ends[i];
}

}  // namespace

void append_turn_prometheus(std::span<const TurnSnapshot> workers, std::string& out) {
  turn::Metrics m;
  TurnShellCounters s;
  for (const auto& w : workers) {
    add(m, w.core);
    add(s, w.shell);
  }
  PrometheusWriter w(out, "peerhub_turn_");
  w.family("requests_total", "counter", "STUN/TURN requests and indications received, by method.");
  for (std::size_t i = 0; i < turn::Metrics::kMethods; ++i)
    w.sample("requests_total", "method", turn::metrics_method_name(i), m.requests[i]);

  w.family("errors_total", "counter", "STUN/TURN error responses sent, by code.");
  for (std::size_t i = 0; i < turn::Metrics::kErrorCodes.size(); ++i) {
    const auto code = std::to_string(turn::Metrics::kErrorCodes[i]);
    w.sample("errors_total", "code", code, m.errors_by_code[i]);
  }

  w.family("refused_total", "counter",
           "Requests refused: a denied peer address (403), a quota (486/508), bad credentials (401).");
  w.sample("refused_total", "reason", "peer", m.refused_peer);
  w.sample("refused_total", "reason", "quota", m.refused_quota);
  w.sample("refused_total", "reason", "auth", m.refused_auth);

  // The core counts every silent drop in `dropped` and some of them by reason; "other" is the rest.
  const auto known = m.dropped_no_permission + m.dropped_bandwidth + m.dropped_malformed;
  w.family("dropped_total", "counter", "Datagrams and frames dropped without an answer, by reason.");
  w.sample("dropped_total", "reason", "no-permission", m.dropped_no_permission);
  w.sample("dropped_total", "reason", "bandwidth", m.dropped_bandwidth);
  w.sample("dropped_total", "reason", "malformed", m.dropped_malformed);
  w.sample("dropped_total", "reason", "other", m.dropped > known ? m.dropped - known : 0);
  w.sample("dropped_total", "reason", "too-big", s.udp_truncated);
  w.sample("dropped_total", "reason", "send-failed", s.udp_send_failed);
  w.sample("dropped_total", "reason", "slow-reader", s.stream_data_dropped);

  w.family("relayed_packets_total", "counter", "Data relayed, in packets, by direction.");
  w.sample("relayed_packets_total", "direction", "to-peer", m.packets_to_peers);
  w.sample("relayed_packets_total", "direction", "to-client", m.packets_to_clients);
  w.single("udp_gso_datagrams_total", "counter",
           "UDP datagrams sent several per send with GSO (byte-identical on the wire).", s.udp_gso_datagrams);
  w.family("relayed_bytes_total", "counter", "Data relayed, in bytes of application data, by direction.");
  w.sample("relayed_bytes_total", "direction", "to-peer", m.bytes_to_peers);
  w.sample("relayed_bytes_total", "direction", "to-client", m.bytes_to_clients);

  w.single("allocations", "gauge", "Allocations live now.", m.allocations);
  w.single("allocations_created_total", "counter", "Allocations created.", m.allocations_created);
  w.single("permissions", "gauge", "Permissions live now.", m.permissions);
  w.single("channels", "gauge", "Channel bindings live now.", m.channels);
  w.single("relay_sockets", "gauge", "Relay sockets open now.", s.relays_open);
  w.single("relay_sockets_refused_total", "counter", "Relay sockets that could not be opened (no free port).",
           s.relays_refused);

  w.single("tcp_connections", "gauge", "TURN connections over TCP and TLS open now.", s.streams_open);
  w.single("tcp_accepted_total", "counter", "TURN connections over TCP and TLS accepted.",
           s.streams_accepted);
  w.single("tcp_refused_total", "counter", "TURN connections refused at the connection limit.",
           s.streams_refused);
  w.family("tcp_closed_total", "counter", "TURN connections over TCP and TLS ended, by reason.");
  static constexpr std::string_view kEnds[] = {"closed", "idle", "slow-reader", "bad-frame", "shutdown"};
  for (std::size_t i = 0; i < s.stream_ends.size(); ++i)
    w.sample("tcp_closed_total", "reason", kEnds[i], s.stream_ends[i]);
}

}  // namespace peerhub::net
