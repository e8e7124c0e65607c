// Which peers an allocation may reach (RFC 8656 §17.2 leaves the policy to the server; server.hpp's
// PeerPolicy states peerhub's). Checked when a permission or channel is installed; the permission then
// carries the verdict, so relayed data needs no second look.
#pragma once

#include <cstdint>

#include "stun/address.hpp"
#include "turn/server.hpp"

namespace peerhub::turn {

enum class PeerVerdict : std::uint8_t {
  allowed,
  own_relay,  // denied by range, but one of this server's relay addresses: relay ports only (TURN-to-TURN)
  denied,
};

// The verdict for a peer's IP (its port is not looked at: permissions are per IP, §9).
PeerVerdict check_peer(const PeerPolicy& policy, const stun::Address& peer);

// Whether `port` is in the relay range that an own_relay permission is limited to.
bool own_relay_port(const PeerPolicy& policy, std::uint16_t port);

// Whether `ip` (port ignored) lies in base/prefix. Families must match.
bool in_range(const stun::Address& ip, const stun::Address& base, unsigned prefix);

}  // namespace peerhub::turn
