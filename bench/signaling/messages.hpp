// The Java-WebSocket dialect messages the load is made of, and the few facts the bench reads back from what
// the server relays (type, embedded send timestamp) without a full JSON parse on the hot path.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace peerhub::bench {

enum class Kind : std::uint8_t { offer, answer, candidate, login_ok, login_failed, error, other };

std::string login_message(std::string_view name);

// An offer, answer or candidate addressed to `to`, carrying `sent_ns` as a "@t<digits>@" marker that
// survives the server re-encoding the payload as a JSON string.
void build_relay(std::string& out, Kind kind, std::string_view to, std::int64_t sent_ns, int sdp_bytes);

// The outer "type" of a message from the server (the payload's own "type" is escaped inside a string).
Kind classify(std::string_view text);

// The timestamp marker, or -1.
std::int64_t sent_at(std::string_view text);

inline Kind next_kind(Kind k) {
  return k == Kind::offer ? Kind::answer : k == Kind::answer ? Kind::candidate : Kind::offer;
}

}  // namespace peerhub::bench
