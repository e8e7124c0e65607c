#include "net/turn_sockaddr.hpp"

#include <fcntl.h>
#include <netinet/tcp.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "common/address.hpp"

namespace peerhub::net {
namespace {

bool set_flag(int fd, int level, int name) {
  const int on = 1;
  return ::setsockopt(fd, level, name, &on, sizeof on) == 0;
}

int open_bound(const stun::Address& address, int type, const SocketOptions& options) {
  const int domain = address.family == stun::Family::ipv4 ? AF_INET : AF_INET6;
  const int fd = ::socket(domain, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  bool ok = true;
  if (domain == AF_INET6) ok = ok && set_flag(fd, IPPROTO_IPV6, IPV6_V6ONLY);
  if (options.reuse_address) ok = ok && set_flag(fd, SOL_SOCKET, SO_REUSEADDR);
  if (options.reuse_port) ok = ok && set_flag(fd, SOL_SOCKET, SO_REUSEPORT);
  if (options.packet_info) {
    ok = ok && (domain == AF_INET ? set_flag(fd, IPPROTO_IP, IP_PKTINFO)
                                  : set_flag(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO));
  }
  if (options.receive_buffer > 0) {
    // Best effort: a smaller buffer than asked only means drops sooner under a burst.
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &options.receive_buffer, sizeof options.receive_buffer);
  }
  sockaddr_storage storage{};
  const socklen_t length = to_sockaddr(address, storage);
  if (!ok || ::bind(fd, reinterpret_cast<const sockaddr*>(&storage), length) != 0) {
    const int saved = errno;
    ::close(fd);
    errno = saved;
    return -1;
  }
  return fd;
}

}  // namespace

stun::Address to_stun(const sockaddr_storage& from) {
  stun::Address a;
  if (from.ss_family == AF_INET) {
    const auto& in = reinterpret_cast<const sockaddr_in&>(from);
    a.family = stun::Family::ipv4;
    a.port = ntohs(in.sin_port);
    std::memcpy(a.bytes.data(), &in.sin_addr, 4);
  } else if (from.ss_family == AF_INET6) {
    const auto& in6 = reinterpret_cast<const sockaddr_in6&>(from);
    a.family = stun::Family::ipv6;
    a.port = ntohs(in6.sin6_port);
    std::memcpy(a.bytes.data(), &in6.sin6_addr, 16);
  }
  return a;
}

socklen_t to_sockaddr(const stun::Address& address, sockaddr_storage& out) {
  if (address.family == stun::Family::ipv4) {
    auto& in = reinterpret_cast<sockaddr_in&>(out);
    in.sin_family = AF_INET;
    in.sin_port = htons(address.port);
    std::memcpy(&in.sin_addr, address.bytes.data(), 4);
    return sizeof(sockaddr_in);
  }
  auto& in6 = reinterpret_cast<sockaddr_in6&>(out);
  in6.sin6_family = AF_INET6;
  in6.sin6_port = htons(address.port);
  in6.sin6_flowinfo = 0;
  in6.sin6_scope_id = 0;
  std::memcpy(&in6.sin6_addr, address.bytes.data(), 16);
  return sizeof(sockaddr_in6);
}

std::optional<stun::Address> stun_address(const std::string& ip, std::uint16_t port) {
  const auto bytes = parse_ip_address(ip);
  if (!bytes) return std::nullopt;
  stun::Address a;
  a.family = bytes->size() == 4 ? stun::Family::ipv4 : stun::Family::ipv6;
  a.port = port;
  std::copy(bytes->begin(), bytes->end(), a.bytes.begin());
  return a;
}

bool is_wildcard(const stun::Address& address) {
  const auto ip = address.ip();
  return std::all_of(ip.begin(), ip.end(), [](std::uint8_t b) { return b == 0; });
}

int bind_udp(const stun::Address& address, const SocketOptions& options) {
  return open_bound(address, SOCK_DGRAM, options);
}

int bind_tcp_listener(const stun::Address& address, const SocketOptions& options) {
  const int fd = open_bound(address, SOCK_STREAM, options);
  if (fd < 0) return -1;
  // Accepted sockets inherit TCP_NODELAY: STUN answers and ChannelData are small and each goes out whole.
  set_flag(fd, IPPROTO_TCP, TCP_NODELAY);
  if (::listen(fd, SOMAXCONN) != 0) {
    const int saved = errno;
    ::close(fd);
    errno = saved;
    return -1;
  }
  return fd;
}

stun::Address local_address(int fd) {
  sockaddr_storage storage{};
  socklen_t length = sizeof storage;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&storage), &length);
  return to_stun(storage);
}

}  // namespace peerhub::net
