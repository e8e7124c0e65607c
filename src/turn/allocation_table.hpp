// The allocations of one worker, found by their 5-tuple (every client packet, §5) and by relay id (every peer
// datagram, §10.3): two hash tables, so the relay path costs two lookups and no allocation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <unordered_map>

#include "turn/allocation.hpp"
#include "turn/server.hpp"

namespace peerhub::turn {

struct FiveTupleHash {
  std::size_t operator()(const FiveTuple& t) const noexcept;
};

class AllocationTable {
 public:
  using ByTuple = std::unordered_map<FiveTuple, std::unique_ptr<Allocation>, FiveTupleHash>;

  Allocation* find(const FiveTuple& tuple) const {
    const auto it = by_tuple_.find(tuple);
    return it == by_tuple_.end() ? nullptr : it->second.get();
  }
  Allocation* find_relay(RelayId relay) const {
    const auto it = by_relay_.find(relay);
    return it == by_relay_.end() ? nullptr : it->second;
  }

  // A new allocation for `tuple` (which must be free); its relays are added with add_relay().
  Allocation& insert(const FiveTuple& tuple);
  void add_relay(Allocation& a, const Relay& relay);
  void remove_relay(Allocation& a, RelayId relay);
  // Forgets the allocation (the caller closed its relays and released its quota first).
  void erase(const FiveTuple& tuple);

  std::size_t size() const { return by_tuple_.size(); }
  ByTuple& all() { return by_tuple_; }

 private:
  ByTuple by_tuple_;
  std::unordered_map<RelayId, Allocation*> by_relay_;
};

}  // namespace peerhub::turn
