// What the hub remembers about one connection. Kept small (the hub holds up to max_connections of them):
// the name lives here, and the directory and rooms refer to it instead of copying it.
#pragma once

#include <chrono>
#include <cstdint>
#include <limits>
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

struct Conn {
  static constexpr std::uint32_t kNotAnonymous = std::numeric_limits<std::uint32_t>::max();

  ConnId id = 0;
  std::string name;  // empty until logged in
  Dialect dialect = Dialect::kNone;
  std::uint32_t anonymous_index = kNotAnonymous;  // position in the broadcast list while not logged in
  TokenBucket bucket;
  std::chrono::steady_clock::time_point last_rate_error{};  // the rate-limited error goes out once a second
  bool rate_error_sent = false;
  ConnId last_offerer = 0;  // who sent the latest offer: where a Java "answer" without a name goes
  bool has_offerer = false;
  std::vector<ConnId> partners;  // calls, most recent last
  std::vector<Room*> rooms;

  bool logged_in() const { return dialect != Dialect::kNone; }
};

}  // namespace peerhub::signaling
