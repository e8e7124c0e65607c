// Text form of stun::Address, through the C library's inet_ntop / inet_pton (pure conversions, no sockets).
#include "stun/address.hpp"

#include <arpa/inet.h>

#include <charconv>

namespace peerhub::stun {

Address Address::v4(const std::array<std::uint8_t, 4>& ip, std::uint16_t port) {
  Address a;
  a.family = Family::ipv4;
  a.port = port;
  for (std::size_t i = 0; i < ip.size(); ++i)
    a.bytes[i] = ip[i];
  return a;
}

Address Address::v6(const std::array<std::uint8_t, 16>& ip, std::uint16_t port) {
  Address a;
  a.family = Family::ipv6;
  a.port = port;
  a.bytes = ip;
  return a;
}

std::optional<Address> Address::parse(std::string_view text) {
  std::string_view host;
  std::string_view port;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':')
      return std::nullopt;
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    const auto colon = text.find(':');
    if (colon == std::string_view::npos || text.find(':', colon + 1) != std::string_view::npos)
      return std::nullopt;
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value > 0xFFFF)
    return std::nullopt;
  if (host.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  char buffer[INET6_ADDRSTRLEN] = {};
  host.copy(buffer, host.size());
  Address a;
  a.port = static_cast<std::uint16_t>(value);
  const bool bracketed = text.front() == '[';
  if (!bracketed && inet_pton(AF_INET, buffer, a.bytes.data()) == 1) {
    a.family = Family::ipv4;
    return a;
  }
  if (bracketed && inet_pton(AF_INET6, buffer, a.bytes.data()) == 1) {
    a.family = Family::ipv6;
    return a;
  }
  return std::nullopt;
}

std::string ip_to_string(const Address& address) {
  char buffer[INET6_ADDRSTRLEN] = {};
  const int af = address.family == Family::ipv4 ? AF_INET : AF_INET6;
  if (inet_ntop(af, address.bytes.data(), buffer, sizeof buffer) == nullptr) return "?";
  return buffer;
}

std::string to_string(const Address& address) {
  std::string out;
  if (address.family == Family::ipv6) out += '[';
  out += ip_to_string(address);
  if (address.family == Family::ipv6) out += ']';
  out += ':';
  out += std::to_string(address.port);
  return out;
}

}  // namespace peerhub::stun
