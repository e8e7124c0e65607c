// stun::Address <-> sockaddr, and the UDP/TCP sockets the TURN shell opens. The STUN codec keeps its own
// address type so that it needs no socket headers; these are the only conversions.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <optional>
#include <string>

#include "common/config.hpp"
#include "stun/address.hpp"

namespace peerhub::net {

stun::Address to_stun(const sockaddr_storage& from);
socklen_t to_sockaddr(const stun::Address& address, sockaddr_storage& out);
// An IP literal (no brackets) and a port; nullopt when the text is not an IP.
std::optional<stun::Address> stun_address(const std::string& ip, std::uint16_t port);
bool is_wildcard(const stun::Address& address);

struct SocketOptions {
  bool reuse_port = false;  // join the group of the other workers' sockets on this address
  bool reuse_address = false;
  bool packet_info = false;  // wildcard UDP listener: learn (and answer from) the address a client reached
  int receive_buffer = 0;  // bytes asked for SO_RCVBUF (the kernel caps it at net.core.rmem_max); 0: default
};

// A non-blocking, close-on-exec socket bound to `address` (IPv6 ones IPv6-only); -1 with errno set on
// failure.
int bind_udp(const stun::Address& address, const SocketOptions& options);
int bind_tcp_listener(const stun::Address& address, const SocketOptions& options);

// The address a socket is bound to (its port when 0 was asked).
stun::Address local_address(int fd);

}  // namespace peerhub::net
