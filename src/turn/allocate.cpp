// Allocate (RFC 8656 §7.2, with RFC 6156's families as RFC 8656 folds them in): the checks in the RFC's
// order, then the relayed address(es), then the success answer (§7.3).
#include <algorithm>

#include "stun/attributes.hpp"
#include "stun/error_code.hpp"
#include "turn/server_impl.hpp"

namespace peerhub::turn {
namespace {

// §7.2: min(requested, maximum), but never under the default; no LIFETIME is the default.
std::chrono::seconds initial_lifetime(const stun::Message& m, const ServerConfig& config) {
  const auto requested = m.get<stun::attr::Lifetime>();
  if (!requested) return config.default_lifetime;
  const auto wanted = std::min(std::chrono::seconds(*requested), config.max_lifetime);
  return std::max(wanted, config.default_lifetime);
}

bool family_served(const ServerConfig& config, stun::Family family) {
  return family == stun::Family::ipv4 ? config.relay_ipv4 : config.relay_ipv6;
}

std::uint32_t seconds_left(TimePoint expires, TimePoint now) {
  if (expires <= now) return 0;
  return static_cast<std::uint32_t>(std::chrono::ceil<std::chrono::seconds>(expires - now).count());
}

}  // namespace

void Server::Impl::allocate(const Request& r) {
  const stun::Message& m = r.message;
  // Step 1 (authentication) is done. Step 2: the 5-tuple must be free — unless this is the request that made
  // the allocation again (a UDP retransmission, RFC 8489 §6.3.1's idempotency), which gets the same answer.
  if (const Allocation* existing = live_allocation(r.from, r.now)) {
    if (existing->allocate_id == m.transaction_id() && existing->username == r.auth->user.username)
      return allocate_success(r, *existing);
    return error(r, stun::kAllocationMismatch);
  }

  // Step 3: REQUESTED-TRANSPORT is required, and only UDP is relayed (RFC 6062's TCP is not offered).
  const auto transport = m.get<stun::attr::RequestedTransport>();
  if (!transport) return error(r, stun::kBadRequest);
  if (*transport != stun::attr::RequestedTransport::kUdp)
    return error(r, stun::kUnsupportedTransportProtocol);

  // Step 4: the Host cannot set the DF bit, so DONT-FRAGMENT is an unknown comprehension-required attribute.
  if (m.has(stun::AttrType::dont_fragment)) {
    const std::uint16_t df[] = {static_cast<std::uint16_t>(stun::AttrType::dont_fragment)};
    return unknown_attributes(r, df);
  }

  // The optional attributes, each either absent or well formed (400 otherwise). A family value that is
  // neither IPv4 nor IPv6 is a family this server does not support (440, step 7).
  const auto token_attr = m.find(stun::AttrType::reservation_token);
  const auto token = m.get<stun::attr::ReservationToken>();
  const auto even_attr = m.find(stun::AttrType::even_port);
  const auto even = m.get<stun::attr::EvenPort>();
  const auto requested_attr = m.find(stun::AttrType::requested_address_family);
  const auto requested = m.get<stun::attr::RequestedAddressFamily>();
  const auto additional_attr = m.find(stun::AttrType::additional_address_family);
  const auto additional = m.get<stun::attr::AdditionalAddressFamily>();
  if ((token_attr && !token) || (even_attr && !even)) return error(r, stun::kBadRequest);
  if (requested_attr && !requested && requested.error() != stun::Error::bad_address_family)
    return error(r, stun::kBadRequest);
  if (additional_attr && !additional) return error(r, stun::kBadRequest);
  if (m.has(stun::AttrType::lifetime) && !m.get<stun::attr::Lifetime>()) return error(r, stun::kBadRequest);

  // Step 5: a RESERVATION-TOKEN names its own port and family, so it comes alone.
  if (token_attr && (even_attr || requested_attr || additional_attr)) return error(r, stun::kBadRequest);
  // Step 6: one family attribute or the other.
  if (requested_attr && additional_attr) return error(r, stun::kBadRequest);
  // Step 7: the family asked for (IPv4 when none) must be one this server relays.
  if (requested_attr && !requested) return error(r, stun::kAddressFamilyNotSupported);
  const stun::Family family = requested ? *requested : stun::Family::ipv4;
  if (!token_attr && !family_served(config, family)) return error(r, stun::kAddressFamilyNotSupported);
  // Step 8: a port pair and a second family do not go together.
  const bool reserve_next = even && *even;
  if (reserve_next && additional_attr) return error(r, stun::kBadRequest);
  // Step 9: ADDITIONAL-ADDRESS-FAMILY can only add IPv6 (to the IPv4 of step 7).
  if (additional && *additional != stun::Family::ipv6) return error(r, stun::kBadRequest);

  // Step 10: the quotas, per user and in total, shared by all workers.
  if (!shared.try_acquire(r.auth->user.quota_user(), config.limits))
    return error(r, stun::kAllocationQuotaReached);

  // The relayed transport address(es) (§7.2, after the steps): a reserved port, an even port (and the next
  // one held), or any. A failure here is 508 (steps 5, 8 and 9 name it for each case).
  std::optional<Relay> relays[2];
  std::optional<stun::AddressErrorCodeValue> address_error;
  std::optional<ReservationToken> reservation;
  if (token) {
    const auto held = shared.claim(*token, r.now.steady);
    if (held) {
      PortRequest ask;
      ask.reserved = held->second;
      relays[0] = host.open_relay(held->first, ask);
      if (!relays[0]) host.release_reserved_port(held->first, held->second);
    }
  } else if (additional) {
    // Step 9, dual allocation: both families, or one and ADDRESS-ERROR-CODE saying why not the other.
    PortRequest ask;
    ask.even = even_attr.has_value();
    relays[0] = host.open_relay(stun::Family::ipv4, ask);
    if (family_served(config, stun::Family::ipv6)) relays[1] = host.open_relay(stun::Family::ipv6, ask);
    const stun::Family missing = relays[0] ? stun::Family::ipv6 : stun::Family::ipv4;
    if (!relays[0] || !relays[1]) {
      const std::uint16_t code =
          family_served(config, missing) ? stun::kInsufficientCapacity : stun::kAddressFamilyNotSupported;
      address_error = stun::AddressErrorCodeValue{missing, code, stun::reason_phrase(code)};
    }
    if (!relays[0]) std::swap(relays[0], relays[1]);
  } else {
    PortRequest ask;
    ask.even = even_attr.has_value();
    ask.reserve_next = reserve_next;
    relays[0] = host.open_relay(family, ask);
    if (relays[0] && reserve_next) {
      // EVEN-PORT with R: the Host holds port + 1; the token that claims it is valid on any worker.
      const stun::Family f = relays[0]->address.family;
      const std::uint16_t next_port = static_cast<std::uint16_t>(relays[0]->address.port + 1);
      reservation = shared.reserve(f, next_port, r.now.steady + kReservationLifetime);
      if (!reservation) {
        host.release_reserved_port(f, next_port);
        host.close_relay(relays[0]->id);
        relays[0].reset();
      }
    }
  }
  if (!relays[0]) {
    shared.release(r.auth->user.quota_user());
    return error(r, stun::kInsufficientCapacity);
  }

  // The allocation: the 5-tuple of the request, no permissions or channels yet (§7.2).
  Allocation& a = table.insert(r.from);
  for (const auto& opened : relays)
    if (opened) table.add_relay(a, *opened);
  a.expires = r.now.steady + initial_lifetime(m, config);
  a.allocate_id = m.transaction_id();
  a.reservation = reservation;
  a.address_error = address_error;
  a.username = std::string(r.auth->user.username);
  a.quota_offset = static_cast<std::uint16_t>(r.auth->user.quota_offset);
  a.to_peers.start(config.limits.bandwidth_bytes_per_second, r.now.steady);
  a.to_client.start(config.limits.bandwidth_bytes_per_second, r.now.steady);
  metrics.allocations = table.size();
  ++metrics.allocations_created;
  allocate_success(r, a);
}

// §7.3: XOR-RELAYED-ADDRESS (one per family), ADDRESS-ERROR-CODE for a half-served dual allocation, LIFETIME,
// RESERVATION-TOKEN when a port was held, and XOR-MAPPED-ADDRESS as a convenience for ICE.
void Server::Impl::allocate_success(const Request& r, const Allocation& a) {
  stun::Builder b = start(r, stun::Class::success);
  for (std::uint8_t i = 0; i < a.relay_count; ++i)
    b.add<stun::attr::XorRelayedAddress>(a.relays[i].address);
  if (a.address_error) b.add<stun::attr::AddressErrorCode>(*a.address_error);
  b.add<stun::attr::Lifetime>(seconds_left(a.expires, r.now.steady));
  if (a.reservation) b.add<stun::attr::ReservationToken>(*a.reservation);
  b.add<stun::attr::XorMappedAddress>(r.from.client);
  finish(r, b);
}

}  // namespace peerhub::turn
