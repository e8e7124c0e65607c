// Login tokens: JSON Web Tokens (RFC 7519) signed with HMAC-SHA256 ("HS256", RFC 7518 §3.2), nothing else.
// The claims are "sub" (the login name), "iat", "exp" and optionally "nbf" (all NumericDate seconds).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace peerhub::signaling {

// A token for `name`, valid from unix_now for ttl_s seconds. Used by `peerhub token NAME`.
std::string mint_token(std::string_view secret, std::string_view name, std::int64_t unix_now,
                       std::int64_t ttl_s);

enum class TokenError {
  kNone,
  kMalformed,     // not three base64url parts, or a part is not the JSON it must be
  kBadAlgorithm,  // "alg" is not "HS256" (this includes "none": RFC 8725 §3.1)
  kBadSignature,
  kExpired,       // "exp" missing or not in the future
  kNotYetValid,   // "nbf" in the future
  kWrongSubject,  // "sub" is not the name being logged in
};

// Checks `token` for a login as `name` at unix_now. Never throws; garbage is kMalformed.
TokenError verify_token(std::string_view secret, std::string_view token, std::string_view name,
                        std::int64_t unix_now);

// A short English reason for an error reply ("token expired"); never contains the token or the secret.
std::string_view token_error_text(TokenError error);

}  // namespace peerhub::signaling
