// One allocation (RFC 8656 §2.2): its 5-tuple, one relayed address per family (two for a dual allocation,
// RFC 8656 §7.2 step 9), its lifetime, permissions (§9) and channels (§11), and the bandwidth buckets.
//
// Kept small (the target is 4 KiB per allocation, all in): permissions and channels are short vectors scanned
// linearly — a browser installs a handful — capped by Limits, and nothing here is a tree node.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "stun/address.hpp"
#include "stun/attribute_values.hpp"
#include "stun/types.hpp"
#include "turn/server.hpp"
#include "turn/token_bucket.hpp"

namespace peerhub::turn {

inline constexpr std::chrono::seconds kPermissionLifetime{300};  // §9: exactly 300 s
inline constexpr std::chrono::seconds kChannelLifetime{600};     // §11: 10 minutes
inline constexpr std::chrono::seconds kReservationLifetime{30};  // §7.2: at least 30 s

inline bool same_ip(const stun::Address& a, const stun::Address& b) {
  return a.family == b.family && a.bytes == b.bytes;  // an IPv4 address leaves bytes 4..15 zero
}

struct Permission {
  std::array<std::uint8_t, 16> ip{};
  stun::Family family = stun::Family::ipv4;
  bool relay_ports_only = false;  // installed by the TURN-to-TURN exception (peer_policy.hpp)
  TimePoint expires{};
  bool matches(const stun::Address& peer) const {
    if (peer.family != family) return false;
    for (std::size_t i = 0; i < (family == stun::Family::ipv4 ? 4U : 16U); ++i)
      if (peer.bytes[i] != ip[i]) return false;
    return true;
  }
};

struct Channel {
  std::uint16_t number = 0;
  stun::Address peer;
  TimePoint expires{};
};

struct RelaySlot {
  RelayId id = 0;
  stun::Address address;
};

struct Allocation {
  FiveTuple tuple;
  std::array<RelaySlot, 2> relays{};
  std::uint8_t relay_count = 0;
  TimePoint expires{};
  // The Allocate that created it: a retransmission (same transaction id) gets the success again (§7.2).
  stun::TransactionId allocate_id{};
  std::optional<ReservationToken> reservation;               // returned by that Allocate
  std::optional<stun::AddressErrorCodeValue> address_error;  // a dual allocation that got one family
  std::string username;                                      // §5: later requests must use it (441)
  std::uint16_t quota_offset = 0;                            // see KnownUser::quota_offset
  std::vector<Permission> permissions;
  std::vector<Channel> channels;
  TokenBucket to_peers, to_client;

  std::string_view quota_user() const { return std::string_view(username).substr(quota_offset); }
  const RelaySlot* relay_for(stun::Family family) const {
    for (std::uint8_t i = 0; i < relay_count; ++i)
      if (relays[i].address.family == family) return &relays[i];
    return nullptr;
  }
  // The live permission for the peer's IP (§9: ports do not matter), if any.
  Permission* permission_for(const stun::Address& peer, TimePoint now) {
    for (Permission& p : permissions)
      if (p.matches(peer)) return p.expires > now ? &p : nullptr;
    return nullptr;
  }
  Channel* channel_by_number(std::uint16_t number, TimePoint now) {
    for (Channel& c : channels)
      if (c.number == number) return c.expires > now ? &c : nullptr;
    return nullptr;
  }
  Channel* channel_by_peer(const stun::Address& peer, TimePoint now) {
    for (Channel& c : channels)
      if (c.peer == peer) return c.expires > now ? &c : nullptr;
    return nullptr;
  }
};

}  // namespace peerhub::turn
