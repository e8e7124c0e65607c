#include "sctp/crc32c.hpp"

#include <array>
#include <cstring>

#if defined(__x86_64__)
#include <nmmintrin.h>
#endif

namespace peerhub::sctp {
namespace {

constexpr std::uint32_t kReflectedPolynomial = 0x82F63B78;

// One table entry per byte value: the register after shifting that byte through it bit by bit.
constexpr std::array<std::uint32_t, 256> make_table() {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t byte = 0; byte < 256; ++byte) {
    std::uint32_t reg = byte;
    for (int bit = 0; bit < 8; ++bit)
      reg = (reg & 1U) != 0 ? (reg >> 1) ^ kReflectedPolynomial : reg >> 1;
    table[byte] = reg;
  }
  return table;
}
constexpr auto kTable = make_table();

std::uint32_t update_table(std::uint32_t reg, std::span<const std::uint8_t> data) {
  for (const std::uint8_t b : data)
    reg = kTable[(reg ^ b) & 0xFFU] ^ (reg >> 8);
  return reg;
}

#if defined(__x86_64__)
// The crc32 instruction implements exactly this reflected Castagnoli register update, eight bytes at a time.
__attribute__((target("sse4.2"))) std::uint32_t update_sse42(std::uint32_t reg,
                                                             std::span<const std::uint8_t> data) {
  std::size_t i = 0;
  std::uint64_t wide = reg;
  for (; i + 8 <= data.size(); i += 8) {
    std::uint64_t word = 0;
    std::memcpy(&word, data.data() + i, 8);
    wide = _mm_crc32_u64(wide, word);
  }
  reg = static_cast<std::uint32_t>(wide);
  for (; i < data.size(); ++i)
    reg = _mm_crc32_u8(reg, data[i]);
  return reg;
}

bool have_sse42() {
  static const bool have = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("sse4.2") != 0;
  }();
  return have;
}
#endif

}  // namespace

std::uint32_t crc32c(std::span<const std::uint8_t> data) {
#if defined(__x86_64__)
  if (have_sse42()) return ~update_sse42(0xFFFFFFFFU, data);
#endif
  return crc32c_portable(data);
}

std::uint32_t crc32c_portable(std::span<const std::uint8_t> data) {
  return ~update_table(0xFFFFFFFFU, data);
}

void stamp_checksum(std::span<std::uint8_t> packet) {
  if (packet.size() < 12) return;
  std::memset(packet.data() + 8, 0, 4);
  // RFC 9260 Appendix B: the register's low byte goes first on the wire.
  const std::uint32_t crc = crc32c(packet);
  for (int i = 0; i < 4; ++i)
    packet[8 + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(crc >> (8 * i));
}

}  // namespace peerhub::sctp
