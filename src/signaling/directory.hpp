// Who is online: login names to connections, plus an ordered index so "list" pages are stable while people
// come and go. Keys are views of Conn::name (the Conn outlives its entry here).
#pragma once

#include <cstddef>
#include <set>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace peerhub::signaling {

struct Conn;

// 1..max_length bytes of (already valid) UTF-8 without control characters (C0, DEL). Names and room names.
bool valid_name(std::string_view name, std::size_t max_length);

class Directory {
 public:
  // False when the name is taken. `conn.name` must already hold the name.
  bool insert(Conn& conn);
  void erase(const Conn& conn);
  Conn* find(std::string_view name) const {
    auto it = by_name_.find(name);
    return it == by_name_.end() ? nullptr : it->second;
  }
  std::size_t size() const { return by_name_.size(); }

  // Up to `limit` names sorted after `after` (all names when `after` is empty), appended to `out`. Returns
  // true when more names follow the page.
  bool page(std::string_view after, std::size_t limit, std::vector<std::string_view>& out) const;

 private:
  std::unordered_map<std::string_view, Conn*> by_name_;
  // Only "list" walks this; the relay path uses the hash map.
  std::set<std::string_view> ordered_;
};

}  // namespace peerhub::signaling
