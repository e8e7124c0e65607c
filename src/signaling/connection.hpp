// What the hub remembers about one connection. Kept small (the hub holds up to max_connections of them, and
// most sit idle, logged in and in no call): the name lives here, and the directory and rooms refer to it
// instead of copying it; what only a connection in a call or a room needs is allocated apart, while needed.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "signaling/hub.hpp"
#include "signaling/rate_limit.hpp"

namespace peerhub::signaling {

struct Room;

// Which tutorial's protocol a connection speaks; fixed by its first successful login.
enum class Dialect : std::uint8_t {
  kNone,     // not logged in: may log in, or take part in the broadcast demo
  kV1,       // peerhub's own: login with "version":1
  kJava,     // Java-WebSocket tutorial: login without "version"
  kAndroid,  // Android tutorial: SignIn / StartStreaming / Offer / Answer / IceCandidates / EndCall
};

// At most this many call partners are remembered per connection (for routing Java/Android messages without
// a target, and for telling them when the connection drops); the oldest is forgotten first.
inline constexpr std::size_t kMaxPartners = 32;

// The calls and rooms of one connection.
struct ConnLinks {
  std::vector<ConnId> partners;  // calls, most recent last
  std::vector<Room*> rooms;
  ConnId last_offerer = 0;  // who sent the latest offer: where a Java "answer" without a name goes
  bool has_offerer = false;

  bool empty() const { return partners.empty() && rooms.empty() && !has_offerer; }
};

struct Conn {
  // The broadcast list's index has 29 bits; the hub never holds more connections than this.
  static constexpr std::uint32_t kNotAnonymous = (1u << 29) - 1;
  static constexpr std::size_t kMaxConnections = kNotAnonymous;

  explicit Conn(ConnId conn_id) : id(conn_id) {}

  const ConnId id;   // the hub's table is keyed by it: never changes
  std::string name;  // empty until logged in
  TokenBucket bucket;
  // When the last rate-limited error went out (it goes out once a second), in milliseconds of the monotonic
  // clock modulo 2^32: compared by unsigned difference, so only a gap of a whole multiple of ~49.7 days
  // could hold one error back, for at most a second.
  std::uint32_t last_rate_error_ms = 0;
  std::uint32_t anonymous_index : 29 = kNotAnonymous;  // position in the broadcast list while not logged in
  std::uint32_t dialect_bits : 2 = 0;
  std::uint32_t rate_error_sent : 1 = 0;

  Dialect dialect() const { return static_cast<Dialect>(dialect_bits); }
  void set_dialect(Dialect d) { dialect_bits = static_cast<std::uint32_t>(d) & 3u; }
  bool logged_in() const { return dialect() != Dialect::kNone; }
  void set_anonymous_index(std::size_t index) {
    anonymous_index = static_cast<std::uint32_t>(index) & kNotAnonymous;
  }

  // Calls and rooms: links() creates them, release_links() frees them again once they hold nothing.
  ConnLinks* links_if_any() { return links_.get(); }
  const ConnLinks* links_if_any() const { return links_.get(); }
  ConnLinks& links() {
    if (!links_) links_ = std::make_unique<ConnLinks>();
    return *links_;
  }
  void release_links() {
    if (links_ && links_->empty()) links_.reset();
  }

 private:
  std::unique_ptr<ConnLinks> links_;  // null while in no call and no room
};

static_assert(static_cast<unsigned>(Dialect::kAndroid) <= 3, "Conn::dialect_bits has two bits");
// An idle connection's whole record, and the hash table node around it, stay within 80 bytes of heap.
static_assert(sizeof(Conn) <= 64);

}  // namespace peerhub::signaling
