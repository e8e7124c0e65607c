// A transport address as STUN carries it (RFC 8489 §14.1): family, port and 4 or 16 address bytes. The
// codec's own type, so that it needs no socket headers; the network shell converts to and from sockaddr.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "stun/types.hpp"

namespace peerhub::stun {

struct Address {
  Family family = Family::ipv4;
  std::uint16_t port = 0;
  std::array<std::uint8_t, 16>
      bytes{};  // network order; an IPv4 address uses the first 4, the rest stay zero

  static Address v4(const std::array<std::uint8_t, 4>& ip, std::uint16_t port);
  static Address v6(const std::array<std::uint8_t, 16>& ip, std::uint16_t port);
  // "192.0.2.1:3478" or "[2001:db8::1]:3478"; nullopt for anything else (names are never resolved here).
  static std::optional<Address> parse(std::string_view text);

  // The 4 or 16 address bytes.
  std::span<const std::uint8_t> ip() const { return {bytes.data(), family == Family::ipv4 ? 4U : 16U}; }

  // Compared as two 8-byte words: the defaulted comparison called memcmp for the bytes, and the relay path
  // compares addresses for every datagram (table lookups, send batching).
  bool operator==(const Address& other) const {
    return family == other.family && port == other.port && word(0) == other.word(0) &&
           word(8) == other.word(8);
  }

 private:
  std::uint64_t word(std::size_t at) const {
    std::uint64_t w;
    std::memcpy(&w, bytes.data() + at, sizeof w);
    return w;
  }
};

// For logs: "192.0.2.1:3478", "[2001:db8::1]:3478".
std::string to_string(const Address& address);
// Just the IP part: "192.0.2.1", "2001:db8::1".
std::string ip_to_string(const Address& address);

}  // namespace peerhub::stun
