// Stateless nonces (RFC 8489 §9.2, RFC 7616 §5.4's advice): the nonce carries its own expiry and a MAC of
// that expiry and the client's transport address under the SharedState key, so the server stores nothing per
// client and a nonce is good only for the address it was given to.
//
// Layout (45 characters): the nonce cookie "obMatJos2" (§9.2.1) and the security feature set "AAAB" (base64
// of 24 bits with only "password algorithms" set; the bits count from the right, RFC 8489 erratum 6290), then
// base64 of 24 bytes: the expiry (steady-clock seconds, 8 bytes big-endian) and 16 bytes of
// HMAC-SHA256(key, "peerhub-nonce" | expiry | family | port | address).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "stun/address.hpp"
#include "turn/server.hpp"

namespace peerhub::turn {

inline constexpr std::string_view kNonceCookie = "obMatJos2";

class NonceText {
 public:
  static constexpr std::size_t kSize = 45;
  std::string_view view() const { return {chars_.data(), kSize}; }

 private:
  friend NonceText make_nonce(std::span<const std::uint8_t, 32>, const stun::Address&, TimePoint);
  std::array<char, kSize> chars_{};
};

NonceText make_nonce(std::span<const std::uint8_t, 32> key, const stun::Address& client, TimePoint expires);

// True when `nonce` was made by make_nonce() with this key for this client and has not expired at `now`.
bool nonce_valid(std::span<const std::uint8_t, 32> key, const stun::Address& client, std::string_view nonce,
                 TimePoint now);

// §9.2.4: whether a nonce starts with the cookie and sets the "password algorithms" feature bit, which makes
// the server check PASSWORD-ALGORITHMS and PASSWORD-ALGORITHM.
bool nonce_announces_password_algorithms(std::string_view nonce);

}  // namespace peerhub::turn
