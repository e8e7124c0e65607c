// Keys for MESSAGE-INTEGRITY(-SHA256) (RFC 8489 §9) and USERHASH (§14.4).
//
// Limitation, on purpose: OpaqueString (RFC 8265 §4.2, which RFC 8489 uses where RFC 5389 used SASLprep) is
// implemented only as far as peerhub needs it. A string passes through unchanged when it is non-empty, valid
// UTF-8 and free of control characters (U+0000..U+001F, U+007F, U+0080..U+009F); anything else is refused
// with Error::bad_credentials. There is no NFC normalisation, no mapping of non-ASCII spaces to U+0020, and
// no SASLprep mapping: RFC 5769 §2.4's password "The<U+00AD>M<U+00AA>tr<U+2168>" must be given already
// prepared, as "TheMatrIX". ASCII credentials (all that peerhub issues, and what browsers are given) are
// unaffected.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "stun/types.hpp"

namespace peerhub::stun {

// The subset of OpaqueString described above: the input itself, or Error::bad_credentials.
Result<std::string_view> opaque_string(std::string_view s);

// A long-term key: 16 bytes (MD5) or 32 (SHA-256).
struct LongTermKey {
  std::array<std::uint8_t, 32> storage{};
  std::size_t size = 0;
  std::span<const std::uint8_t> bytes() const { return {storage.data(), size}; }
};

// §9.1.1: the short-term key is OpaqueString(password), as bytes. The view points into `password`.
Result<std::span<const std::uint8_t>> short_term_key(std::string_view password);

// §9.2.2 / §18.5.1: key = MD5(username ":" OpaqueString(realm) ":" OpaqueString(password)), or SHA-256 of the
// same for PasswordAlgorithm::sha256. Any other algorithm is Error::bad_value.
Result<LongTermKey> long_term_key(std::string_view username, std::string_view realm,
                                  std::string_view password,
                                  PasswordAlgorithm algorithm = PasswordAlgorithm::md5);

// §14.4: USERHASH = SHA-256(OpaqueString(username) ":" OpaqueString(realm)).
Result<std::array<std::uint8_t, 32>> userhash(std::string_view username, std::string_view realm);

}  // namespace peerhub::stun
