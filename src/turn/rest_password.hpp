// The REST password of coturn's use-auth-secret (draft-uberti-behave-turn-rest-00 §2.2):
// base64(HMAC-SHA1(secret, username)), 28 characters. The core checks REST usernames with it, and
// rest_credential() (rest_credential.cpp) may mint them with it, so both always agree.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace peerhub::turn {

using RestPassword = std::array<char, 28>;

// nullopt only when the secret is empty (HMAC refuses an empty key) or the crypto library fails.
std::optional<RestPassword> rest_password(std::string_view secret, std::string_view username);

// The expiry of a REST username "<unix seconds>:<name>": nullopt unless it starts with 1..18 digits and a
// ':'.
std::optional<std::int64_t> rest_expiry(std::string_view username);

}  // namespace peerhub::turn
