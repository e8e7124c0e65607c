// The Java-WebSocket tutorial's protocol: login / offer / answer / candidate / leave, with "name" as the
// target and "myName" (ignored: the sender is the connection). Where that server relied on a per-connection
// "otherName", this one uses the call partners: an answer goes back to whoever sent the latest offer, and a
// candidate or leave with an empty or unknown name goes to the current call partner.
#include "signaling/hub_state.hpp"

namespace peerhub::signaling {

void Hub::State::on_java(Conn& conn, MsgType kind, std::string_view type, const json::object& m,
                         const Now& now) {
  if (kind != MsgType::kLogin && kind != MsgType::kOffer && kind != MsgType::kAnswer &&
      kind != MsgType::kCandidate && kind != MsgType::kLeave) {
    send_unknown_type(conn, type);
    return;
  }
  if (kind == MsgType::kLogin) {
    login(conn, m, Dialect::kJava, now);
    return;
  }
  std::string_view name;
  if (!read_string(conn, m, "name", kind == MsgType::kOffer, name)) return;

  Conn* to = name.empty() ? nullptr : directory_.find(name);
  if (!to) {
    if (kind == MsgType::kOffer) {
      target(conn, name);  // the error reply
      return;
    }
    const ConnLinks* links = conn.links_if_any();
    if (kind == MsgType::kAnswer && links && links->has_offerer) to = find(links->last_offerer);
    if (!to) to = current_partner(conn);
    if (!to) {
      send_error(conn, ErrorKind::kUnknownTarget,
                 name.empty() ? "no call to send this to: give a \"name\""
                              : "no one is logged in as \"" + std::string(name) + "\"");
      return;
    }
  }
  if (kind == MsgType::kLeave) {
    hang_up(conn, *to, {});
    return;
  }
  const json::value* payload = read_value(conn, m, type);
  if (payload) relay_signal(conn, *to, kind, *payload, type);
}

}  // namespace peerhub::signaling
