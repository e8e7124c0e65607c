// Claiming a listening port before the workers share it.
//
// Every worker binds its own socket with SO_REUSEPORT, and the kernel lets a socket join a SO_REUSEPORT group
// of the same user's — another peerhub started on the same address by mistake would silently take half the
// connections or datagrams. A socket bound WITHOUT SO_REUSEPORT conflicts with anyone's, so binding one first
// (and closing it) tells whether the address is free; for port 0 it picks the port all workers then share.
#pragma once

#include <cstdint>

#include "stun/address.hpp"

namespace peerhub::net {

// The port to bind: `address.port`, or a free one when it is 0 (free for UDP too when `udp_too`). Throws
// std::runtime_error "<what> <address>: <reason>" when the address is taken or cannot be bound; a taken one
// adds "(is another server running there? <remedy>)".
std::uint16_t claim_port(stun::Address address, bool udp_too, const char* what,
                         const char* remedy = "choose another port");

[[noreturn]] void bind_failed(const char* what, const stun::Address& address, int error,
                              const char* remedy = "choose another port");

}  // namespace peerhub::net
