// The room table: room name to members. A room exists while it has members.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace peerhub::signaling {

struct Conn;

struct Room {
  std::string_view name;       // the table's key
  std::vector<Conn*> members;  // in joining order
};

class Rooms {
 public:
  Room* find(std::string_view name);
  Room& find_or_create(std::string_view name);
  // Removes `conn` from the room; the room itself goes when it is empty. Returns true if it was a member.
  bool remove_member(Room& room, const Conn& conn);
  std::size_t size() const { return rooms_.size(); }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, Room, Hash, std::equal_to<>> rooms_;
};

}  // namespace peerhub::signaling
