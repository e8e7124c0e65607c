// Rooms (join / leave / message) and the list of who is online, in peerhub's own dialect.
#include <algorithm>

#include "signaling/hub_state.hpp"

namespace peerhub::signaling {
namespace {

bool is_member(const Conn& conn, const Room* room) {
  const ConnLinks* links = conn.links_if_any();
  return links && std::find(links->rooms.begin(), links->rooms.end(), room) != links->rooms.end();
}

std::size_t room_count(const Conn& conn) {
  const ConnLinks* links = conn.links_if_any();
  return links ? links->rooms.size() : 0;
}

std::string room_event(std::string_view type, std::string_view room, std::string_view name) {
  std::string text;
  ObjectWriter(text).str("type", type).str("room", room).str("name", name).close();
  return text;
}

}  // namespace

void Hub::State::join_room(Conn& conn, const json::object& m) {
  std::string_view name;
  if (!read_string(conn, m, "room", true, name)) return;
  if (!valid_name(name, config_.max_name_length)) {
    send_error(conn, ErrorKind::kInvalidName,
               "a room name is 1 to " + std::to_string(config_.max_name_length) +
                   " bytes without control characters");
    return;
  }
  Room* room = rooms_.find(name);
  bool already = room && is_member(conn, room);
  if (!already) {
    if (room_count(conn) >= config_.rooms_per_connection) {
      send_error(
          conn, ErrorKind::kTooManyRooms,
          "too many rooms: at most " + std::to_string(config_.rooms_per_connection) + " per connection");
      return;
    }
    if (room && room->members.size() >= config_.members_per_room) {
      send_error(conn, ErrorKind::kRoomFull,
                 "room is full: at most " + std::to_string(config_.members_per_room) +
                     (config_.members_per_room == 1 ? " member" : " members"));
      return;
    }
    room = &rooms_.find_or_create(name);
    auto peer_joined = std::make_shared<const std::string>(room_event("peer-joined", room->name, conn.name));
    for (Conn* member : room->members)
      send_shared(*member, peer_joined, MsgType::kPeerJoined);
    room->members.push_back(&conn);
    conn.links().rooms.push_back(room);
    metrics_.rooms = static_cast<std::int64_t>(rooms_.size());
  }
  // A repeated join is answered again (the page may have reloaded its state) without telling the others.
  std::string text;
  ObjectWriter writer(text);
  writer.str("type", "joined").str("room", room->name).str("name", conn.name);
  std::string& out = writer.open("peers");
  out += '[';
  bool first = true;
  for (const Conn* member : room->members) {
    if (member == &conn) continue;
    if (!first) out += ',';
    first = false;
    append_json_string(out, member->name);
  }
  out += ']';
  writer.close();
  send(conn, std::move(text), MsgType::kJoined);
}

void Hub::State::leave_room(Conn& conn, std::string_view room_name) {
  Room* room = rooms_.find(room_name);
  if (!room || !is_member(conn, room)) {
    send_error(conn, ErrorKind::kNotInRoom, "not in room \"" + std::string(room_name) + "\"");
    return;
  }
  std::string name(room->name);                    // the room may go away below
  std::vector<Room*>& rooms = conn.links().rooms;  // there is one: conn is a member
  rooms.erase(std::find(rooms.begin(), rooms.end(), room));
  conn.release_links();
  auto peer_left = std::make_shared<const std::string>(room_event("peer-left", name, conn.name));
  for (Conn* member : room->members) {
    if (member != &conn) send_shared(*member, peer_left, MsgType::kPeerLeft);
  }
  rooms_.remove_member(*room, conn);
  metrics_.rooms = static_cast<std::int64_t>(rooms_.size());
  send(conn, room_event("left", name, conn.name), MsgType::kLeft);
}

void Hub::State::leave_all_rooms(Conn& conn) {
  ConnLinks* links = conn.links_if_any();
  if (!links) return;
  for (Room* room : links->rooms) {
    auto peer_left = std::make_shared<const std::string>(room_event("peer-left", room->name, conn.name));
    for (Conn* member : room->members) {
      if (member != &conn) send_shared(*member, peer_left, MsgType::kPeerLeft);
    }
    rooms_.remove_member(*room, conn);
  }
  links->rooms.clear();
  conn.release_links();
  metrics_.rooms = static_cast<std::int64_t>(rooms_.size());
}

void Hub::State::message(Conn& conn, const json::object& m) {
  std::string_view room_name;
  std::string_view name;
  if (!read_string(conn, m, "room", false, room_name) || !read_string(conn, m, "name", false, name)) return;
  if (room_name.empty() && name.empty()) {
    send_error(conn, ErrorKind::kMissingField, "message needs \"room\" or \"name\"");
    return;
  }
  const json::value* data = read_value(conn, m, "data");
  if (!data) return;
  std::string text;
  if (!room_name.empty()) {
    Room* room = rooms_.find(room_name);
    if (!room || !is_member(conn, room)) {
      send_error(conn, ErrorKind::kNotInRoom, "not in room \"" + std::string(room_name) + "\"");
      return;
    }
    ObjectWriter(text)
        .str("type", "message")
        .str("room", room->name)
        .str("name", conn.name)
        .value("data", *data)
        .close();
    auto shared = std::make_shared<const std::string>(std::move(text));
    for (Conn* member : room->members) {
      if (member != &conn) send_shared(*member, shared, MsgType::kMessage);
    }
    return;
  }
  Conn* to = target(conn, name);
  if (!to) return;
  ObjectWriter(text).str("type", "message").str("name", conn.name).value("data", *data).close();
  send(*to, std::move(text), MsgType::kMessage);
}

void Hub::State::list(Conn& conn, const json::object& m) {
  std::string_view after;
  if (!read_string(conn, m, "after", false, after)) return;
  std::vector<std::string_view> names;
  std::size_t page_size = std::max<std::size_t>(config_.list_page_size, 1);
  names.reserve(std::min(page_size, directory_.size()));
  bool more = directory_.page(after, page_size, names);
  std::string text;
  ObjectWriter writer(text);
  writer.str("type", "list");
  std::string& out = writer.open("names");
  out += '[';
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i) out += ',';
    append_json_string(out, names[i]);
  }
  out += ']';
  writer.number("total", static_cast<std::int64_t>(directory_.size()));
  // The cursor for the next page: ask again with "after" set to it.
  if (more) writer.str("next", names.back());
  writer.close();
  send(conn, std::move(text), MsgType::kList);
}

}  // namespace peerhub::signaling
