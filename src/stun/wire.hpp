// Big-endian reads and writes on byte spans, for the codec's own files (not part of the public API).
// Callers check sizes first; these only assert.
#pragma once

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <span>

namespace peerhub::stun::wire {

inline std::uint16_t u16(std::span<const std::uint8_t> b, std::size_t at) {
  assert(at + 2 <= b.size());
  return static_cast<std::uint16_t>((b[at] << 8) | b[at + 1]);
}

inline std::uint32_t u32(std::span<const std::uint8_t> b, std::size_t at) {
  assert(at + 4 <= b.size());
  return (std::uint32_t{b[at]} << 24) | (std::uint32_t{b[at + 1]} << 16) | (std::uint32_t{b[at + 2]} << 8) |
         std::uint32_t{b[at + 3]};
}

inline std::uint64_t u64(std::span<const std::uint8_t> b, std::size_t at) {
  return (std::uint64_t{u32(b, at)} << 32) | u32(b, at + 4);
}

inline void put_u16(std::span<std::uint8_t> b, std::size_t at, std::uint16_t v) {
  assert(at + 2 <= b.size());
  b[at] = static_cast<std::uint8_t>(v >> 8);
  b[at + 1] = static_cast<std::uint8_t>(v);
}

inline void put_u32(std::span<std::uint8_t> b, std::size_t at, std::uint32_t v) {
  assert(at + 4 <= b.size());
  b[at] = static_cast<std::uint8_t>(v >> 24);
  b[at + 1] = static_cast<std::uint8_t>(v >> 16);
  b[at + 2] = static_cast<std::uint8_t>(v >> 8);
  b[at + 3] = static_cast<std::uint8_t>(v);
}

inline void put_u64(std::span<std::uint8_t> b, std::size_t at, std::uint64_t v) {
  put_u32(b, at, static_cast<std::uint32_t>(v >> 32));
  put_u32(b, at + 4, static_cast<std::uint32_t>(v));
}

// Attribute values are padded to a multiple of 4 bytes (RFC 8489 §14).
constexpr std::size_t padded(std::size_t n) {
  return (n + 3) & ~std::size_t{3};
}

}  // namespace peerhub::stun::wire
