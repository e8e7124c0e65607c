// turn::Client's permissions (RFC 8656 §9), channels (§12) and the data they carry: Send and Data
// indications (§10) and ChannelData (§12.4), with the refreshes that keep what is in use alive.
#include <algorithm>

#include "stun/attributes.hpp"
#include "stun/builder.hpp"
#include "turn/client_impl.hpp"

namespace peerhub::turn {

using namespace client_detail;
namespace {

// A permission or channel not used since its last refresh is looked at again this often until it is too late
// to refresh it; then it lapses with the server's copy.
constexpr Duration kIdleRecheck = std::chrono::seconds(5);
constexpr Duration kLastChance = std::chrono::seconds(10);

}  // namespace

Permission* Client::Impl::permission_for(const stun::Address& peer) {
  const auto it = std::find_if(permissions.begin(), permissions.end(),
                               [&](const Permission& p) { return same_ip(p.peer, peer); });
  return it == permissions.end() ? nullptr : &*it;
}

Channel* Client::Impl::channel_for(const stun::Address& peer) {
  const auto it =
      std::find_if(channels.begin(), channels.end(), [&](const Channel& c) { return c.peer == peer; });
  return it == channels.end() ? nullptr : &*it;
}

Channel* Client::Impl::channel_numbered(std::uint16_t number) {
  const auto it =
      std::find_if(channels.begin(), channels.end(), [&](const Channel& c) { return c.number == number; });
  return it == channels.end() ? nullptr : &*it;
}

bool Client::Impl::add_permission(TimePoint now, const stun::Address& peer) {
  if (state == State::failed || state == State::closed || state == State::closing) return false;
  if (Permission* p = permission_for(peer)) {
    p->used = true;  // asked again: keep it
    return true;
  }
  if (permissions.size() >= config.max_permissions) return false;
  permissions.push_back(Permission{peer, PeerState::wanted, false, true, {}, {}});
  if (state != State::allocated) return true;  // sent by start_wanted() once Allocated
  // §9.1: one CreatePermission per peer; it installs or refreshes the permission for the peer's IP.
  if (!request(now, Purpose::permission, peer)) {
    permissions.pop_back();
    return false;
  }
  permissions.back().state = PeerState::pending;
  permissions.back().in_flight = true;
  permissions.back().used = false;
  return true;
}

bool Client::Impl::add_channel(TimePoint now, const stun::Address& peer) {
  if (state == State::failed || state == State::closed || state == State::closing) return false;
  if (Channel* c = channel_for(peer)) {
    c->used = true;
    return true;
  }
  if (channels.size() >= config.max_channels) return false;
  Permission* p = permission_for(peer);
  if (p == nullptr && permissions.size() >= config.max_permissions) return false;
  // §12.1: any number in 0x4000..0x4FFF not bound to another peer; they are taken in turn, so a number
  // lately released is not reused at once (the server may still hold it for the old peer, §12.2).
  std::uint16_t number = 0;
  for (int tries = 0; tries <= kLastChannel - kFirstChannel && number == 0; ++tries) {
    const std::uint16_t candidate = next_channel;
    next_channel = candidate == kLastChannel ? kFirstChannel : static_cast<std::uint16_t>(candidate + 1);
    if (channel_numbered(candidate) == nullptr) number = candidate;
  }
  if (number == 0) return false;
  if (state == State::allocated && !request(now, Purpose::channel, peer, number)) return false;
  // The ChannelBind installs the permission too (§12.2); this entry waits for its answer.
  if (p == nullptr) permissions.push_back(Permission{peer, PeerState::pending, false, false, {}, {}});
  const bool sent = state == State::allocated;
  channels.push_back(
      Channel{peer, number, sent ? PeerState::pending : PeerState::wanted, sent, !sent, {}, {}});
  return true;
}

void Client::Impl::start_wanted(TimePoint now) {
  for (Permission& p : permissions) {
    if (p.state != PeerState::wanted) continue;
    if (request(now, Purpose::permission, p.peer)) {
      p.state = PeerState::pending;
      p.in_flight = true;
      p.used = false;
    } else {
      permission_answer(now, p.peer, 0, "too many requests waiting for an answer");
      return start_wanted(now);  // the table changed under the loop
    }
  }
  for (Channel& c : channels) {
    if (c.state != PeerState::wanted) continue;
    if (request(now, Purpose::channel, c.peer, c.number)) {
      c.state = PeerState::pending;
      c.in_flight = true;
      c.used = false;
    } else {
      channel_answer(now, c.peer, c.number, 0, "too many requests waiting for an answer");
      return start_wanted(now);
    }
  }
}

void Client::Impl::permission_answer(TimePoint now, const stun::Address& peer,
                                     std::optional<std::uint16_t> error_code, std::string reason) {
  Permission* p = permission_for(peer);
  if (p == nullptr) return;
  p->in_flight = false;
  if (!error_code) {
    const bool first = p->state != PeerState::installed;
    p->state = PeerState::installed;
    p->expires = now + kPermissionLifetime;
    p->refresh_at = now + kPermissionRefresh;
    if (first) emit(PermissionCreated{p->peer});
    return;
  }
  const stun::Address ip = p->peer;
  emit(PermissionFailed{peer, *error_code, std::move(reason)});
  // Without the permission nothing reaches the peer, over a channel or not.
  std::erase_if(permissions, [&](const Permission& x) { return same_ip(x.peer, ip); });
  std::erase_if(channels, [&](const Channel& c) { return same_ip(c.peer, ip) && !c.in_flight; });
}

void Client::Impl::channel_answer(TimePoint now, const stun::Address& peer, std::uint16_t number,
                                  std::optional<std::uint16_t> error_code, std::string reason) {
  Channel* c = channel_numbered(number);
  if (c == nullptr || !(c->peer == peer)) return;
  c->in_flight = false;
  Permission* p = permission_for(peer);
  if (!error_code) {
    const bool first = c->state != PeerState::installed;
    c->state = PeerState::installed;
    c->expires = now + kChannelLifetime;
    c->refresh_at = now + kChannelRefresh;
    if (p == nullptr && permissions.size() < config.max_permissions) {
      // Its entry was dropped meanwhile (a CreatePermission for the IP failed): the server has one again.
      permissions.push_back(Permission{peer, PeerState::pending, false, false, {}, {}});
      p = &permissions.back();
    }
    if (p != nullptr) {
      // §12.2: a successful ChannelBind installs or refreshes the permission for the peer's IP.
      const bool permitted = p->state == PeerState::installed;
      p->state = PeerState::installed;
      p->expires = now + kPermissionLifetime;
      if (!p->in_flight) p->refresh_at = now + kPermissionRefresh;
      if (!permitted) emit(PermissionCreated{p->peer});
    }
    if (first) emit(ChannelBound{peer, number});
    return;
  }
  emit(ChannelFailed{peer, number, *error_code, std::move(reason)});
  std::erase_if(channels, [&](const Channel& x) { return x.number == number; });
  // The permission entry made only for this ChannelBind goes with it.
  if (p != nullptr && p->state != PeerState::installed && !p->in_flight)
    std::erase_if(permissions, [&](const Permission& x) { return same_ip(x.peer, peer); });
}

void Client::Impl::peer_timers(TimePoint now) {
  // Lapsed (unused, so not refreshed): gone on the server too.
  std::erase_if(channels,
                [&](const Channel& c) { return c.state == PeerState::installed && c.expires <= now; });
  std::erase_if(permissions, [&](const Permission& p) {
    const bool gone = p.state == PeerState::installed && p.expires <= now;
    if (gone) std::erase_if(channels, [&](const Channel& c) { return same_ip(c.peer, p.peer); });
    return gone;
  });

  for (Channel& c : channels) {
    if (c.state != PeerState::installed || c.in_flight || c.refresh_at > now) continue;
    if (!c.used) {
      c.refresh_at = now + kIdleRecheck < c.expires - kLastChance ? now + kIdleRecheck : TimePoint::max();
      continue;
    }
    // §12.1: the same number and peer again refreshes the binding (and the permission).
    if (request(now, Purpose::channel, c.peer, c.number)) {
      c.in_flight = true;
      c.used = false;
    } else {
      c.refresh_at = now + std::chrono::seconds(1);
    }
  }
  for (Permission& p : permissions) {
    if (p.state != PeerState::installed || p.in_flight || p.refresh_at > now) continue;
    if (!p.used) {
      p.refresh_at = now + kIdleRecheck < p.expires - kLastChance ? now + kIdleRecheck : TimePoint::max();
      continue;
    }
    if (request(now, Purpose::permission, p.peer)) {
      p.in_flight = true;
      p.used = false;
    } else {
      p.refresh_at = now + std::chrono::seconds(1);
    }
  }
}

std::optional<TimePoint> Client::Impl::next_peer_timeout() const {
  TimePoint next = TimePoint::max();
  for (const Permission& p : permissions) {
    if (p.state != PeerState::installed) continue;
    next = std::min(next, p.expires);
    if (!p.in_flight) next = std::min(next, p.refresh_at);
  }
  for (const Channel& c : channels) {
    if (c.state != PeerState::installed) continue;
    next = std::min(next, c.expires);
    if (!c.in_flight) next = std::min(next, c.refresh_at);
  }
  if (next == TimePoint::max()) return std::nullopt;
  return next;
}

bool Client::Impl::send_to(TimePoint now, const stun::Address& peer, std::span<const std::uint8_t> bytes) {
  if (state != State::allocated || transmits.size() >= kMaxQueuedTransmits) return false;
  Permission* p = permission_for(peer);
  if (p == nullptr || p->state != PeerState::installed || p->expires <= now) return false;
  Transmit t{config.server, {}};
  Channel* c = channel_for(peer);
  if (c != nullptr && c->state == PeerState::installed && c->expires > now) {
    // §12.4; §12.5: over a stream the message is padded to a multiple of 4.
    if (bytes.size() > 0xFFFF) return false;
    t.bytes.resize(stun::channel_data_size(bytes.size(), wire));
    if (!stun::write_channel_data(t.bytes, c->number, bytes, wire)) return false;
    c->used = true;
  } else {
    // §10.1: a Send indication with XOR-PEER-ADDRESS and DATA; indications are never signed.
    stun::Builder b(t.bytes, stun::Method::send, stun::Class::indication, indication_id());
    b.add<stun::attr::XorPeerAddress>(peer);
    b.add<stun::attr::Data>(bytes);
    if (!b.ok()) return false;
  }
  p->used = true;
  transmits.push_back(std::move(t));
  return true;
}

// §10.4: a Data indication needs XOR-PEER-ADDRESS and DATA, and should come from a peer the client believes
// it has a permission for; anything else is dropped.
Received Client::Impl::data_indication(const stun::Message& m) {
  const auto peer = m.get<stun::attr::XorPeerAddress>();
  const auto data = m.get<stun::attr::Data>();
  Permission* p = peer ? permission_for(*peer) : nullptr;
  if (state != State::allocated || !data || p == nullptr || p->state == PeerState::wanted)
    return {Received::Kind::consumed, {}, {}};
  p->used = true;
  return {Received::Kind::peer_data, *peer, *data};
}

// §12.6: ChannelData on a channel that is not bound is dropped.
Received Client::Impl::channel_data(std::span<const std::uint8_t> bytes) {
  const auto cd = stun::ChannelData::parse(bytes, wire);
  if (!cd || state != State::allocated) return {Received::Kind::consumed, {}, {}};
  Channel* c = channel_numbered(cd->channel());
  if (c == nullptr || c->state == PeerState::wanted) return {Received::Kind::consumed, {}, {}};
  c->used = true;
  if (Permission* p = permission_for(c->peer)) p->used = true;
  return {Received::Kind::peer_data, c->peer, cd->data()};
}

}  // namespace peerhub::turn
