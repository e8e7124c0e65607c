// Checking MESSAGE-INTEGRITY, MESSAGE-INTEGRITY-SHA256 (RFC 8489 §14.5, §14.6) and FINGERPRINT (§14.7) on a
// parsed message. Writing them is the Builder's job (builder.hpp); keys come from credentials.hpp.
//
// Each check covers the message up to the attribute, with the header's length field set as the sender had it
// when it appended that attribute: pointing at the end of MESSAGE-INTEGRITY(-SHA256), or of FINGERPRINT. So a
// FINGERPRINT after the integrity attribute does not disturb the integrity check. MACs are compared in
// constant time. The result is Error::none when the attribute is there and matches.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "stun/message.hpp"
#include "stun/types.hpp"

namespace peerhub::stun {

// HMAC-SHA1 with `key`: Error::no_integrity, integrity_mismatch, bad_credentials (empty key) or none.
Error verify_message_integrity(const Message& message, std::span<const std::uint8_t> key);

// HMAC-SHA256 with `key`. A value shorter than 32 bytes is a truncated MAC (§14.6); it is accepted only down
// to `min_length` bytes (32 unless the STUN usage allows truncation) and is Error::integrity_too_short below
// that.
Error verify_message_integrity_sha256(const Message& message, std::span<const std::uint8_t> key,
                                      std::size_t min_length = 32);

// CRC-32 of the message before FINGERPRINT, XOR 0x5354554E: Error::no_fingerprint, fingerprint_mismatch or
// none.
Error verify_fingerprint(const Message& message);

inline constexpr std::uint32_t kFingerprintXor = 0x5354554E;

}  // namespace peerhub::stun
