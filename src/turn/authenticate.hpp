// The long-term credential mechanism on the server side (RFC 8489 §9.2.4), which every TURN request but
// Binding goes through (RFC 8656 §5). A pure function of the request, the time and the configuration: it
// creates nothing, so an unauthenticated request costs the server no state.
#pragma once

#include <array>
#include <optional>
#include <span>
#include <string_view>

#include "stun/attribute_values.hpp"
#include "stun/credentials.hpp"
#include "stun/message.hpp"
#include "turn/server.hpp"
#include "turn/users.hpp"

namespace peerhub::turn {

struct Authenticated {
  KnownUser user;  // its username is a view into the request (or the configuration, for USERHASH)
  stun::LongTermKey key;
  bool sha256_integrity = false;  // the request used MESSAGE-INTEGRITY-SHA256: answer with it too (§9.2.4)
};

enum class AuthError : std::uint8_t {
  challenge,        // 401: no integrity at all — the first request of every client
  bad_request,      // 400: integrity without USERNAME/USERHASH, REALM or NONCE, or bad PASSWORD-ALGORITHM(S)
  unauthenticated,  // 401: unknown (or expired REST) user, or an integrity that does not match
  stale_nonce,      // 438: right credentials, but a nonce that expired or was made for another address
};

struct AuthResult {
  std::optional<Authenticated> ok;
  AuthError error = AuthError::challenge;
};

struct AuthContext {
  const Users& users;
  std::string_view realm;
  std::span<const std::uint8_t, 32> nonce_key;
};

AuthResult authenticate(const stun::Message& request, const stun::Address& client, const Now& now,
                        const AuthContext& context);

// PASSWORD-ALGORITHMS as this server sends it in 401 and 438 answers, in order of preference.
std::span<const stun::PasswordAlgorithmEntry> server_password_algorithms();

}  // namespace peerhub::turn
