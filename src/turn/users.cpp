#include "turn/users.hpp"

#include "stun/credentials.hpp"
#include "stun/crypto.hpp"

namespace peerhub::turn {

Users::Users(const std::vector<std::pair<std::string, std::string>>& users, std::string rest_secret,
             std::string_view realm)
    : rest_secret_(std::move(rest_secret)) {
  for (const auto& [name, password] : users) {
    passwords_.emplace(name, password);
    if (const auto hash = stun::userhash(name, realm)) userhashes_.emplace_back(*hash, name);
  }
}

std::optional<KnownUser> Users::find(std::string_view username, std::int64_t now_unix) const {
  if (const auto it = passwords_.find(std::string(username)); it != passwords_.end()) {
    KnownUser user;
    user.username = username;
    user.static_password = it->second;
    return user;
  }
  if (rest_secret_.empty()) return std::nullopt;
  // The REST scheme: the username carries its own expiry, and an expired one is refused like an unknown user.
  const auto expiry = rest_expiry(username);
  if (!expiry || *expiry < now_unix) return std::nullopt;
  const auto password = rest_password(rest_secret_, username);
  if (!password) return std::nullopt;
  KnownUser user;
  user.username = username;
  user.quota_offset = username.find(':') + 1;
  user.rest = *password;
  user.is_rest = true;
  return user;
}

std::optional<KnownUser> Users::find_userhash(const std::array<std::uint8_t, 32>& hash) const {
  for (const auto& [h, name] : userhashes_) {
    if (!stun::equal_constant_time(h, hash)) continue;
    KnownUser user;
    user.username = name;
    user.static_password = passwords_.at(name);
    return user;
  }
  return std::nullopt;
}

}  // namespace peerhub::turn
