// Masking (RFC 6455 §5.3): octet i of the payload is XORed with octet (i mod 4) of the masking key. The same
// operation masks and unmasks. Internal to the ws module.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace peerhub::ws::detail {

// XORs `n` bytes at `p` with `key`, where `phase` is the payload offset of p[0] (only phase mod 4 matters).
// Works 8 bytes at a time: loading the data and the repeated key with memcpy keeps both in the same native
// byte order, so the XOR is correct on any endianness and never reads unaligned memory directly.
inline void apply_mask(char* p, std::size_t n, const std::uint8_t key[4], std::uint64_t phase) {
  unsigned char pattern[8];
  for (std::size_t j = 0; j < 8; ++j)
    pattern[j] = key[(phase + j) % 4];
  std::uint64_t wide;
  std::memcpy(&wide, pattern, 8);
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t chunk;
    std::memcpy(&chunk, p + i, 8);
    chunk ^= wide;
    std::memcpy(p + i, &chunk, 8);
  }
  // 8 is a multiple of 4, so the tail starts at the same key phase as the first byte.
  for (std::size_t j = 0; i < n; ++i, ++j)
    p[i] = static_cast<char>(p[i] ^ static_cast<char>(pattern[j]));
}

}  // namespace peerhub::ws::detail
