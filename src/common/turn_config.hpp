// The [turn] settings resolved into what the network shell sets up: which listeners, which relay ports and
// addresses, which host the login's stun:/turn: URLs name, which peer ranges the operator allowed. One
// function does it, so validate() and the server agree on every default and every refusal.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/config.hpp"

namespace peerhub {

struct IpRange {
  std::vector<std::uint8_t> bytes;  // 4 or 16, network order, host bits cleared
  unsigned prefix = 0;              // 0..32 or 0..128
};

struct TurnPlan {
  bool enabled = false;         // turn.listen is neither "" nor "off"
  Endpoint listen;              // UDP and TCP
  std::optional<Endpoint> tls;  // TURN over TLS (a certificate is configured and turn.tls_listen != "off")
  std::uint16_t relay_port_min = 0;  // turn.relay_ports, inclusive
  std::uint16_t relay_port_max = 0;
  std::vector<std::string> relay_addresses;  // specific IPs, at most one per family
  std::string public_host;                   // an IP literal (no brackets) or a DNS name
  std::vector<IpRange> allow_peers;
};

// Throws std::invalid_argument with one line naming the setting (as written in TOML) and what it accepts.
TurnPlan plan_turn(const Config& config);

// "10.0.0.0/8", "2001:db8::/32", or a single address ("192.0.2.7" = /32). Throws std::invalid_argument.
IpRange parse_ip_range(const std::string& text);

// The host as a URL authority needs it: an IPv6 literal in brackets, anything else unchanged.
std::string url_host(const std::string& host);

}  // namespace peerhub
