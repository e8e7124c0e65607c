// A strict UTF-8 decoder loop (RFC 3629 §4's table of well-formed byte sequences).
#include "stun/utf8.hpp"

#include <cstddef>
#include <cstdint>

namespace peerhub::stun::detail {

bool valid_utf8(std::string_view s) {
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    const auto b = static_cast<std::uint8_t>(s[i]);
    if (b < 0x80) {
      ++i;
      continue;
    }
    std::size_t extra = 0;
    std::uint8_t lo = 0x80;  // the range allowed for the second byte
    std::uint8_t hi = 0xBF;
    if (b >= 0xC2 && b <= 0xDF) {
      extra = 1;
    } else if (b >= 0xE0 && b <= 0xEF) {
      extra = 2;
      if (b == 0xE0) lo = 0xA0;  // overlong
      if (b == 0xED) hi = 0x9F;  // surrogates
    } else if (b >= 0xF0 && b <= 0xF4) {
      extra = 3;
      if (b == 0xF0) lo = 0x90;  // overlong
      if (b == 0xF4) hi = 0x8F;  // above U+10FFFF
    } else {
      return false;
    }
    if (n - i <= extra) return false;
    const auto second = static_cast<std::uint8_t>(s[i + 1]);
    if (second < lo || second > hi) return false;
    for (std::size_t k = 2; k <= extra; ++k)
      if ((static_cast<std::uint8_t>(s[i + k]) & 0xC0U) != 0x80U) return false;
    i += extra + 1;
  }
  return true;
}

}  // namespace peerhub::stun::detail
