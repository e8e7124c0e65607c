// Table-driven CRC-32 for any reflected polynomial, eight bytes per step ("slicing by 8"): STUN's FINGERPRINT
// (CRC-32/ISO-HDLC, RFC 8489 §14.7) and SCTP's checksum where the CPU has no crc32 instruction (CRC32c, RFC
// 9260 Appendix B) share it.
//
// Table k holds, for every byte value, the register after that byte and k zero bytes have passed through it.
// One step then XORs eight lookups, one per input byte, instead of updating the register eight times in a
// row.
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <span>

namespace peerhub {

template <std::uint32_t ReflectedPolynomial>
class ReflectedCrc32 {
 public:
  // The register after `data`. The usual CRC-32s start it at 0xFFFFFFFF and complement the result.
  static std::uint32_t update(std::uint32_t reg, std::span<const std::uint8_t> data) {
    const std::uint8_t* p = data.data();
    std::size_t left = data.size();
    if constexpr (std::endian::native == std::endian::little) {
      for (; left >= 8; left -= 8, p += 8) {
        std::uint32_t low = 0;
        std::uint32_t high = 0;
        std::memcpy(&low, p, 4);
        std::memcpy(&high, p + 4, 4);
        low ^= reg;
        reg = kTables[7][low & 0xFFU] ^ kTables[6][(low >> 8) & 0xFFU] ^ kTables[5][(low >> 16) & 0xFFU] ^
              kTables[4][low >> 24] ^ kTables[3][high & 0xFFU] ^ kTables[2][(high >> 8) & 0xFFU] ^
              kTables[1][(high >> 16) & 0xFFU] ^ kTables[0][high >> 24];
      }
    }
    for (; left > 0; --left, ++p)
      reg = kTables[0][(reg ^ *p) & 0xFFU] ^ (reg >> 8);
    return reg;
  }

 private:
  using Tables = std::array<std::array<std::uint32_t, 256>, 8>;

  static constexpr Tables make_tables() {
    Tables t{};
    for (std::uint32_t byte = 0; byte < 256; ++byte) {
      std::uint32_t reg = byte;
      for (int bit = 0; bit < 8; ++bit)
        reg = (reg & 1U) != 0 ? (reg >> 1) ^ ReflectedPolynomial : reg >> 1;
      t[0][byte] = reg;
    }
    for (std::size_t k = 1; k < t.size(); ++k)
      for (std::size_t byte = 0; byte < 256; ++byte)
        t[k][byte] = (t[k - 1][byte] >> 8) ^ t[0][t[k - 1][byte] & 0xFFU];
    return t;
  }

  static constexpr Tables kTables = make_tables();
};

}  // namespace peerhub
