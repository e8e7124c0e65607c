// CreatePermission (RFC 8656 §9): permissions for the IP addresses of one or more XOR-PEER-ADDRESS
// attributes, each vetted by the peer policy. All or nothing: one refused peer refuses the request.
#include <array>

#include "stun/attributes.hpp"
#include "stun/error_code.hpp"
#include "turn/peer_policy.hpp"
#include "turn/server_impl.hpp"

namespace peerhub::turn {

void Server::Impl::permit(Allocation& a, const stun::Address& peer, bool relay_ports_only, TimePoint now) {
  // §9: a permission lasts 300 s from its last install or refresh, whatever its port.
  for (Permission& p : a.permissions) {
    if (!p.matches(peer)) continue;
    p.expires = now + kPermissionLifetime;
    p.relay_ports_only = relay_ports_only;
    return;
  }
  Permission p;
  for (std::size_t i = 0; i < 16; ++i)
    p.ip[i] = peer.bytes[i];
  p.family = peer.family;
  p.relay_ports_only = relay_ports_only;
  p.expires = now + kPermissionLifetime;
  a.permissions.push_back(p);
  ++metrics.permissions;
}

void Server::Impl::create_permission(const Request& r) {
  Allocation* a = allocation_for(r);  // §5: 437, 441
  if (a == nullptr) return;
  purge(*a, r.now.steady);

  // §9.2: at least one XOR-PEER-ADDRESS, all well formed (400). More peers than the table holds cannot
  // succeed: 508 without reading further.
  static constexpr std::size_t kMaxPeers = 64;
  std::array<stun::Address, kMaxPeers> peers;
  std::array<bool, kMaxPeers> own{};
  std::size_t count = 0;
  for (const stun::Attribute& attr : r.message.attributes()) {
    if (attr.type != static_cast<std::uint16_t>(stun::AttrType::xor_peer_address)) continue;
    const auto peer = stun::attr::XorPeerAddress::decode(attr.value, r.message.transaction_id());
    if (!peer) return error(r, stun::kBadRequest);
    if (count == kMaxPeers) return error(r, stun::kInsufficientCapacity);
    peers[count++] = *peer;
  }
  if (count == 0) return error(r, stun::kBadRequest);

  std::size_t added = 0;
  for (std::size_t i = 0; i < count; ++i) {
    // §9.2: a peer of a family the allocation has no relayed address of is 443…
    if (a->relay_for(peers[i].family) == nullptr) return error(r, stun::kPeerAddressFamilyMismatch);
    // …and one the server's policy refuses is 403.
    const PeerVerdict verdict = check_peer(config.peers, peers[i]);
    if (verdict == PeerVerdict::denied) {
      ++metrics.refused_peer;
      return error(r, stun::kForbidden);
    }
    own[i] = verdict == PeerVerdict::own_relay;
    bool known = false;
    for (const Permission& p : a->permissions)
      known = known || p.matches(peers[i]);
    for (std::size_t k = 0; k < i; ++k)
      known = known || same_ip(peers[k], peers[i]);
    if (!known) ++added;
  }
  // §9.2: "unable to satisfy the request due to some capacity limit" is 508.
  if (a->permissions.size() + added > config.limits.permissions_per_allocation)
    return error(r, stun::kInsufficientCapacity);

  for (std::size_t i = 0; i < count; ++i)
    permit(*a, peers[i], own[i], r.now.steady);
  stun::Builder b = start(r, stun::Class::success);
  finish(r, b);
}

}  // namespace peerhub::turn
