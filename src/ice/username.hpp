// For a server that serves many lite agents on one UDP port (the SFU, DESIGN.md "demultiplexed by ICE
// username"): which agent a datagram from an unknown address is for. RFC 8445 §7.2.2: a check's USERNAME is
// "<receiver's ufrag>:<sender's ufrag>", so the part before the colon names the local agent.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace peerhub::ice {

// The receiver's ufrag from a STUN Binding request's USERNAME; nullopt for anything else (not STUN, not a
// Binding request, no USERNAME or no colon in it). Nothing is verified: the agent it names does that.
std::optional<std::string> binding_request_local_ufrag(std::span<const std::uint8_t> datagram);

}  // namespace peerhub::ice
