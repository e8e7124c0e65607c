#include "signaling/hub.hpp"

#include <algorithm>

#include "signaling/hub_state.hpp"

namespace peerhub::signaling {

Hub::Hub(HubConfig config) : state_(std::make_unique<State>(std::move(config), outbox_)) {}
Hub::~Hub() = default;

bool Hub::open(ConnId conn, const Now& now) {
  return state_->open(conn, now);
}

void Hub::text(ConnId conn, std::string_view message, const Now& now) {
  if (Conn* c = state_->find(conn)) state_->on_text(*c, message, now);
}

void Hub::binary(ConnId conn, const Now& now) {
  if (Conn* c = state_->find(conn)) state_->on_binary(*c, now);
}

void Hub::oversized(ConnId conn, std::size_t limit, const Now& now) {
  if (Conn* c = state_->find(conn)) state_->on_oversized(*c, limit, now);
}

void Hub::close(ConnId conn, const Now&) {
  // A refused connection was never added: nothing to do for it.
  if (Conn* c = state_->find(conn)) state_->close(*c);
}

const Metrics& Hub::metrics() const {
  return state_->metrics_;
}
std::size_t Hub::connection_count() const {
  return state_->conns_.size();
}

Hub::State::State(HubConfig config, std::vector<Outgoing>& outbox)
    : config_(std::move(config)),
      rate_limit_(RateLimit::of(config_.messages_per_second, config_.message_burst)),
      outbox_(outbox) {
  config_.max_connections = std::min(config_.max_connections, Conn::kMaxConnections);
}

bool Hub::State::open(ConnId id, const Now& now) {
  if (conns_.size() >= config_.max_connections || conns_.contains(id)) {
    ++metrics_.connections_refused;
    metrics_.error(ErrorKind::kTooManyConnections);
    metrics_.out(MsgType::kError);
    std::string text;
    ObjectWriter(text)
        .str("type", "error")
        .str("message", "server full: too many connections, try again later")
        .str("code", error_kind_name(ErrorKind::kTooManyConnections))
        .close();
    // RFC 6455 §7.4.1 / IANA registry: 1013 "Try Again Later".
    outbox_.push_back({id, std::make_shared<const std::string>(std::move(text)), 1013});
    return false;
  }
  Conn& conn = const_cast<Conn&>(*conns_.emplace(id).first);  // see find()
  conn.bucket.reset(now.mono);
  conn.set_anonymous_index(anonymous_.size());
  anonymous_.push_back(&conn);
  ++metrics_.connections_total;
  ++metrics_.connections_open;
  return true;
}

void Hub::State::close(Conn& conn) {
  hang_up_all(conn);
  leave_all_rooms(conn);
  if (conn.logged_in()) {
    directory_.erase(conn);
    --metrics_.names;
  }
  remove_anonymous(conn);
  --metrics_.connections_open;
  conns_.erase(conns_.find(conn.id));
}

void Hub::State::remove_anonymous(Conn& conn) {
  if (conn.anonymous_index == Conn::kNotAnonymous) return;
  // Swap-remove keeps the broadcast list dense.
  Conn* last = anonymous_.back();
  anonymous_[conn.anonymous_index] = last;
  last->set_anonymous_index(conn.anonymous_index);
  anonymous_.pop_back();
  conn.set_anonymous_index(Conn::kNotAnonymous);
}

bool Hub::State::admit(Conn& conn, const Now& now) {
  if (config_.messages_per_second <= 0) return true;
  if (conn.bucket.take(rate_limit_, now.mono)) return true;
  ++metrics_.rate_limited_dropped;
  auto now_ms = static_cast<std::uint32_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(now.mono.time_since_epoch()).count());
  if (!conn.rate_error_sent || now_ms - conn.last_rate_error_ms >= 1000) {
    conn.rate_error_sent = 1;
    conn.last_rate_error_ms = now_ms;
    send_error(conn, ErrorKind::kRateLimited,
               "rate limited: too many messages per second; messages are dropped until the rate falls");
  }
  return false;
}

void Hub::State::on_binary(Conn& conn, const Now& now) {
  if (!admit(conn, now)) return;
  metrics_.in(MsgType::kOther);
  send_error(conn, ErrorKind::kBinary, "binary frames are not part of the protocol: send JSON text");
}

void Hub::State::on_oversized(Conn& conn, std::size_t limit, const Now& now) {
  if (!admit(conn, now)) return;
  metrics_.in(MsgType::kOther);
  send_error(conn, ErrorKind::kTooLarge, "message too large: limit is " + std::to_string(limit) + " bytes");
}

void Hub::State::on_text(Conn& conn, std::string_view text, const Now& now) {
  if (!admit(conn, now)) return;
  boost::system::error_code ec;
  const json::value* value = reader_.parse(text, ec);
  if (!value) {
    metrics_.in(MsgType::kOther);
    send_error(conn, ErrorKind::kMalformedJson, "malformed JSON: " + ec.message());
    return;
  }
  if (!value->is_object()) {
    metrics_.in(MsgType::kOther);
    send_error(conn, ErrorKind::kNotObject, "a message must be a JSON object");
    return;
  }
  const json::object& m = value->get_object();
  current_text_ = text;
  const json::value* type_value = m.if_contains("type");
  if (!type_value || !type_value->is_string()) {
    metrics_.in(MsgType::kOther);
    if (!type_value)
      send_error(conn, ErrorKind::kMissingField, "missing field \"type\"");
    else
      send_error(conn, ErrorKind::kWrongType, "field \"type\" must be a string");
    return;
  }
  std::string_view type = type_value->get_string();
  MsgType kind = classify_msg_type(type);
  metrics_.in(kind);
  switch (conn.dialect()) {
    case Dialect::kNone:
      on_anonymous(conn, kind, type, m, text, now);
      break;
    case Dialect::kV1:
      on_v1(conn, kind, type, m, now);
      break;
    case Dialect::kJava:
      on_java(conn, kind, type, m, now);
      break;
    case Dialect::kAndroid:
      on_android(conn, kind, type, m, now);
      break;
  }
}

namespace {

// The broadcast demo's messages carry no target at all.
bool has_target(const json::object& m) {
  for (std::string_view key : {"name", "target"}) {
    const json::value* v = m.if_contains(key);
    if (v && !v->is_null() && !(v->is_string() && v->get_string().empty())) return true;
  }
  return false;
}

}  // namespace

void Hub::State::on_anonymous(Conn& conn, MsgType kind, std::string_view type, const json::object& m,
                              std::string_view text, const Now& now) {
  switch (kind) {
    case MsgType::kLogin:
      // "version" marks peerhub's own clients; the Java-WebSocket tutorial's client never sends it.
      login(conn, m, m.contains("version") ? Dialect::kV1 : Dialect::kJava, now);
      return;
    case MsgType::kSignIn:
      login(conn, m, Dialect::kAndroid, now);
      return;
    case MsgType::kOffer:
    case MsgType::kAnswer:
    case MsgType::kCandidate:
      if (has_target(m)) {
        send_error(conn, ErrorKind::kNotLoggedIn, "log in before sending to a name");
      } else if (!config_.auth_secret.empty()) {
        // With authentication on, nothing is relayed for a connection that has not logged in.
        send_error(conn, ErrorKind::kNotLoggedIn, "log in first: this server requires a token");
      } else {
        broadcast(conn, kind, text);
      }
      return;
    case MsgType::kOther:
      send_unknown_type(conn, type);
      return;
    default:
      send_error(conn, ErrorKind::kNotLoggedIn, "log in first");
      return;
  }
}

void Hub::State::broadcast(Conn& from, MsgType kind, std::string_view text) {
  // The demo's pages expect the sender's message unchanged; one shared copy serves every receiver.
  ++metrics_.broadcast_relays;
  auto shared = std::make_shared<const std::string>(text);
  for (Conn* other : anonymous_) {
    if (other != &from) send_shared(*other, shared, kind);
  }
}

}  // namespace peerhub::signaling
