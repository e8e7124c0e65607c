// The hash functions STUN needs, behind one small interface: HMAC-SHA1 and HMAC-SHA256 (OpenSSL) for the
// integrity attributes, CRC-32 (here) for FINGERPRINT, MD5 and SHA-256 (OpenSSL) for long-term keys.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <span>

#include "stun/types.hpp"

namespace peerhub::stun {

using Sha1Mac = std::array<std::uint8_t, 20>;
using Sha256Mac = std::array<std::uint8_t, 32>;

// HMAC over the concatenation of `pieces`. An empty key is refused (Error::bad_credentials): no STUN
// credential is empty, and OpenSSL reads a null key as "keep the previous one".
Result<Sha1Mac> hmac_sha1(std::span<const std::uint8_t> key,
                          std::initializer_list<std::span<const std::uint8_t>> pieces);
Result<Sha256Mac> hmac_sha256(std::span<const std::uint8_t> key,
                              std::initializer_list<std::span<const std::uint8_t>> pieces);

// Plain digests over the concatenation of `pieces`.
Result<std::array<std::uint8_t, 16>> md5(std::initializer_list<std::span<const std::uint8_t>> pieces);
Result<std::array<std::uint8_t, 32>> sha256(std::initializer_list<std::span<const std::uint8_t>> pieces);

// CRC-32 as ISO-HDLC / IEEE 802.3 / zlib define it (reflected 0x04C11DB7, all ones in and out), chainable:
// crc32(b, crc32(a)) == crc32(a + b).
std::uint32_t crc32(std::span<const std::uint8_t> data, std::uint32_t crc = 0);

// Constant-time equality of two byte strings of the same length (CRYPTO_memcmp).
bool equal_constant_time(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b);

}  // namespace peerhub::stun
