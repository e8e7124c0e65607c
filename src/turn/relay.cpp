// The data path: Send indications (§10.2) and ChannelData (§12.6) from the client to a peer, and datagrams
// from peers back as ChannelData (§12.7) or Data indications (§10.3). Every packet: one hash lookup for the
// allocation, a short scan for the permission (and channel), the bandwidth bucket, one Host call. No heap
// allocation and no string: the frames for the client are built in a buffer sized once.
#include "stun/attributes.hpp"
#include "stun/builder.hpp"
#include "stun/channel_data.hpp"
#include "turn/channel_numbers.hpp"
#include "turn/peer_policy.hpp"
#include "turn/server_impl.hpp"

namespace peerhub::turn {
namespace {

stun::Transport framing(Transport t) {
  return t == Transport::udp ? stun::Transport::udp : stun::Transport::stream;
}

}  // namespace

void Server::Impl::send_indication(const FiveTuple& from, const stun::Message& m, const Now& now) {
  // §5: an indication on a 5-tuple without an allocation is dropped; indications are never authenticated.
  Allocation* a = live_allocation(from, now);
  if (a == nullptr) return drop(Drop::other);
  // §10.2: XOR-PEER-ADDRESS and DATA (which may be empty), or drop. DONT-FRAGMENT cannot be honoured here, so
  // it is an unknown comprehension-required attribute, and such an indication is dropped (RFC 8489 §6.3.2).
  const auto peer = m.get<stun::attr::XorPeerAddress>();
  const auto data = m.get<stun::attr::Data>();
  if (!peer || !data) return drop(Drop::malformed);
  if (!m.unknown_comprehension_required([](std::uint16_t type) {
          return type != static_cast<std::uint16_t>(stun::AttrType::dont_fragment) &&
                 stun::is_known_attribute(type);
        }).empty())
    return drop(Drop::malformed);
  const RelaySlot* relay = a->relay_for(peer->family);
  // §10.2: only to a peer with a permission (which a Send indication does not refresh).
  const Permission* p = relay == nullptr ? nullptr : a->permission_for(*peer, now.steady);
  if (p == nullptr || (p->relay_ports_only && !own_relay_port(config.peers, peer->port)))
    return drop(Drop::no_permission);
  if (!a->to_peers.take(data->size(), config.limits.bandwidth_bytes_per_second, now.steady))
    return drop(Drop::bandwidth);
  host.send_to_peer(relay->id, *peer, *data);
  ++metrics.packets_to_peers;
  metrics.bytes_to_peers += data->size();
}

void Server::Impl::channel_data_from_client(const FiveTuple& from, std::span<const std::uint8_t> bytes,
                                            const Now& now) {
  Allocation* a = table.find(from);
  if (a == nullptr || a->expires <= now.steady) return drop(Drop::other);
  // §12.6: a ChannelData message whose length does not fit what arrived, or an unbound channel: dropped.
  const auto cd = parse_channel_frame(bytes, framing(from.transport), config.rfc5766_channels);
  if (!cd) return drop(Drop::malformed);
  const Channel* channel = a->channel_by_number(cd->channel, now.steady);
  if (channel == nullptr) return drop(Drop::no_permission);
  // The permission can run out before the channel (300 s against 600 s, §9 and §11): it is needed too.
  const Permission* p = a->permission_for(channel->peer, now.steady);
  const RelaySlot* relay = a->relay_for(channel->peer.family);
  if (p == nullptr || relay == nullptr ||
      (p->relay_ports_only && !own_relay_port(config.peers, channel->peer.port)))
    return drop(Drop::no_permission);
  if (!a->to_peers.take(cd->data.size(), config.limits.bandwidth_bytes_per_second, now.steady))
    return drop(Drop::bandwidth);
  host.send_to_peer(relay->id, channel->peer, cd->data);
  ++metrics.packets_to_peers;
  metrics.bytes_to_peers += cd->data.size();
}

void Server::Impl::peer_data(RelayId relay, const stun::Address& peer, std::span<const std::uint8_t> bytes,
                             const Now& now) {
  Allocation* a = table.find_relay(relay);
  if (a == nullptr || a->expires <= now.steady) return drop(Drop::other);
  // §10.3: only from a peer whose IP has a permission.
  const Permission* p = a->permission_for(peer, now.steady);
  if (p == nullptr || (p->relay_ports_only && !own_relay_port(config.peers, peer.port)))
    return drop(Drop::no_permission);
  if (!a->to_client.take(bytes.size(), config.limits.bandwidth_bytes_per_second, now.steady))
    return drop(Drop::bandwidth);

  std::span<const std::uint8_t> out;
  if (const Channel* channel = a->channel_by_peer(peer, now.steady)) {
    // §12.7: a channel is bound to this peer — ChannelData, padded to 4 on a stream (§12.5).
    const auto size = write_channel_frame(std::span<std::uint8_t>(frame), channel->number, bytes,
                                          framing(a->tuple.transport));
    if (!size) return drop(Drop::other);  // more than ChannelData's 65535 bytes
    out = std::span<const std::uint8_t>(frame.data(), *size);
  } else {
    // §10.3: otherwise a Data indication with XOR-PEER-ADDRESS and DATA.
    // An indication's transaction id only has to differ from the last ones (RFC 8489 §6): a counter.
    stun::TransactionId id{};
    const std::uint64_t n = ++indications;
    for (std::size_t i = 0; i < 8; ++i)
      id[4 + i] = static_cast<std::uint8_t>(n >> (56 - 8 * i));
    stun::Builder b(std::span<std::uint8_t>(frame), stun::Method::data, stun::Class::indication, id);
    b.add<stun::attr::XorPeerAddress>(peer);
    b.add<stun::attr::Data>(bytes);
    const auto built = b.finish();
    if (!built) return drop(Drop::other);  // too large for a STUN message
    out = *built;
    ++metrics.requests[method_index(stun::Method::data)];
  }
  host.send_to_client(a->tuple, out, ToClient::relayed);
  ++metrics.packets_to_clients;
  metrics.bytes_to_clients += bytes.size();
}

}  // namespace peerhub::turn
