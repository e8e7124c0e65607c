// The STUN/TURN entries of the signaling login answer's iceServers (W3C RTCIceServer): this server's stun:
// URL, and its turn:/turns: URLs with REST credentials minted for the name that logged in, so a browser can
// use the embedded TURN server without anyone configuring it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/array.hpp>

namespace peerhub::net {

struct TurnUrls {
  std::string host;  // an IP literal (no brackets) or a DNS name
  std::uint16_t port = 3478;
  std::optional<std::uint16_t> tls_port;
};

// Appends {"urls":["stun:HOST:PORT"]} and {"urls":["turn:HOST:PORT?transport=udp",
// "turn:HOST:PORT?transport=tcp"(, "turns:HOST:TLSPORT?transport=tcp")],"username":…,"credential":…} with
// the credential rest_credential(secret, name, expires_unix) (RFC 7064 / RFC 7065 URI syntax).
void append_turn_ice_servers(const TurnUrls& urls, std::string_view secret, std::string_view name,
                             std::int64_t expires_unix, boost::json::array& out);

}  // namespace peerhub::net
