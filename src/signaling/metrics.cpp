#include "signaling/metrics.hpp"

#include <charconv>

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

void append_number(std::string& out, std::uint64_t v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, end);
}

void append_number(std::string& out, std::int64_t v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, end);
}

void header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out += "# HELP peerhub_signaling_";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE peerhub_signaling_";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

template <typename T>
void sample(std::string& out, std::string_view name, std::string_view label, std::string_view value, T v) {
  out += "peerhub_signaling_";
  out += name;
  if (!label.empty()) {
    // Label values here are fixed identifiers from the tables above: nothing to escape.
    out += '{';
    out += label;
    out += "=\"";
    out += value;
    out += "\"}";
  }
  out += ' ';
  append_number(out, v);
  out += '\n';
}

template <typename T>
void single(std::string& out, std::string_view name, std::string_view type, std::string_view help, T v) {
  header(out, name, type, help);
  sample(out, name, {}, {}, v);
}

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
  single(out, "connections_open", "gauge", "WebSocket connections the hub knows now.", m.connections_open);
  single(out, "connections_total", "counter", "Connections accepted since start.", m.connections_total);
  single(out, "connections_refused_total", "counter",
         "Connections refused because max_connections was reached.", m.connections_refused);
  single(out, "names", "gauge", "Logged-in names now.", m.names);
  single(out, "rooms", "gauge", "Rooms with at least one member now.", m.rooms);

  header(out, "logins_total", "counter", "Login attempts by result.");
  sample(out, "logins_total", "result", "ok", m.logins_ok);
  sample(out, "logins_total", "result", "failed", m.logins_failed);

  single(out, "broadcast_relays_total", "counter", "Messages relayed by the no-login broadcast demo.",
         m.broadcast_relays);
  single(out, "rate_limited_total", "counter", "Messages dropped by the per-connection rate limit.",
         m.rate_limited_dropped);

  header(out, "messages_in_total", "counter", "Messages received, by type.");
  for (std::size_t i = 0; i < static_cast<std::size_t>(MsgType::kError); ++i) {
    sample(out, "messages_in_total", "type", kMsgTypeNames[i], m.messages_in[i]);
  }
  sample(out, "messages_in_total", "type", "other", m.messages_in[static_cast<std::size_t>(MsgType::kOther)]);

  header(out, "messages_out_total", "counter", "Messages sent (one per recipient), by type.");
  for (std::size_t i = 0; i < static_cast<std::size_t>(MsgType::kOther); ++i) {
    sample(out, "messages_out_total", "type", kMsgTypeNames[i], m.messages_out[i]);
  }

  header(out, "errors_total", "counter", "Error replies sent to clients, by kind.");
  for (std::size_t i = 0; i < kErrorKindCount; ++i) {
    sample(out, "errors_total", "kind", kErrorKindNames[i], m.errors[i]);
  }
}

}  // namespace peerhub::signaling
