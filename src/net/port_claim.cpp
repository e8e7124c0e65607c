#include "net/port_claim.hpp"

#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <string>
#include <system_error>

#include "net/turn_sockaddr.hpp"

namespace peerhub::net {
namespace {

// Port 0 may find a port free for TCP but taken for UDP: that many tries for one free for both.
constexpr int kPortProbes = 16;

}  // namespace

void bind_failed(const char* what, const stun::Address& address, int error, const char* remedy) {
  const std::string hint =
      error == EADDRINUSE ? std::string(" (is another server running there? ") + remedy + ")" : "";
  throw std::runtime_error(std::string(what) + " " + stun::to_string(address) + ": " +
                           std::generic_category().message(error) + hint);
}

std::uint16_t claim_port(stun::Address address, bool udp_too, const char* what, const char* remedy) {
  for (int attempt = 0; attempt < kPortProbes; ++attempt) {
    const int tcp = bind_tcp_listener(address, SocketOptions{.reuse_address = true});
    if (tcp < 0) bind_failed(what, address, errno, remedy);
    stun::Address chosen = address;
    chosen.port = local_address(tcp).port;
    const int udp = udp_too ? bind_udp(chosen, SocketOptions{}) : -2;
    const int udp_error = errno;
    ::close(tcp);
    if (udp == -1) {
      if (address.port != 0 || udp_error != EADDRINUSE) bind_failed(what, chosen, udp_error, remedy);
      continue;  // port 0 found a port free for TCP only: try another
    }
    if (udp >= 0) ::close(udp);
    return chosen.port;
  }
  bind_failed(what, address, EADDRINUSE, remedy);
}

}  // namespace peerhub::net
