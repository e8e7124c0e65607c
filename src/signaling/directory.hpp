// Who is online: login names to connections. The table holds only a pointer per name; the name itself is
// Conn::name (the Conn outlives its entry here).
#pragma once

#include <cstddef>
#include <functional>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "signaling/connection.hpp"

namespace peerhub::signaling {

// 1..max_length bytes of (already valid) UTF-8 without control characters (C0, DEL). Names and room names.
bool valid_name(std::string_view name, std::size_t max_length);

class Directory {
 public:
  // False when the name is taken. `conn.name` must already hold the name.
  bool insert(Conn& conn) { return by_name_.insert(&conn).second; }
  void erase(const Conn& conn);
  Conn* find(std::string_view name) const {
    auto it = by_name_.find(name);
    return it == by_name_.end() ? nullptr : *it;
  }
  std::size_t size() const { return by_name_.size(); }

  // Up to `limit` names sorted after `after` (all names when `after` is empty), appended to `out`. Returns
  // true when more names follow the page.
  bool page(std::string_view after, std::size_t limit, std::vector<std::string_view>& out) const;

 private:
  // Looked up by a name (string_view) or by a Conn* (its name).
  struct NameHash {
    using is_transparent = void;
    // Not noexcept on purpose: libstdc++ then keeps each name's hash in its node (still within malloc's
    // smallest chunk), so walking a bucket compares hashes instead of hashing names again.
    std::size_t operator()(std::string_view name) const { return std::hash<std::string_view>{}(name); }
    std::size_t operator()(const Conn* conn) const { return (*this)(std::string_view(conn->name)); }
  };
  struct NameEqual {
    using is_transparent = void;
    static std::string_view key(std::string_view name) { return name; }
    static std::string_view key(const Conn* conn) { return conn->name; }
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      return key(a) == key(b);
    }
  };
  std::unordered_set<Conn*, NameHash, NameEqual> by_name_;
};

}  // namespace peerhub::signaling
