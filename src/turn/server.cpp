// turn::Server: demultiplexing what clients send (RFC 7983's first-byte rule), the steps every request goes
// through (RFC 8656 §5: authentication, then the allocation of the 5-tuple), the answers, and expiry.
#include <algorithm>

#include "stun/attributes.hpp"
#include "stun/error_code.hpp"
#include "stun/integrity.hpp"
#include "turn/channel_numbers.hpp"
#include "turn/nonce.hpp"
#include "turn/server_impl.hpp"

namespace peerhub::turn {

std::size_t method_index(stun::Method m) {
  switch (m) {
    case stun::Method::binding:
      return 0;
    case stun::Method::allocate:
      return 1;
    case stun::Method::refresh:
      return 2;
    case stun::Method::send:
      return 3;
    case stun::Method::data:
      return 4;
    case stun::Method::create_permission:
      return 5;
    case stun::Method::channel_bind:
      return 6;
    default:
      return 7;
  }
}

Server::Impl::Impl(ServerConfig c, Host& h, SharedState& s)
    : config(std::move(c)), host(h), shared(s), users(config.users, config.rest_secret, config.realm) {
  // A SOFTWARE the codec would refuse (too long, not UTF-8) would make every answer fail: send none instead.
  if (!stun::attr::Software::size(config.software)) config.software.clear();
  if (config.max_lifetime < config.default_lifetime) config.max_lifetime = config.default_lifetime;
  reply.reserve(512);
  frame.resize(stun::kMaxMessageSize + 8);
}

void Server::Impl::drop(Drop why) {
  ++metrics.dropped;
  switch (why) {
    case Drop::malformed:
      ++metrics.dropped_malformed;
      break;
    case Drop::no_permission:
      ++metrics.dropped_no_permission;
      break;
    case Drop::bandwidth:
      ++metrics.dropped_bandwidth;
      break;
    case Drop::other:
      break;
  }
}

void Server::Impl::client_data(const FiveTuple& from, std::span<const std::uint8_t> bytes, const Now& now) {
  if (bytes.empty()) return drop(Drop::malformed);
  // RFC 8656 §12: a first byte of 64..79 is ChannelData (up to 127 with RFC 5766's channel numbers,
  // channel_numbers.hpp); STUN has its two top bits clear (RFC 8489 §5; RFC 7983 narrows that to 0..3 only
  // where DTLS and RTP share the port, which they do not here).
  const std::uint8_t first = bytes[0];
  if (channel_data_first_byte(first, config.rfc5766_channels))
    return channel_data_from_client(from, bytes, now);
  if ((first & 0xC0) != 0) return drop(Drop::malformed);
  const auto parsed = stun::Message::parse(bytes);
  if (!parsed) return drop(Drop::malformed);
  const stun::Message& m = *parsed;
  // RFC 8489 §7.3: a FINGERPRINT that does not match says the bytes are not STUN at all.
  if (m.fingerprint_offset() != 0 && stun::verify_fingerprint(m) != stun::Error::none)
    return drop(Drop::malformed);
  switch (m.cls()) {
    case stun::Class::request:
      return request(from, m, now);
    case stun::Class::indication:
      ++metrics.requests[method_index(m.method())];
      if (m.method() == stun::Method::send) return send_indication(from, m, now);
      return drop(Drop::other);  // RFC 8489 §6.3.2: an indication nobody handles is dropped
    default:
      return drop(Drop::other);  // this server sends no requests, so it expects no responses
  }
}

void Server::Impl::request(const FiveTuple& from, const stun::Message& m, const Now& now) {
  ++metrics.requests[method_index(m.method())];
  Request r{from, m, now};
  const stun::Method method = m.method();
  if (method == stun::Method::binding) return binding(r);
  if (method != stun::Method::allocate && method != stun::Method::refresh &&
      method != stun::Method::create_permission && method != stun::Method::channel_bind)
    return error(r, stun::kBadRequest);  // RFC 8489 §6.3.1: a method this server does not know

  // RFC 8656 §5: every TURN request is authenticated with the long-term credential mechanism.
  const AuthResult auth =
      authenticate(m, from.client, now, AuthContext{users, config.realm, shared.nonce_key()});
  if (!auth.ok) {
    switch (auth.error) {
      case AuthError::challenge:
        return challenge(r, stun::kUnauthenticated);
      case AuthError::unauthenticated:
        ++metrics.refused_auth;
        return challenge(r, stun::kUnauthenticated);
      case AuthError::bad_request:
        return error(r, stun::kBadRequest);
      case AuthError::stale_nonce:
        return challenge(r, stun::kStaleNonce);
    }
  }
  r.auth = &*auth.ok;

  // RFC 8489 §6.3.1.1, once authenticated: comprehension-required attributes this server does not understand
  // get a 420. DONT-FRAGMENT is left to Allocate's own step (RFC 8656 §7.2 step 4), which names it.
  const auto unknown = m.unknown_comprehension_required([&](std::uint16_t type) {
    if (type == static_cast<std::uint16_t>(stun::AttrType::dont_fragment))
      return method == stun::Method::allocate;
    return stun::is_known_attribute(type);
  });
  if (!unknown.empty()) return unknown_attributes(r, unknown.list());

  switch (method) {
    case stun::Method::allocate:
      return allocate(r);
    case stun::Method::refresh:
      return refresh(r);
    case stun::Method::create_permission:
      return create_permission(r);
    default:
      return channel_bind(r);
  }
}

// RFC 8489 §6.3.1 / §14.2: the Binding answer is the client's address as this server sees it, on any
// transport; TURN clients and ICE agents use it for their server-reflexive candidate.
void Server::Impl::binding(const Request& r) {
  const auto unknown = r.message.unknown_comprehension_required();
  if (!unknown.empty()) return unknown_attributes(r, unknown.list());
  stun::Builder b = start(r, stun::Class::success);
  b.add<stun::attr::XorMappedAddress>(r.from.client);
  finish(r, b);
}

// ---- answers ----

stun::Builder Server::Impl::start(const Request& r, stun::Class cls) {
  return stun::Builder(reply, r.message.method(), cls, r.message.transaction_id());
}

void Server::Impl::finish(const Request& r, stun::Builder& b) {
  if (!config.software.empty()) b.add<stun::attr::Software>(config.software);
  // RFC 8489 §9.2.4: an authenticated request's answer carries the integrity attribute the request used.
  if (r.auth != nullptr) {
    if (r.auth->sha256_integrity)
      b.add_message_integrity_sha256(r.auth->key.bytes());
    else
      b.add_message_integrity(r.auth->key.bytes());
  }
  if (r.message.fingerprint_offset() != 0) b.add_fingerprint();
  const auto out = b.finish();
  if (out) host.send_to_client(r.from, *out, ToClient::response);
}

void Server::Impl::count_error(std::uint16_t code) {
  for (std::size_t i = 0; i < Metrics::kErrorCodes.size(); ++i)
    if (Metrics::kErrorCodes[i] == code) ++metrics.errors_by_code[i];
  if (code == stun::kAllocationQuotaReached || code == stun::kInsufficientCapacity) ++metrics.refused_quota;
}

void Server::Impl::error(const Request& r, std::uint16_t code) {
  count_error(code);
  stun::Builder b = start(r, stun::Class::error);
  b.add<stun::attr::ErrorCode>({code, stun::reason_phrase(code)});
  finish(r, b);
}

void Server::Impl::unknown_attributes(const Request& r, std::span<const std::uint16_t> types) {
  count_error(stun::kUnknownAttribute);
  stun::Builder b = start(r, stun::Class::error);
  b.add<stun::attr::ErrorCode>({stun::kUnknownAttribute, stun::reason_phrase(stun::kUnknownAttribute)});
  b.add<stun::attr::UnknownAttributes>(types);
  finish(r, b);
}

void Server::Impl::challenge(const Request& r, std::uint16_t code) {
  count_error(code);
  const NonceText nonce = make_nonce(shared.nonce_key(), r.from.client, r.now.steady + config.nonce_lifetime);
  stun::Builder b = start(r, stun::Class::error);
  b.add<stun::attr::ErrorCode>({code, stun::reason_phrase(code)});
  b.add<stun::attr::Realm>(config.realm);
  b.add<stun::attr::Nonce>(nonce.view());
  b.add<stun::attr::PasswordAlgorithms>(server_password_algorithms());
  const Request unsigned_request{r.from, r.message, r.now, nullptr};
  finish(unsigned_request, b);
}

// ---- allocations and their lifetimes ----

Allocation* Server::Impl::live_allocation(const FiveTuple& tuple, const Now& now) {
  Allocation* a = table.find(tuple);
  if (a != nullptr && a->expires <= now.steady) {
    destroy(*a);
    return nullptr;
  }
  return a;
}

Allocation* Server::Impl::allocation_for(const Request& r) {
  Allocation* a = live_allocation(r.from, r.now);
  if (a == nullptr) {
    error(r, stun::kAllocationMismatch);
    return nullptr;
  }
  if (a->username != r.auth->user.username) {
    error(r, stun::kWrongCredentials);
    return nullptr;
  }
  return a;
}

void Server::Impl::destroy(Allocation& a) {
  for (std::uint8_t i = 0; i < a.relay_count; ++i)
    host.close_relay(a.relays[i].id);
  shared.release(a.quota_user());
  metrics.permissions -= a.permissions.size();
  metrics.channels -= a.channels.size();
  const FiveTuple tuple = a.tuple;
  table.erase(tuple);
  metrics.allocations = table.size();
}

TimePoint Server::Impl::purge(Allocation& a, TimePoint now) {
  const std::size_t permissions = a.permissions.size();
  const std::size_t channels = a.channels.size();
  std::erase_if(a.permissions, [&](const Permission& p) { return p.expires <= now; });
  std::erase_if(a.channels, [&](const Channel& c) { return c.expires <= now; });
  metrics.permissions -= permissions - a.permissions.size();
  metrics.channels -= channels - a.channels.size();
  TimePoint next = a.expires;
  for (const Permission& p : a.permissions)
    next = std::min(next, p.expires);
  for (const Channel& c : a.channels)
    next = std::min(next, c.expires);
  return next;
}

TimePoint Server::Impl::tick(const Now& now) {
  TimePoint next = now.steady + std::chrono::seconds(60);
  std::vector<FiveTuple>& dead = expired_allocations;
  dead.clear();
  for (auto& [tuple, a] : table.all()) {
    if (a->expires <= now.steady)
      dead.push_back(tuple);
    else
      next = std::min(next, purge(*a, now.steady));
  }
  for (const FiveTuple& t : dead)
    if (Allocation* a = table.find(t)) destroy(*a);
  // Reservations nobody claimed in time give their port back (§7.2).
  shared.expire_reservations(now.steady, expired_reservations);
  for (const auto& [family, port] : expired_reservations)
    host.release_reserved_port(family, port);
  expired_reservations.clear();
  if (const auto r = shared.next_reservation_expiry()) next = std::min(next, *r);
  return std::max(next, now.steady + std::chrono::seconds(1));
}

// ---- the public face ----

Server::Server(ServerConfig config, Host& host, SharedState& shared)
    : impl_(std::make_unique<Impl>(std::move(config), host, shared)) {}

Server::~Server() {
  // Quotas are shared with the other workers: give them back. The Host is not called (the shell may be
  // tearing it down as well); it closes its own relay sockets.
  for (auto& [tuple, a] : impl_->table.all())
    impl_->shared.release(a->quota_user());
}

void Server::on_client_data(const FiveTuple& from, std::span<const std::uint8_t> bytes, const Now& now) {
  impl_->client_data(from, bytes, now);
}

void Server::on_peer_data(RelayId relay, const stun::Address& peer, std::span<const std::uint8_t> bytes,
                          const Now& now) {
  impl_->peer_data(relay, peer, bytes, now);
}

// §3.1 / RFC 6062: an allocation made over TCP or TLS ends with its connection.
void Server::on_connection_closed(const FiveTuple& tuple, const Now&) {
  if (Allocation* a = impl_->table.find(tuple)) impl_->destroy(*a);
}

TimePoint Server::on_tick(const Now& now) {
  return impl_->tick(now);
}

const Metrics& Server::metrics() const {
  return impl_->metrics;
}

std::size_t Server::allocation_count() const {
  return impl_->table.size();
}

}  // namespace peerhub::turn
