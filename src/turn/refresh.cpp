// Refresh (RFC 8656 §8): a new lifetime for the allocation, or its end with LIFETIME 0. In a dual allocation,
// LIFETIME 0 with REQUESTED-ADDRESS-FAMILY ends only that family's relayed address (§8.2 / RFC 6156).
#include <algorithm>

#include "stun/attributes.hpp"
#include "stun/error_code.hpp"
#include "turn/server_impl.hpp"

namespace peerhub::turn {

void Server::Impl::refresh(const Request& r) {
  const stun::Message& m = r.message;
  Allocation* a = allocation_for(r);  // §5: 437 without one (a retransmitted delete lands here too), 441
  if (a == nullptr) return;

  const auto lifetime_attr = m.find(stun::AttrType::lifetime);
  const auto lifetime = m.get<stun::attr::Lifetime>();
  if (lifetime_attr && !lifetime) return error(r, stun::kBadRequest);
  const auto family_attr = m.find(stun::AttrType::requested_address_family);
  const auto family = m.get<stun::attr::RequestedAddressFamily>();
  if (family_attr && !family) return error(r, stun::kBadRequest);
  // §8.2: a family the allocation has no relayed address of is 443.
  if (family && a->relay_for(*family) == nullptr) return error(r, stun::kPeerAddressFamilyMismatch);

  // §8.2: the desired lifetime is 0 when asked for, else min(requested, maximum) but at least the default.
  std::chrono::seconds desired = config.default_lifetime;
  if (lifetime) {
    desired = *lifetime == 0 ? std::chrono::seconds(0)
                             : std::max(std::min(std::chrono::seconds(*lifetime), config.max_lifetime),
                                        config.default_lifetime);
  }

  if (desired.count() == 0) {
    if (family && a->relay_count == 2) {
      // One family of a dual allocation goes; the allocation lives on with the other.
      const RelayId id = a->relay_for(*family)->id;
      host.close_relay(id);
      table.remove_relay(*a, id);
      a->address_error.reset();
      const std::size_t permissions = a->permissions.size();
      const std::size_t channels = a->channels.size();
      std::erase_if(a->permissions, [&](const Permission& p) { return p.family == *family; });
      std::erase_if(a->channels, [&](const Channel& c) { return c.peer.family == *family; });
      metrics.permissions -= permissions - a->permissions.size();
      metrics.channels -= channels - a->channels.size();
    } else {
      destroy(*a);
    }
  } else {
    a->expires = r.now.steady + desired;
  }
  stun::Builder b = start(r, stun::Class::success);
  b.add<stun::attr::Lifetime>(static_cast<std::uint32_t>(desired.count()));
  finish(r, b);
}

}  // namespace peerhub::turn
