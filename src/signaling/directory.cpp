#include "signaling/directory.hpp"

#include "signaling/connection.hpp"

namespace peerhub::signaling {

bool valid_name(std::string_view name, std::size_t max_length) {
  if (name.empty() || name.size() > max_length) return false;
  for (char ch : name) {
    auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7f) return false;
  }
  return true;
}

bool Directory::insert(Conn& conn) {
  std::string_view key = conn.name;
  if (!by_name_.emplace(key, &conn).second) return false;
  ordered_.insert(key);
  return true;
}

void Directory::erase(const Conn& conn) {
  auto it = by_name_.find(conn.name);
  if (it == by_name_.end() || it->second != &conn) return;
  by_name_.erase(it);
  ordered_.erase(conn.name);
}

bool Directory::page(std::string_view after, std::size_t limit, std::vector<std::string_view>& out) const {
  auto it = after.empty() ? ordered_.begin() : ordered_.upper_bound(after);
  for (std::size_t n = 0; n < limit && it != ordered_.end(); ++n, ++it)
    out.push_back(*it);
  return it != ordered_.end();
}

}  // namespace peerhub::signaling
