#include "turn/peer_policy.hpp"

#include <array>
#include <optional>

namespace peerhub::turn {
namespace {

enum class Kind : std::uint8_t { public_address, loopback, private_range, denied };

struct V4Range {
  std::array<std::uint8_t, 4> base;
  unsigned prefix;
  Kind kind;
};

// The IPv4 ranges peerhub does not relay to by default. allow_loopback lifts `loopback` and `private_range`.
// The metadata address comes before link-local so that allow_loopback never opens it.
constexpr V4Range kV4[] = {
    {{169, 254, 169, 254}, 32, Kind::denied},     // cloud metadata (AWS, GCP, Azure, …)
    {{0, 0, 0, 0}, 8, Kind::denied},              // "this network", unspecified (RFC 1122)
    {{127, 0, 0, 0}, 8, Kind::loopback},          // RFC 1122
    {{10, 0, 0, 0}, 8, Kind::private_range},      // RFC 1918
    {{172, 16, 0, 0}, 12, Kind::private_range},   //
    {{192, 168, 0, 0}, 16, Kind::private_range},  //
    {{100, 64, 0, 0}, 10, Kind::denied},          // carrier-grade NAT (RFC 6598)
    {{169, 254, 0, 0}, 16, Kind::denied},         // link-local (RFC 3927)
    {{224, 0, 0, 0}, 4, Kind::denied},            // multicast
    {{240, 0, 0, 0}, 4, Kind::denied},            // reserved, and 255.255.255.255 broadcast
};

bool prefix_match(std::span<const std::uint8_t> ip, std::span<const std::uint8_t> base, unsigned prefix) {
  const unsigned bits = static_cast<unsigned>(ip.size()) * 8;
  if (prefix > bits) return false;
  const unsigned whole = prefix / 8;
  for (unsigned i = 0; i < whole; ++i)
    if (ip[i] != base[i]) return false;
  const unsigned rest = prefix % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<std::uint8_t>(0xFFU << (8 - rest));
  return (ip[whole] & mask) == (base[whole] & mask);
}

Kind classify_v4(std::span<const std::uint8_t> ip) {
  for (const V4Range& r : kV4)
    if (prefix_match(ip, r.base, r.prefix)) return r.kind;
  return Kind::public_address;
}

bool starts_with(std::span<const std::uint8_t> ip, std::initializer_list<std::uint8_t> head) {
  std::size_t i = 0;
  for (std::uint8_t b : head)
    if (ip[i++] != b) return false;
  return true;
}

// The IPv4 address an IPv6 address carries, in the forms a dual-stack host or a translator would deliver to
// that IPv4 address: IPv4-mapped ::ffff:a.b.c.d (RFC 4291 §2.5.5.2, what a dual-stack socket sends to
// directly), IPv4-compatible ::a.b.c.d (deprecated, §2.5.5.1), NAT64's 64:ff9b::a.b.c.d (RFC 6052) and 6to4's
// 2002:AABB:CCDD::/48 (RFC 3056).
std::optional<std::array<std::uint8_t, 4>> embedded_v4(std::span<const std::uint8_t> ip) {
  const auto tail = [&](std::size_t at) {
    return std::array<std::uint8_t, 4>{ip[at], ip[at + 1], ip[at + 2], ip[at + 3]};
  };
  if (starts_with(ip, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff})) return tail(12);
  if (starts_with(ip, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})) return tail(12);
  if (starts_with(ip, {0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0})) return tail(12);
  if (starts_with(ip, {0x20, 0x02})) return tail(2);
  return std::nullopt;
}

Kind classify_v6(std::span<const std::uint8_t> ip) {
  static constexpr std::array<std::uint8_t, 16> kLoopback = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  static constexpr std::array<std::uint8_t, 16> kUnspecified{};
  static constexpr std::array<std::uint8_t, 16> kMetadata = {0xfd, 0x00, 0x0e, 0xc2, 0, 0, 0,    0,
                                                             0,    0,    0,    0,    0, 0, 0x02, 0x54};
  if (prefix_match(ip, kLoopback, 128)) return Kind::loopback;
  if (prefix_match(ip, kUnspecified, 128)) return Kind::denied;
  if (prefix_match(ip, kMetadata, 128)) return Kind::denied;  // AWS's IPv6 metadata, before fc00::/7
  static constexpr std::array<std::uint8_t, 16> kLinkLocal = {0xfe, 0x80};
  static constexpr std::array<std::uint8_t, 16> kSiteLocal = {0xfe, 0xc0};
  static constexpr std::array<std::uint8_t, 16> kUniqueLocal = {0xfc};
  static constexpr std::array<std::uint8_t, 16> kMulticast = {0xff};
  if (prefix_match(ip, kLinkLocal, 10) || prefix_match(ip, kSiteLocal, 10)) return Kind::denied;
  if (prefix_match(ip, kMulticast, 8)) return Kind::denied;
  if (prefix_match(ip, kUniqueLocal, 7)) return Kind::private_range;  // RFC 4193: IPv6's private addresses
  return Kind::public_address;
}

}  // namespace

bool in_range(const stun::Address& ip, const stun::Address& base, unsigned prefix) {
  return ip.family == base.family && prefix_match(ip.ip(), base.ip(), prefix);
}

bool own_relay_port(const PeerPolicy& policy, std::uint16_t port) {
  return policy.own_port_max != 0 && port >= policy.own_port_min && port <= policy.own_port_max;
}

PeerVerdict check_peer(const PeerPolicy& policy, const stun::Address& peer) {
  for (const PeerPolicy::Range& r : policy.allowed)
    if (in_range(peer, r.base, r.prefix)) return PeerVerdict::allowed;
  if (peer.family == stun::Family::ipv6 && classify_v6(peer.ip()) == Kind::public_address) {
    // An IPv6 address that carries an IPv4 one reaches that IPv4 address: it gets the same verdict (but never
    // the TURN-to-TURN exception, which is for the relay addresses as they are).
    if (const auto v4 = embedded_v4(peer.ip())) {
      const PeerVerdict v = check_peer(policy, stun::Address::v4(*v4, peer.port));
      return v == PeerVerdict::allowed ? v : PeerVerdict::denied;
    }
  }
  const Kind kind = peer.family == stun::Family::ipv4 ? classify_v4(peer.ip()) : classify_v6(peer.ip());
  if (kind == Kind::public_address) return PeerVerdict::allowed;
  if (policy.allow_loopback && (kind == Kind::loopback || kind == Kind::private_range))
    return PeerVerdict::allowed;
  if (policy.own_port_max != 0)
    for (const stun::Address& own : policy.own_relays)
      if (own.family == peer.family && in_range(peer, own, peer.family == stun::Family::ipv4 ? 32 : 128))
        return PeerVerdict::own_relay;
  return PeerVerdict::denied;
}

}  // namespace peerhub::turn
