#include "ice/random.hpp"

#include <openssl/rand.h>

#include <array>
#include <cstdlib>
#include <string_view>

namespace peerhub::ice {

void default_random_fill(std::span<std::uint8_t> out) {
  if (out.empty()) return;
  if (RAND_bytes(out.data(), static_cast<int>(out.size())) != 1) std::abort();
}

std::string random_ice_chars(const RandomFill& fill, std::size_t length) {
  static constexpr std::string_view kChars =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::array<std::uint8_t, 64> bytes{};
  while (out.size() < length) {
    fill(bytes);
    // 64 characters: the low 6 bits of a byte pick one without bias.
    for (std::size_t i = 0; i < bytes.size() && out.size() < length; ++i)
      out += kChars[bytes[i] & 0x3F];
  }
  return out;
}

std::uint64_t random_u64(const RandomFill& fill) {
  std::array<std::uint8_t, 8> b{};
  fill(b);
  std::uint64_t v = 0;
  for (const std::uint8_t x : b)
    v = (v << 8) | x;
  return v;
}

}  // namespace peerhub::ice
