// ChannelBind (RFC 8656 §11.2): binds a channel number to a peer's transport address (or refreshes the
// binding), and installs or refreshes the permission for the peer's IP as a side effect.
#include "stun/attributes.hpp"
#include "stun/error_code.hpp"
#include "turn/channel_numbers.hpp"
#include "turn/peer_policy.hpp"
#include "turn/server_impl.hpp"

namespace peerhub::turn {

void Server::Impl::channel_bind(const Request& r) {
  Allocation* a = allocation_for(r);  // §5: 437, 441
  if (a == nullptr) return;
  purge(*a, r.now.steady);  // an expired binding no longer blocks its number or its peer

  // §11.2: CHANNEL-NUMBER in 0x4000..0x4FFF (or RFC 5766's 0x7FFF) and one XOR-PEER-ADDRESS, or 400.
  const auto number = channel_number(r.message, config.rfc5766_channels);
  const auto peer = r.message.get<stun::attr::XorPeerAddress>();
  if (!number || !peer) return error(r, stun::kBadRequest);
  // §11.2: a peer of a family the allocation has no relayed address of is 443.
  if (a->relay_for(peer->family) == nullptr) return error(r, stun::kPeerAddressFamilyMismatch);
  // §11.2: the number may not be bound to another peer, nor the peer to another number (400); the same pair
  // again is a refresh.
  Channel* by_number = a->channel_by_number(*number, r.now.steady);
  Channel* by_peer = a->channel_by_peer(*peer, r.now.steady);
  if ((by_number != nullptr && !(by_number->peer == *peer)) || (by_peer != nullptr && by_peer != by_number))
    return error(r, stun::kBadRequest);
  // §11.2: the server may refuse peers (403); the TURN-to-TURN exception holds only for relay ports.
  const PeerVerdict verdict = check_peer(config.peers, *peer);
  if (verdict == PeerVerdict::denied ||
      (verdict == PeerVerdict::own_relay && !own_relay_port(config.peers, peer->port))) {
    ++metrics.refused_peer;
    return error(r, stun::kForbidden);
  }
  // §11.2: a full table is "some capacity limit": 508.
  const bool new_permission = a->permission_for(*peer, r.now.steady) == nullptr;
  if ((by_number == nullptr && a->channels.size() >= config.limits.channels_per_allocation) ||
      (new_permission && a->permissions.size() >= config.limits.permissions_per_allocation))
    return error(r, stun::kInsufficientCapacity);

  // §11: a binding lasts 10 minutes from its last refresh; §11.2: the permission is installed or refreshed.
  if (by_number != nullptr) {
    by_number->expires = r.now.steady + kChannelLifetime;
  } else {
    a->channels.push_back(Channel{*number, *peer, r.now.steady + kChannelLifetime});
    ++metrics.channels;
  }
  permit(*a, *peer, verdict == PeerVerdict::own_relay, r.now.steady);
  stun::Builder b = start(r, stun::Class::success);
  finish(r, b);
}

}  // namespace peerhub::turn
