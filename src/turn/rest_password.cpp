#include "turn/rest_password.hpp"

#include "stun/crypto.hpp"
#include "turn/base64.hpp"

namespace peerhub::turn {

std::optional<RestPassword> rest_password(std::string_view secret, std::string_view username) {
  const auto mac =
      stun::hmac_sha1({reinterpret_cast<const std::uint8_t*>(secret.data()), secret.size()},
                      {{reinterpret_cast<const std::uint8_t*>(username.data()), username.size()}});
  if (!mac) return std::nullopt;
  static_assert(base64_size(20) == std::tuple_size_v<RestPassword>);
  RestPassword out{};
  encode_base64(*mac, out.data());
  return out;
}

std::optional<std::int64_t> rest_expiry(std::string_view username) {
  const std::size_t colon = username.find(':');
  if (colon == 0 || colon == std::string_view::npos || colon > 18) return std::nullopt;
  std::int64_t value = 0;
  for (std::size_t i = 0; i < colon; ++i) {
    const char c = username[i];
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace peerhub::turn
