// Counters of the signaling hub, read by GET /metrics. Fixed enum-indexed arrays: counting a message is one
// increment, with no map lookup on the relay path. The hub owns one Metrics; the shell copies it under the
// hub's lock and renders the copy with append_prometheus().
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace peerhub::signaling {

// Message types as they appear on the wire, in and out, across every dialect.
enum class MsgType : std::uint8_t {
  kLogin,
  kOffer,
  kAnswer,
  kCandidate,
  kLeave,
  kList,
  kJoin,
  kMessage,
  kSignIn,  // Android dialect
  kStartStreaming,
  kAndroidOffer,
  kAndroidAnswer,
  kIceCandidates,
  kEndCall,
  kError,  // outgoing only
  kJoined,
  kPeerJoined,
  kLeft,
  kPeerLeft,
  kOther,  // an unknown or missing type
  kCount,
};

// Why a client got an error reply.
enum class ErrorKind : std::uint8_t {
  kMalformedJson,
  kNotObject,
  kMissingField,
  kWrongType,
  kBadValue,
  kUnknownType,
  kUnknownTarget,
  kNotLoggedIn,
  kAlreadyLoggedIn,
  kInvalidName,
  kNameTaken,
  kUnauthorized,
  kRateLimited,
  kTooManyRooms,
  kRoomFull,
  kNotInRoom,
  kBinary,
  kTooLarge,
  kTooManyConnections,
  kCount,
};

inline constexpr std::size_t kMsgTypeCount = static_cast<std::size_t>(MsgType::kCount);
inline constexpr std::size_t kErrorKindCount = static_cast<std::size_t>(ErrorKind::kCount);

// The wire name of a type ("offer", "peer-joined", "IceCandidates"; "other" for kOther).
std::string_view msg_type_name(MsgType type);
// The machine-readable error code sent to clients as "code" and used as the metrics label.
std::string_view error_kind_name(ErrorKind kind);
// Classifies an incoming "type" string; kOther when unknown.
MsgType classify_msg_type(std::string_view type);

struct Metrics {
  std::int64_t connections_open = 0;      // gauge
  std::uint64_t connections_total = 0;    // accepted
  std::uint64_t connections_refused = 0;  // over max_connections
  std::int64_t names = 0;                 // gauge: logged-in connections
  std::int64_t rooms = 0;                 // gauge
  std::uint64_t logins_ok = 0;
  std::uint64_t logins_failed = 0;
  std::uint64_t broadcast_relays = 0;      // messages of the no-login broadcast demo
  std::uint64_t rate_limited_dropped = 0;  // messages dropped by the per-connection rate limit
  std::array<std::uint64_t, kMsgTypeCount> messages_in{};
  std::array<std::uint64_t, kMsgTypeCount> messages_out{};
  std::array<std::uint64_t, kErrorKindCount> errors{};

  void in(MsgType t) { ++messages_in[static_cast<std::size_t>(t)]; }
  void out(MsgType t) { ++messages_out[static_cast<std::size_t>(t)]; }
  void error(ErrorKind k) { ++errors[static_cast<std::size_t>(k)]; }
};

// Adds the counters and gauges of `from` to `into` (e.g. to sum several hubs).
void accumulate(Metrics& into, const Metrics& from);

// Prometheus text exposition format (version 0.0.4): # HELP and # TYPE lines, every name prefixed
// peerhub_signaling_. Series that are zero are still written for the fixed label sets so dashboards see them.
void append_prometheus(const Metrics& metrics, std::string& out);

}  // namespace peerhub::signaling
