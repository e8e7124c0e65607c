#include "signaling/directory.hpp"

#include <algorithm>

namespace peerhub::signaling {

bool valid_name(std::string_view name, std::size_t max_length) {
  if (name.empty() || name.size() > max_length) return false;
  for (char ch : name) {
    auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7f) return false;
  }
  return true;
}

void Directory::erase(const Conn& conn) {
  auto it = by_name_.find(std::string_view(conn.name));
  if (it == by_name_.end() || *it != &conn) return;
  by_name_.erase(it);
}

// There is no ordered index to keep up to date on every login and close (it cost a tree node per name):
// a page is picked by one pass over the names, keeping the `limit` smallest above `after` in a max-heap.
// That is O(n log limit) per "list", which the per-connection rate limit keeps rare; the relay path only
// ever looks names up.
bool Directory::page(std::string_view after, std::size_t limit, std::vector<std::string_view>& out) const {
  std::vector<std::string_view> heap;  // the page so far; its largest name on top
  heap.reserve(std::min(limit, by_name_.size()));
  std::size_t above = 0;  // names after `after`, on this page or not
  for (const Conn* conn : by_name_) {
    std::string_view name = conn->name;
    if (name <= after) continue;  // names are never empty, so an empty `after` skips nothing
    ++above;
    if (heap.size() < limit) {
      heap.push_back(name);
      std::push_heap(heap.begin(), heap.end());
    } else if (!heap.empty() && name < heap.front()) {
      std::pop_heap(heap.begin(), heap.end());
      heap.back() = name;
      std::push_heap(heap.begin(), heap.end());
    }
  }
  std::sort_heap(heap.begin(), heap.end());
  out.insert(out.end(), heap.begin(), heap.end());
  return above > heap.size();
}

}  // namespace peerhub::signaling
