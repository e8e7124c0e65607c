// The slicing-by-8 CRC-32 (common/crc32.hpp): the check values of both CRCs peerhub uses, and the tables
// against the definition (the register shifted a bit at a time) for every length and alignment around a step.
#include <gtest/gtest.h>

#include <random>
#include <string_view>
#include <vector>

#include "common/crc32.hpp"

namespace peerhub {
namespace {

using IsoHdlc = ReflectedCrc32<0xEDB88320U>;     // STUN FINGERPRINT
using Castagnoli = ReflectedCrc32<0x82F63B78U>;  // SCTP

std::span<const std::uint8_t> bytes_of(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

TEST(Crc32, CheckValuesOfBothPolynomials) {
  // The catalogue's check value: the CRC of "123456789".
  EXPECT_EQ(~IsoHdlc::update(0xFFFFFFFFU, bytes_of("123456789")), 0xCBF43926U);
  EXPECT_EQ(~Castagnoli::update(0xFFFFFFFFU, bytes_of("123456789")), 0xE3069283U);
  EXPECT_EQ(~IsoHdlc::update(0xFFFFFFFFU, {}), 0x00000000U);
  // Longer than one step: 32 bytes of zeros (RFC 3720 B.4 for CRC32c; zlib's value for CRC-32).
  const std::vector<std::uint8_t> zeros(32, 0x00);
  EXPECT_EQ(~Castagnoli::update(0xFFFFFFFFU, zeros), 0x8A9136AAU);
  EXPECT_EQ(~IsoHdlc::update(0xFFFFFFFFU, zeros), 0x190A55ADU);
}

// The definition, without tables: each input bit shifted through the reflected register.
std::uint32_t bitwise(std::uint32_t polynomial, std::uint32_t reg, std::span<const std::uint8_t> data) {
  for (const std::uint8_t b : data) {
    reg ^= b;
    for (int bit = 0; bit < 8; ++bit)
      reg = (reg & 1U) != 0 ? (reg >> 1) ^ polynomial : reg >> 1;
  }
  return reg;
}

template <class Crc>
void expect_steps_match_bits(std::uint32_t polynomial) {
  std::mt19937 rng(7);
  std::vector<std::uint8_t> buffer(140);
  for (auto& b : buffer)
    b = static_cast<std::uint8_t>(rng());
  for (std::size_t offset = 0; offset < 8; ++offset) {
    for (std::size_t length = 0; length + offset <= buffer.size(); ++length) {
      const auto data = std::span<const std::uint8_t>(buffer).subspan(offset, length);
      const std::uint32_t start = static_cast<std::uint32_t>(rng());
      ASSERT_EQ(Crc::update(start, data), bitwise(polynomial, start, data))
          << "offset " << offset << " length " << length;
    }
  }
}

TEST(Crc32, EightByteStepsEqualTheBitwiseDefinitionAtEveryLengthAndAlignment) {
  expect_steps_match_bits<IsoHdlc>(0xEDB88320U);
  expect_steps_match_bits<Castagnoli>(0x82F63B78U);
}

TEST(Crc32, ChainsAcrossPieces) {
  const auto whole = bytes_of("the quick brown fox jumps over the lazy dog, twice over");
  for (std::size_t cut = 0; cut <= whole.size(); ++cut) {
    const std::uint32_t reg = IsoHdlc::update(0xFFFFFFFFU, whole.first(cut));
    ASSERT_EQ(IsoHdlc::update(reg, whole.subspan(cut)), IsoHdlc::update(0xFFFFFFFFU, whole)) << "cut " << cut;
  }
}

}  // namespace
}  // namespace peerhub
