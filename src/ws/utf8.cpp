// Strict UTF-8 validation (RFC 3629 §4), as RFC 6455 §8.1 requires for text messages and close reasons.
#include <cstdint>
#include <cstring>

#include "ws/frame.hpp"

namespace peerhub::ws {

bool valid_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    if (p[i] < 0x80) {
      // Signaling traffic is mostly ASCII JSON: skip it 8 bytes at a time.
      while (i + 8 <= n) {
        std::uint64_t word;
        std::memcpy(&word, p + i, 8);
        if ((word & 0x8080808080808080ULL) != 0) break;
        i += 8;
      }
      while (i < n && p[i] < 0x80)
        ++i;
      continue;
    }
    // RFC 3629 §4: the lead byte fixes the length and the range of the second byte, which is what excludes
    // overlongs (C0, C1, E0 80-9F, F0 80-8F), surrogates (ED A0-BF) and code points above U+10FFFF (F4 90-,
    // F5-FF).
    const unsigned char lead = p[i];
    std::size_t len = 0;
    unsigned char lo = 0x80;
    unsigned char hi = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) {
      len = 2;
    } else if (lead >= 0xe0 && lead <= 0xef) {
      len = 3;
      if (lead == 0xe0) lo = 0xa0;
      if (lead == 0xed) hi = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      len = 4;
      if (lead == 0xf0) lo = 0x90;
      if (lead == 0xf4) hi = 0x8f;
    } else {
      return false;
    }
    if (n - i < len) return false;
    if (p[i + 1] < lo || p[i + 1] > hi) return false;
    for (std::size_t k = 2; k < len; ++k) {
      if ((p[i + k] & 0xc0) != 0x80) return false;
    }
    i += len;
  }
  return true;
}

}  // namespace peerhub::ws
