// SharedState: what the workers' Servers share (server.hpp). A mutex guards it; it is taken per Allocate,
// deletion and tick, never per relayed datagram.
#include <algorithm>
#include <mutex>
#include <string>
#include <unordered_map>

#include "stun/crypto.hpp"
#include "turn/server.hpp"

namespace peerhub::turn {

struct SharedState::Impl {
  std::array<std::uint8_t, 32> key{};
  mutable std::mutex mutex;
  std::unordered_map<std::string, std::size_t> per_user;
  std::size_t total = 0;
  struct Reservation {
    ReservationToken token{};
    stun::Family family = stun::Family::ipv4;
    std::uint16_t port = 0;
    TimePoint expires{};
  };
  std::vector<Reservation> reservations;
  std::uint64_t tokens_made = 0;
};

SharedState::SharedState(std::span<const std::uint8_t, 32> nonce_key) : impl_(std::make_shared<Impl>()) {
  std::copy(nonce_key.begin(), nonce_key.end(), impl_->key.begin());
}

std::span<const std::uint8_t, 32> SharedState::nonce_key() const {
  return impl_->key;
}

bool SharedState::try_acquire(std::string_view user, const Limits& limits) {
  std::lock_guard lock(impl_->mutex);
  if (impl_->total >= limits.allocations_total) return false;
  const auto it = impl_->per_user.find(std::string(user));
  const std::size_t mine = it == impl_->per_user.end() ? 0 : it->second;
  if (mine >= limits.allocations_per_user) return false;
  if (it == impl_->per_user.end())
    impl_->per_user.emplace(std::string(user), 1);
  else
    ++it->second;
  ++impl_->total;
  return true;
}

void SharedState::release(std::string_view user) {
  std::lock_guard lock(impl_->mutex);
  const auto it = impl_->per_user.find(std::string(user));
  if (it == impl_->per_user.end()) return;
  if (--it->second == 0) impl_->per_user.erase(it);
  if (impl_->total > 0) --impl_->total;
}

std::size_t SharedState::allocations() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->total;
}

std::optional<ReservationToken> SharedState::reserve(stun::Family family, std::uint16_t port,
                                                     TimePoint expires) {
  std::lock_guard lock(impl_->mutex);
  if (impl_->reservations.size() >= kMaxReservations) return std::nullopt;
  // The token must not be guessable (it claims a port): a MAC of a counter under the process's key.
  std::uint8_t counter[8];
  const std::uint64_t n = ++impl_->tokens_made;
  for (std::size_t i = 0; i < 8; ++i)
    counter[i] = static_cast<std::uint8_t>(n >> (56 - 8 * i));
  static constexpr std::uint8_t kLabel[] = {'r', 'e', 's', 'e', 'r', 'v', 'e'};
  const auto mac = stun::hmac_sha256(impl_->key, {kLabel, counter});
  if (!mac) return std::nullopt;
  Impl::Reservation r;
  std::copy_n(mac->begin(), r.token.size(), r.token.begin());
  r.family = family;
  r.port = port;
  r.expires = expires;
  impl_->reservations.push_back(r);
  return r.token;
}

std::optional<std::pair<stun::Family, std::uint16_t>> SharedState::claim(const ReservationToken& token,
                                                                         TimePoint now) {
  std::lock_guard lock(impl_->mutex);
  auto& all = impl_->reservations;
  const auto it = std::find_if(all.begin(), all.end(), [&](const Impl::Reservation& r) {
    return stun::equal_constant_time(r.token, token);
  });
  if (it == all.end() || it->expires <= now) return std::nullopt;  // an expired one goes at the next tick
  const std::pair<stun::Family, std::uint16_t> out{it->family, it->port};
  all.erase(it);
  return out;
}

void SharedState::expire_reservations(TimePoint now,
                                      std::vector<std::pair<stun::Family, std::uint16_t>>& out) {
  std::lock_guard lock(impl_->mutex);
  auto& all = impl_->reservations;
  for (const auto& r : all)
    if (r.expires <= now) out.emplace_back(r.family, r.port);
  std::erase_if(all, [&](const Impl::Reservation& r) { return r.expires <= now; });
}

std::optional<TimePoint> SharedState::next_reservation_expiry() const {
  std::lock_guard lock(impl_->mutex);
  std::optional<TimePoint> next;
  for (const auto& r : impl_->reservations)
    if (!next || r.expires < *next) next = r.expires;
  return next;
}

}  // namespace peerhub::turn
