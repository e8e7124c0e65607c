#include "signaling/hub_state.hpp"

namespace peerhub::signaling {

void Hub::State::send(Conn& to, std::string text, MsgType type) {
  metrics_.out(type);
  outbox_.push_back({to.id, std::make_shared<const std::string>(std::move(text)), 0});
}

void Hub::State::send_shared(Conn& to, const std::shared_ptr<const std::string>& text, MsgType type) {
  metrics_.out(type);
  outbox_.push_back({to.id, text, 0});
}

void Hub::State::send_error(Conn& to, ErrorKind kind, std::string_view message) {
  metrics_.error(kind);
  std::string text;
  ObjectWriter(text).str("type", "error").str("message", message).str("code", error_kind_name(kind)).close();
  send(to, std::move(text), MsgType::kError);
}

void Hub::State::send_unknown_type(Conn& to, std::string_view type) {
  metrics_.error(ErrorKind::kUnknownType);
  std::string message = "Unrecognized command: ";
  message += type;
  std::string text;
  ObjectWriter writer(text);
  writer.str("type", "error").str("message", message);
  // The Java-WebSocket tutorial's server sends exactly {"type","message"}; its clients may compare the
  // whole reply, so that dialect gets nothing more.
  if (to.dialect() != Dialect::kJava) writer.str("code", error_kind_name(ErrorKind::kUnknownType));
  writer.close();
  send(to, std::move(text), MsgType::kError);
}

bool Hub::State::read_string(Conn& conn, const json::object& m, std::string_view key, bool required,
                             std::string_view& out) {
  out = {};
  const json::value* v = m.if_contains(key);
  if (!v || v->is_null()) {
    if (!required) return true;
    send_error(conn, ErrorKind::kMissingField, "missing field \"" + std::string(key) + "\"");
    return false;
  }
  if (!v->is_string()) {
    send_error(conn, ErrorKind::kWrongType, "field \"" + std::string(key) + "\" must be a string");
    return false;
  }
  out = v->get_string();
  return true;
}

const json::value* Hub::State::read_value(Conn& conn, const json::object& m, std::string_view key) {
  const json::value* v = m.if_contains(key);
  if (!v || v->is_null()) {
    send_error(conn, ErrorKind::kMissingField, "missing field \"" + std::string(key) + "\"");
    return nullptr;
  }
  return v;
}

}  // namespace peerhub::signaling
