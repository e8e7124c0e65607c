// Who may allocate: the static users of the configuration and the REST scheme (coturn's use-auth-secret), as
// the long-term credential mechanism (RFC 8489 §9.2) needs them — a password for a username, or for a
// USERHASH (§14.4) of a static user.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "turn/rest_password.hpp"
#include "turn/server.hpp"

namespace peerhub::turn {

struct KnownUser {
  std::string_view username;     // as the client sent it, or the static user a USERHASH named
  std::size_t quota_offset = 0;  // the per-user quota counts username.substr(quota_offset)
  // The password: a static user's (a view into the configuration) or the REST one (in `rest`).
  std::string_view static_password;
  RestPassword rest{};
  bool is_rest = false;
  std::string_view password() const {
    return is_rest ? std::string_view(rest.data(), rest.size()) : static_password;
  }
  std::string_view quota_user() const { return username.substr(quota_offset); }
};

class Users {
 public:
  Users(const std::vector<std::pair<std::string, std::string>>& users, std::string rest_secret,
        std::string_view realm);

  // A static user first; otherwise a REST username "expiry:name" that has not expired at `now_unix`.
  std::optional<KnownUser> find(std::string_view username, std::int64_t now_unix) const;
  std::optional<KnownUser> find_userhash(const std::array<std::uint8_t, 32>& hash) const;

 private:
  std::unordered_map<std::string, std::string> passwords_;
  std::vector<std::pair<std::array<std::uint8_t, 32>, std::string>> userhashes_;  // hash -> static username
  std::string rest_secret_;
};

}  // namespace peerhub::turn
