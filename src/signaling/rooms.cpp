#include "signaling/rooms.hpp"

#include <algorithm>

namespace peerhub::signaling {

Room* Rooms::find(std::string_view name) {
  auto it = rooms_.find(name);
  return it == rooms_.end() ? nullptr : &it->second;
}

Room& Rooms::find_or_create(std::string_view name) {
  auto it = rooms_.find(name);
  if (it == rooms_.end()) {
    it = rooms_.emplace(std::string(name), Room{}).first;
    it->second.name = it->first;
  }
  return it->second;
}

bool Rooms::remove_member(Room& room, const Conn& conn) {
  auto it = std::find(room.members.begin(), room.members.end(), &conn);
  if (it == room.members.end()) return false;
  room.members.erase(it);
  if (room.members.empty()) rooms_.erase(std::string(room.name));
  return true;
}

}  // namespace peerhub::signaling
