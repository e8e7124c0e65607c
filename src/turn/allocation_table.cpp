#include "turn/allocation_table.hpp"

namespace peerhub::turn {
namespace {

std::uint64_t mix(std::uint64_t h, std::uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  return h;
}

std::uint64_t load(const std::array<std::uint8_t, 16>& b, std::size_t at) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 8; ++i)
    v = (v << 8) | b[at + i];
  return v;
}

}  // namespace

std::size_t FiveTupleHash::operator()(const FiveTuple& t) const noexcept {
  std::uint64_t h = load(t.client.bytes, 0);
  h = mix(h, load(t.client.bytes, 8));
  h = mix(h, (std::uint64_t{t.client.port} << 24) | (std::uint64_t{t.server.port} << 8) |
                 static_cast<std::uint64_t>(t.transport));
  h = mix(h, load(t.server.bytes, 0) ^ load(t.server.bytes, 8));
  return static_cast<std::size_t>(h * 0xff51afd7ed558ccdULL);
}

Allocation& AllocationTable::insert(const FiveTuple& tuple) {
  auto a = std::make_unique<Allocation>();
  a->tuple = tuple;
  Allocation& out = *a;
  by_tuple_[tuple] = std::move(a);
  return out;
}

void AllocationTable::add_relay(Allocation& a, const Relay& relay) {
  a.relays[a.relay_count++] = RelaySlot{relay.id, relay.address};
  by_relay_[relay.id] = &a;
}

void AllocationTable::remove_relay(Allocation& a, RelayId relay) {
  for (std::uint8_t i = 0; i < a.relay_count; ++i) {
    if (a.relays[i].id != relay) continue;
    for (std::uint8_t k = i; k + 1 < a.relay_count; ++k)
      a.relays[k] = a.relays[k + 1];
    --a.relay_count;
    break;
  }
  by_relay_.erase(relay);
}

void AllocationTable::erase(const FiveTuple& tuple) {
  const auto it = by_tuple_.find(tuple);
  if (it == by_tuple_.end()) return;
  for (std::uint8_t i = 0; i < it->second->relay_count; ++i)
    by_relay_.erase(it->second->relays[i].id);
  by_tuple_.erase(it);
}

}  // namespace peerhub::turn
