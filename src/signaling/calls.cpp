// 1:1 calls. A message is read in the sender's dialect and written in the receiver's, so a browser on
// peerhub's page can call a client of the Java-WebSocket tutorial:
//   v1       {"type":"offer","name":FROM,"offer":{...}}                  payload as sent
//   Java     {"type":"offer","offer":"{\"type\":...}","name":FROM}       payload as a JSON string (that
//            tutorial's client JSON.parses it); a payload that already is a string is not encoded twice
//   Android  {"type":"Offer","username":FROM,"target":TO,"data":...}     payload untouched
#include <algorithm>

#include "signaling/hub_state.hpp"
#include "signaling/raw_member.hpp"

namespace peerhub::signaling {
namespace {

std::string_view payload_key(MsgType kind) {
  switch (kind) {
    case MsgType::kOffer:
      return "offer";
    case MsgType::kAnswer:
      return "answer";
    default:
      return "candidate";
  }
}

MsgType android_kind(MsgType kind) {
  switch (kind) {
    case MsgType::kOffer:
      return MsgType::kAndroidOffer;
    case MsgType::kAnswer:
      return MsgType::kAndroidAnswer;
    default:
      return MsgType::kIceCandidates;
  }
}

// Remembers `partner` as the most recent call of `conn`.
void remember(Conn& conn, ConnId partner) {
  std::vector<ConnId>& partners = conn.links().partners;
  auto it = std::find(partners.begin(), partners.end(), partner);
  if (it != partners.end()) {
    partners.erase(it);
  } else if (partners.size() >= kMaxPartners) {
    partners.erase(partners.begin());
  }
  partners.push_back(partner);
}

void forget(Conn& conn, ConnId partner) {
  ConnLinks* links = conn.links_if_any();
  if (!links) return;
  auto it = std::find(links->partners.begin(), links->partners.end(), partner);
  if (it != links->partners.end()) links->partners.erase(it);
  if (links->has_offerer && links->last_offerer == partner) links->has_offerer = false;
  conn.release_links();
}

}  // namespace

void Hub::State::relay_signal(Conn& from, Conn& to, MsgType kind, const json::value& payload,
                              std::string_view key) {
  if (kind != MsgType::kCandidate && &from != &to) {
    remember(from, to.id);
    remember(to, from.id);
  }
  if (kind == MsgType::kOffer) {
    ConnLinks& links = to.links();
    links.last_offerer = from.id;
    links.has_offerer = true;
  }
  // The payload's own text, copied byte for byte: no second serialization on the relay path.
  std::optional<std::string_view> raw = raw_member(current_text_, key);
  std::string text;
  text.reserve((raw ? raw->size() * (to.dialect() == Dialect::kJava ? 2 : 1) : 256) + 128);
  ObjectWriter writer(text);
  auto write_payload = [&](std::string_view out_key) {
    if (raw)
      writer.raw(out_key, *raw);
    else
      writer.value(out_key, payload);
  };
  switch (to.dialect()) {
    case Dialect::kAndroid:
      writer.str("type", msg_type_name(android_kind(kind))).str("username", from.name).str("target", to.name);
      write_payload("data");
      kind = android_kind(kind);
      break;
    case Dialect::kJava:
      writer.str("type", msg_type_name(kind));
      if (payload.is_string()) {
        writer.str(payload_key(kind), payload.get_string());
      } else if (raw) {
        writer.str(payload_key(kind), *raw);
      } else {
        scratch_.clear();
        append_json_value(scratch_, payload);
        writer.str(payload_key(kind), scratch_);
      }
      writer.str("name", from.name);
      break;
    default:
      writer.str("type", msg_type_name(kind)).str("name", from.name);
      write_payload(payload_key(kind));
      break;
  }
  writer.close();
  send(to, std::move(text), kind);
}

void Hub::State::start_streaming(Conn& from, Conn& to, const json::value* data) {
  if (&from != &to) {
    remember(from, to.id);
    remember(to, from.id);
  }
  // Only the Android tutorial has this message; other dialects get it as is and may ignore it.
  std::string text;
  ObjectWriter writer(text);
  writer.str("type", "StartStreaming").str("username", from.name).str("target", to.name);
  if (data && to.dialect() == Dialect::kAndroid) writer.value("data", *data);
  writer.close();
  send(to, std::move(text), MsgType::kStartStreaming);
}

void Hub::State::hang_up(Conn& from, Conn& to, std::string_view reason, const json::value* data) {
  forget(from, to.id);
  forget(to, from.id);
  std::string text;
  ObjectWriter writer(text);
  MsgType kind = MsgType::kLeave;
  switch (to.dialect()) {
    case Dialect::kAndroid:
      writer.str("type", "EndCall").str("username", from.name).str("target", to.name);
      if (data) writer.value("data", *data);
      kind = MsgType::kEndCall;
      break;
    case Dialect::kJava:
      writer.str("type", "leave").str("name", from.name);
      break;
    default:
      writer.str("type", "leave").str("name", from.name);
      if (!reason.empty()) writer.str("reason", reason);
      break;
  }
  writer.close();
  send(to, std::move(text), kind);
}

void Hub::State::hang_up_all(Conn& conn) {
  ConnLinks* links = conn.links_if_any();
  if (!links) return;
  std::vector<ConnId> partners;
  partners.swap(links->partners);
  for (ConnId id : partners) {
    if (Conn* other = find(id)) hang_up(conn, *other, {});
  }
  conn.release_links();
}

Conn* Hub::State::current_partner(Conn& conn) {
  ConnLinks* links = conn.links_if_any();
  if (!links) return nullptr;
  while (!links->partners.empty()) {
    if (Conn* other = find(links->partners.back())) return other;
    links->partners.pop_back();  // gone without us hearing of it: forget
  }
  conn.release_links();
  return nullptr;
}

Conn* Hub::State::target(Conn& from, std::string_view name) {
  if (Conn* to = directory_.find(name)) return to;
  send_error(from, ErrorKind::kUnknownTarget, "no one is logged in as \"" + std::string(name) + "\"");
  return nullptr;
}

}  // namespace peerhub::signaling
