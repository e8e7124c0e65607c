// turn::Client's facade and the allocation's life (RFC 8656 §7 Allocate, §8 Refresh): start, the Allocated
// answer, refreshes a minute before the lifetime ends, close, and the one timer that drives it all.
#include "turn/client.hpp"

#include <algorithm>

#include "stun/attributes.hpp"
#include "stun/channel_data.hpp"
#include "stun/message.hpp"
#include "turn/client_impl.hpp"

namespace peerhub::turn {

using namespace client_detail;
namespace {

// §7.3 / §8: refresh a minute before the lifetime ends, or halfway through a lifetime of two minutes or less.
TimePoint refresh_time(TimePoint now, std::chrono::seconds lifetime) {
  const Duration ahead = std::min<Duration>(kRefreshAhead, lifetime / 2);
  return now + lifetime - ahead;
}

}  // namespace

bool client_detail::same_ip(const stun::Address& a, const stun::Address& b) {
  return a.family == b.family && a.bytes == b.bytes;
}

Client::Impl::Impl(ClientConfig c) : config(std::move(c)), auth(config.username, config.password) {
  wire = config.transport == Transport::udp ? stun::Transport::udp : stun::Transport::stream;
}

void Client::Impl::emit(ClientEvent e) {
  if (events.size() < kMaxQueuedEvents) events.push_back(std::move(e));
}

void Client::Impl::fail(std::uint16_t code, std::string reason) {
  if (state == State::failed || state == State::closed) return;
  state = State::failed;
  transactions.clear();
  permissions.clear();
  channels.clear();
  refresh_at.reset();
  emit(Failed{code, std::move(reason)});
}

void Client::Impl::finish_close() {
  state = State::closed;
  transactions.clear();
  permissions.clear();
  channels.clear();
  refresh_at.reset();
  emit(Closed{});
}

// §7.3: the success answer carries XOR-RELAYED-ADDRESS, LIFETIME and XOR-MAPPED-ADDRESS.
void Client::Impl::on_allocated(TimePoint now, const stun::Message& m) {
  const auto relayed_address = m.get<stun::attr::XorRelayedAddress>();
  const auto lifetime = m.get<stun::attr::Lifetime>();
  const auto mapped_address = m.get<stun::attr::XorMappedAddress>();
  if (!relayed_address || !lifetime || *lifetime == 0)
    return fail(0, "the Allocate success answer lacks a usable XOR-RELAYED-ADDRESS or LIFETIME");
  if (relayed_address->family != config.family)
    return fail(
        0, "the server relayed " + stun::to_string(*relayed_address) + ", not the address family asked for");
  relayed = *relayed_address;
  mapped = mapped_address ? *mapped_address : stun::Address{};
  const std::chrono::seconds granted(*lifetime);
  expires = now + granted;
  refresh_at = refresh_time(now, granted);
  state = State::allocated;
  emit(Allocated{relayed, mapped, granted});
  start_wanted(now);
}

// §8.1: the Refresh answer's LIFETIME is the new lifetime.
void Client::Impl::on_refreshed(TimePoint now, const stun::Message& m) {
  const auto lifetime = m.get<stun::attr::Lifetime>();
  if (!lifetime || *lifetime == 0) return fail(0, "the Refresh success answer lacks a usable LIFETIME");
  const std::chrono::seconds granted(*lifetime);
  expires = now + granted;
  refresh_at = refresh_time(now, granted);
}

void Client::Impl::timeout(TimePoint now) {
  retransmit(now);
  if (state != State::allocated) return;
  if (refresh_at && *refresh_at <= now) {
    refresh_at.reset();
    // A full transaction table only delays the refresh by a second; the allocation has a minute left.
    if (!request(now, Purpose::refresh)) refresh_at = now + std::chrono::seconds(1);
  }
  if (expires <= now) return fail(0, "the allocation's lifetime ran out before a Refresh succeeded");
  peer_timers(now);
}

std::optional<TimePoint> Client::Impl::next_timeout() const {
  std::optional<TimePoint> next;
  const auto consider = [&](TimePoint t) {
    if (t != TimePoint::max() && (!next || t < *next)) next = t;
  };
  for (const Transaction& t : transactions) {
    consider(t.next_send);
    consider(t.deadline);
  }
  if (state == State::allocated) {
    if (refresh_at) consider(*refresh_at);
    consider(expires);
    if (const auto p = next_peer_timeout()) consider(*p);
  }
  return next;
}

Client::Client(ClientConfig config) : impl_(std::make_unique<Impl>(std::move(config))) {}
Client::~Client() = default;
Client::Client(Client&&) noexcept = default;
Client& Client::operator=(Client&&) noexcept = default;

void Client::start(TimePoint now) {
  if (impl_->state != State::idle) return;
  impl_->state = State::allocating;
  // §7.1: the first Allocate goes without credentials; the server's 401 brings REALM and NONCE.
  if (!impl_->request(now, Purpose::allocate)) impl_->fail(0, "the Allocate request could not be built");
}

void Client::close(TimePoint now) {
  Impl& i = *impl_;
  if (i.state == State::closed || i.state == State::closing) return;
  const bool maybe_allocated =
      i.state == State::allocated ||
      (i.state == State::allocating && i.auth.ready());  // a signed Allocate may have succeeded already
  i.transactions.clear();
  i.permissions.clear();
  i.channels.clear();
  i.refresh_at.reset();
  if (!maybe_allocated || !i.auth.ready()) return i.finish_close();
  i.state = State::closing;
  if (!i.request(now, Purpose::close)) i.finish_close();
}

bool Client::create_permission(TimePoint now, const stun::Address& peer) {
  return impl_->add_permission(now, peer);
}

bool Client::bind_channel(TimePoint now, const stun::Address& peer) {
  return impl_->add_channel(now, peer);
}

bool Client::send_to(TimePoint now, const stun::Address& peer, std::span<const std::uint8_t> bytes) {
  return impl_->send_to(now, peer, bytes);
}

// RFC 7983: a first byte of 0..3 is STUN, 64..79 is ChannelData; the rest is not TURN's.
Received Client::handle_datagram(TimePoint now, std::span<const std::uint8_t> bytes) {
  Impl& i = *impl_;
  if (i.state == State::idle || bytes.empty()) return {};
  if (stun::looks_like_channel_data(bytes)) return i.channel_data(bytes);
  if (!stun::looks_like_stun(bytes)) return {};
  const auto m = stun::Message::parse(bytes);
  if (!m) return {};
  switch (m->cls()) {
    case stun::Class::indication:
      if (m->method() == stun::Method::data) return i.data_indication(*m);
      return {};
    case stun::Class::success:
    case stun::Class::error:
      return i.answer(now, *m);
    case stun::Class::request:
      return {};
  }
  return {};
}

void Client::handle_timeout(TimePoint now) {
  impl_->timeout(now);
}

std::optional<Transmit> Client::poll_transmit() {
  if (impl_->transmits.empty()) return std::nullopt;
  Transmit t = std::move(impl_->transmits.front());
  impl_->transmits.pop_front();
  return t;
}

std::optional<ClientEvent> Client::poll_event() {
  if (impl_->events.empty()) return std::nullopt;
  ClientEvent e = std::move(impl_->events.front());
  impl_->events.pop_front();
  return e;
}

std::optional<TimePoint> Client::next_timeout() const {
  return impl_->next_timeout();
}

Client::State Client::state() const {
  return impl_->state;
}

std::optional<stun::Address> Client::relayed_address() const {
  if (impl_->state != State::allocated) return std::nullopt;
  return impl_->relayed;
}

std::optional<stun::Address> Client::mapped_address() const {
  if (impl_->state != State::allocated) return std::nullopt;
  return impl_->mapped;
}

bool Client::has_permission(const stun::Address& peer) const {
  const Permission* p = impl_->permission_for(peer);
  return impl_->state == State::allocated && p != nullptr && p->state == PeerState::installed;
}

std::optional<std::uint16_t> Client::channel(const stun::Address& peer) const {
  const Channel* c = impl_->channel_for(peer);
  if (impl_->state != State::allocated || c == nullptr || c->state != PeerState::installed)
    return std::nullopt;
  return c->number;
}

}  // namespace peerhub::turn
