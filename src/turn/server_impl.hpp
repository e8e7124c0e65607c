// The inside of turn::Server, shared by the files that implement one method each (allocate.cpp,
// refresh.cpp, permission.cpp, channel_bind.cpp, relay.cpp) and by server.cpp, which dispatches.
#pragma once

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "stun/builder.hpp"
#include "stun/message.hpp"
#include "turn/allocation_table.hpp"
#include "turn/authenticate.hpp"
#include "turn/server.hpp"
#include "turn/users.hpp"

namespace peerhub::turn {

// One request being answered.
struct Request {
  const FiveTuple& from;
  const stun::Message& message;
  const Now& now;
  const Authenticated* auth = nullptr;  // null for Binding, and for answers sent before authentication
};

enum class Drop : std::uint8_t { malformed, no_permission, bandwidth, other };

struct Server::Impl {
  Impl(ServerConfig config, Host& host, SharedState& shared);

  ServerConfig config;
  Host& host;
  SharedState& shared;
  Users users;
  AllocationTable table;
  Metrics metrics;
  std::vector<std::uint8_t> reply;  // responses are built here (reused: no allocation once grown)
  std::vector<std::uint8_t> frame;  // data for clients is framed here (sized once for the largest frame)
  std::vector<FiveTuple> expired_allocations;                                // reused by on_tick
  std::vector<std::pair<stun::Family, std::uint16_t>> expired_reservations;  // reused by on_tick
  std::uint64_t indications = 0;                                             // Data indications sent

  // server.cpp: dispatch and the parts every method shares.
  void client_data(const FiveTuple& from, std::span<const std::uint8_t> bytes, const Now& now);
  void request(const FiveTuple& from, const stun::Message& m, const Now& now);
  void binding(const Request& r);
  TimePoint tick(const Now& now);
  // The live allocation of the 5-tuple, or null; one whose lifetime ran out is deleted here (§7: its expiry).
  Allocation* live_allocation(const FiveTuple& tuple, const Now& now);
  // §5: a request other than Allocate needs the 5-tuple's allocation (437) made by the same user (441).
  Allocation* allocation_for(const Request& r);
  void destroy(Allocation& a);
  // Drops the permissions and channels whose time is over; returns the earliest expiry left (or max()).
  TimePoint purge(Allocation& a, TimePoint now);
  void drop(Drop why);

  // Answers (server.cpp). start() begins a response of `cls` to r; finish() adds SOFTWARE, the integrity the
  // request used (when it authenticated), FINGERPRINT (when the request had one) and sends it.
  stun::Builder start(const Request& r, stun::Class cls);
  void finish(const Request& r, stun::Builder& b);
  void error(const Request& r, std::uint16_t code);
  void unknown_attributes(const Request& r, std::span<const std::uint16_t> types);
  // 401 or 438 with REALM, a fresh NONCE and PASSWORD-ALGORITHMS (RFC 8489 §9.2.4), never signed.
  void challenge(const Request& r, std::uint16_t code);
  void count_error(std::uint16_t code);

  // One file each.
  void allocate(const Request& r);
  void allocate_success(const Request& r, const Allocation& a);
  void refresh(const Request& r);
  void create_permission(const Request& r);
  void channel_bind(const Request& r);
  void send_indication(const FiveTuple& from, const stun::Message& m, const Now& now);
  void channel_data_from_client(const FiveTuple& from, std::span<const std::uint8_t> bytes, const Now& now);
  void peer_data(RelayId relay, const stun::Address& peer, std::span<const std::uint8_t> bytes,
                 const Now& now);
  // Installs or refreshes a permission (§9); the caller checked the limit.
  void permit(Allocation& a, const stun::Address& peer, bool relay_ports_only, TimePoint now);
};

// Metrics::requests index of a method.
std::size_t method_index(stun::Method m);

}  // namespace peerhub::turn
