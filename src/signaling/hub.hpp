// The signaling protocol core (see DESIGN.md "Signaling protocol"), sans-IO.
//
// Driving contract: the shell calls open() when a WebSocket connection is established, text()/binary() for
// each complete message it receives, and close() when the connection is gone (for any reason). Each call may
// append messages to outbox(); the shell drains it after every call and delivers each text to the named
// connection. Time comes in as an argument; the hub never reads a clock, touches a socket or starts a thread.
// The sender of a message is always the connection it arrived on: names written inside messages are never
// trusted.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/array.hpp>

#include "signaling/metrics.hpp"

namespace peerhub::signaling {

using ConnId = std::uint64_t;

struct Now {
  std::chrono::steady_clock::time_point mono;  // rate limits
  std::int64_t unix_s = 0;                     // token expiry, TURN credential expiry
};

struct HubConfig {
  std::size_t max_connections = 20000;
  double messages_per_second = 100;  // token bucket per connection ...
  double message_burst = 200;        // ... with this depth
  std::size_t rooms_per_connection = 16;
  std::size_t members_per_room = 64;
  std::size_t max_name_length = 64;
  std::size_t list_page_size = 100;
  std::string auth_secret;  // non-empty: login needs a JWT (HS256, sub = name, exp)
  // The iceServers array of a successful login. Pure: takes the name and the time, so TURN can mint
  // short-lived credentials per login. Unset: an empty array.
  std::function<boost::json::array(std::string_view name, std::int64_t unix_s)> ice_servers;
};

struct Outgoing {
  ConnId to = 0;
  std::shared_ptr<const std::string> text;  // shared when one message fans out to many
  std::uint16_t close_code = 0;             // non-zero: close the connection with this code after sending
};

class Hub {
 public:
  explicit Hub(HubConfig config);
  ~Hub();
  Hub(const Hub&) = delete;
  Hub& operator=(const Hub&) = delete;

  // Returns false when the connection is refused (over max_connections): an error and a close (1013) for
  // it are in the outbox, and the shell still calls close() once it is gone.
  bool open(ConnId conn, const Now& now);
  void text(ConnId conn, std::string_view message, const Now& now);
  void binary(ConnId conn, const Now& now);  // binary frames are not part of the protocol: an error reply
  void close(ConnId conn, const Now& now);   // dropped or closed: treated as leave for calls and rooms
  // The client sent a message larger than `limit` bytes; the shell dropped it. The hub replies with an error
  // naming the limit (and counts it against the rate limit like any message).
  void oversized(ConnId conn, std::size_t limit, const Now& now);

  std::vector<Outgoing>& outbox() { return outbox_; }
  const Metrics& metrics() const;
  std::size_t connection_count() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
  std::vector<Outgoing> outbox_;
};

}  // namespace peerhub::signaling
