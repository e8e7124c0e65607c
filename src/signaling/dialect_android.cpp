// The Android tutorial's protocol: {"type","username","target","data"}. Routed by "target"; "username" is
// replaced by the sender's login name; "data" (an SDP or a JSON-encoded candidate, as strings) is passed on
// untouched. EndCall without a target (some of that tutorial's clients send null) ends the current call.
#include "signaling/hub_state.hpp"

namespace peerhub::signaling {
namespace {

MsgType canonical(MsgType kind) {
  switch (kind) {
    case MsgType::kAndroidOffer:
      return MsgType::kOffer;
    case MsgType::kAndroidAnswer:
      return MsgType::kAnswer;
    default:
      return MsgType::kCandidate;
  }
}

}  // namespace

void Hub::State::on_android(Conn& conn, MsgType kind, std::string_view type, const json::object& m,
                            const Now& now) {
  switch (kind) {
    case MsgType::kSignIn:
      login(conn, m, Dialect::kAndroid, now);
      return;
    case MsgType::kStartStreaming:
    case MsgType::kAndroidOffer:
    case MsgType::kAndroidAnswer:
    case MsgType::kIceCandidates:
    case MsgType::kEndCall:
      break;
    default:
      send_unknown_type(conn, type);
      return;
  }
  std::string_view name;
  if (!read_string(conn, m, "target", kind != MsgType::kEndCall, name)) return;
  Conn* to = nullptr;
  if (!name.empty()) {
    to = target(conn, name);
    if (!to) return;
  } else {
    to = current_partner(conn);
    if (!to) {
      send_error(conn, ErrorKind::kUnknownTarget, "no call to end: give a \"target\"");
      return;
    }
  }
  if (kind == MsgType::kEndCall) {
    hang_up(conn, *to, {}, m.if_contains("data"));
  } else if (kind == MsgType::kStartStreaming) {
    start_streaming(conn, *to, m.if_contains("data"));
  } else if (const json::value* data = read_value(conn, m, "data")) {
    relay_signal(conn, *to, canonical(kind), *data, "data");
  }
}

}  // namespace peerhub::signaling
