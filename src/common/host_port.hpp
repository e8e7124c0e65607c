// The "host[:port]" part of a URL (RFC 3986 §3.2.2: an IPv6 literal in brackets), for the URLs peerhub reads:
// ws:// and wss:// server URLs, stun: and turn: ICE server URLs. Names are kept as written (resolving them is
// the caller's business); the port is optional.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace peerhub {

struct HostPort {
  std::string host;                   // without brackets
  std::optional<std::uint16_t> port;  // 1..65535 when given
  std::string error;                  // "unclosed '['", "expected ':' after ']'", "bad port \"x\"", "no host"
};

HostPort split_host_port(std::string_view authority);

}  // namespace peerhub
