// peerhub's own protocol (DESIGN.md "Signaling protocol"): payloads are JSON objects, targets are "name".
#include "signaling/hub_state.hpp"

namespace peerhub::signaling {

void Hub::State::on_v1(Conn& conn, MsgType kind, std::string_view type, const json::object& m,
                       const Now& now) {
  switch (kind) {
    case MsgType::kLogin:
      login(conn, m, Dialect::kV1, now);
      return;
    case MsgType::kOffer:
    case MsgType::kAnswer:
    case MsgType::kCandidate: {
      std::string_view name;
      if (!read_string(conn, m, "name", true, name)) return;
      const json::value* payload = m.if_contains(type);
      // A null candidate is how some clients say "end of candidates"; it is passed on.
      bool ok = payload && (payload->is_object() || (kind == MsgType::kCandidate && payload->is_null()));
      if (!ok) {
        if (!payload) {
          send_error(conn, ErrorKind::kMissingField, "missing field \"" + std::string(type) + "\"");
        } else {
          send_error(conn, ErrorKind::kWrongType, "field \"" + std::string(type) + "\" must be an object");
        }
        return;
      }
      if (Conn* to = target(conn, name)) relay_signal(conn, *to, kind, *payload, type);
      return;
    }
    case MsgType::kLeave: {
      std::string_view room;
      std::string_view name;
      std::string_view reason;
      if (!read_string(conn, m, "room", false, room) || !read_string(conn, m, "name", false, name) ||
          !read_string(conn, m, "reason", false, reason)) {
        return;
      }
      if (!room.empty()) {
        leave_room(conn, room);
      } else if (!name.empty()) {
        if (!reason.empty() && reason != "declined" && reason != "busy") {
          send_error(conn, ErrorKind::kBadValue, "\"reason\" is \"declined\" or \"busy\"");
          return;
        }
        if (Conn* to = target(conn, name)) hang_up(conn, *to, reason);
      } else {
        send_error(conn, ErrorKind::kMissingField, "leave needs \"name\" (a call) or \"room\"");
      }
      return;
    }
    case MsgType::kList:
      list(conn, m);
      return;
    case MsgType::kJoin:
      join_room(conn, m);
      return;
    case MsgType::kMessage:
      message(conn, m);
      return;
    default:
      send_unknown_type(conn, type);
      return;
  }
}

}  // namespace peerhub::signaling
