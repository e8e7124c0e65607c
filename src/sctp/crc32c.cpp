#include "sctp/crc32c.hpp"

#include <cstring>

#include "common/crc32.hpp"

#if defined(__x86_64__)
#include <nmmintrin.h>
#endif

namespace peerhub::sctp {
namespace {

// CRC32c: the reflected form of the Castagnoli polynomial 0x1EDC6F41.
using CastagnoliCrc = ReflectedCrc32<0x82F63B78U>;

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
  return ~CastagnoliCrc::update(0xFFFFFFFFU, data);
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
