#include "signaling/metrics.hpp"

#include "common/prometheus.hpp"

namespace peerhub::signaling {
namespace {

constexpr std::array<std::string_view, kMsgTypeCount> kMsgTypeNames = {
    "login",   "offer",  "answer",         "candidate", "leave",     "list",          "join",
    "message", "SignIn", "StartStreaming", "Offer",     "Answer",    "IceCandidates", "EndCall",
    "error",   "joined", "peer-joined",    "left",      "peer-left", "other",
};

constexpr std::array<std::string_view, kErrorKindCount> kErrorKindNames = {
    "malformed-json", "not-object",     "missing-field", "wrong-type",           "bad-value",
    "unknown-type",   "unknown-target", "not-logged-in", "already-logged-in",    "invalid-name",
    "name-taken",     "unauthorized",   "rate-limited",  "too-many-rooms",       "room-full",
    "not-in-room",    "binary",         "too-large",     "too-many-connections",
};

}  // namespace

std::string_view msg_type_name(MsgType type) {
  return kMsgTypeNames[static_cast<std::size_t>(type)];
}

std::string_view error_kind_name(ErrorKind kind) {
  return kErrorKindNames[static_cast<std::size_t>(kind)];
}

MsgType classify_msg_type(std::string_view type) {
  // Outgoing-only names are not accepted as input types.
  for (std::size_t i = 0; i < static_cast<std::size_t>(MsgType::kError); ++i) {
    if (kMsgTypeNames[i] == type) return static_cast<MsgType>(i);
  }
  return MsgType::kOther;
}

void accumulate(Metrics& into, const Metrics& from) {
  into.connections_open += from.connections_open;
  into.connections_total += from.connections_total;
  into.connections_refused += from.connections_refused;
  into.names += from.names;
  into.rooms += from.rooms;
  into.logins_ok += from.logins_ok;
  into.logins_failed += from.logins_failed;
  into.broadcast_relays += from.broadcast_relays;
  into.rate_limited_dropped += from.rate_limited_dropped;
  for (std::size_t i = 0; i < kMsgTypeCount; ++i) {
    into.messages_in[i] += from.messages_in[i];
    into.messages_out[i] += from.messages_out[i];
  }
  for (std::size_t i = 0; i < kErrorKindCount; ++i)
    into.errors[i] += from.errors[i];
}

void append_prometheus(const Metrics& m, std::string& out) {
  PrometheusWriter w(out, "peerhub_signaling_");
  w.single("connections_open", "gauge", "WebSocket connections the hub knows now.", m.connections_open);
  w.single("connections_total", "counter", "Connections accepted since start.", m.connections_total);
  w.single("connections_refused_total", "counter", "Connections refused because max_connections was reached.",
           m.connections_refused);
  w.single("names", "gauge", "Logged-in names now.", m.names);
  w.single("rooms", "gauge", "Rooms with at least one member now.", m.rooms);

  w.family("logins_total", "counter", "Login attempts by result.");
  w.sample("logins_total", "result", "ok", m.logins_ok);
  w.sample("logins_total", "result", "failed", m.logins_failed);

  w.single("broadcast_relays_total", "counter", "Messages relayed by the no-login broadcast demo.",
           m.broadcast_relays);
  w.single("rate_limited_total", "counter", "Messages dropped by the per-connection rate limit.",
           m.rate_limited_dropped);

  w.family("messages_in_total", "counter", "Messages received, by type.");
  for (std::size_t i = 0; i < static_cast<std::size_t>(MsgType::kError); ++i) {
    w.sample("messages_in_total", "type", kMsgTypeNames[i], m.messages_in[i]);
  }
  w.sample("messages_in_total", "type", "other", m.messages_in[static_cast<std::size_t>(MsgType::kOther)]);

  w.family("messages_out_total", "counter", "Messages sent (one per recipient), by type.");
  for (std::size_t i = 0; i < static_cast<std::size_t>(MsgType::kOther); ++i) {
    w.sample("messages_out_total", "type", kMsgTypeNames[i], m.messages_out[i]);
  }

  w.family("errors_total", "counter", "Error replies sent to clients, by kind.");
  for (std::size_t i = 0; i < kErrorKindCount; ++i) {
    w.sample("errors_total", "kind", kErrorKindNames[i], m.errors[i]);
  }
}

}  // namespace peerhub::signaling
