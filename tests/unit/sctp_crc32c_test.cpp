// The SCTP checksum: known values (RFC 3720 Appendix B.4, the classic check string), the hardware and table
// paths against each other and against usrsctp's own implementation, and the byte order in the header.
#include <gtest/gtest.h>
#include <usrsctp.h>

#include <cstring>
#include <random>
#include <string_view>
#include <vector>

#include "sctp/crc32c.hpp"

namespace peerhub::sctp {
namespace {

std::span<const std::uint8_t> bytes_of(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

TEST(Crc32c, KnownValues) {
  EXPECT_EQ(crc32c(bytes_of("123456789")), 0xE3069283U);
  EXPECT_EQ(crc32c_portable(bytes_of("123456789")), 0xE3069283U);
  const std::vector<std::uint8_t> zeros(32, 0x00);
  const std::vector<std::uint8_t> ones(32, 0xFF);
  std::vector<std::uint8_t> up(32);
  for (std::size_t i = 0; i < up.size(); ++i)
    up[i] = static_cast<std::uint8_t>(i);
  EXPECT_EQ(crc32c(zeros), 0x8A9136AAU);
  EXPECT_EQ(crc32c(ones), 0x62A8AB43U);
  EXPECT_EQ(crc32c(up), 0x46DD794EU);
  EXPECT_EQ(crc32c({}), 0x00000000U);
}

TEST(Crc32c, EveryLengthAndAlignmentMatchesTheTableAndUsrsctp) {
  std::mt19937 random(7);
  std::vector<std::uint8_t> buffer(1300 + 8);
  for (auto& b : buffer)
    b = static_cast<std::uint8_t>(random());
  for (std::size_t offset = 0; offset < 8; ++offset) {
    for (std::size_t length = 0; length <= 1300; length += (length < 40 ? 1 : 37)) {
      const std::span<const std::uint8_t> data(buffer.data() + offset, length);
      ASSERT_EQ(crc32c(data), crc32c_portable(data)) << "offset " << offset << " length " << length;
    }
  }
  // usrsctp's value comes in the byte order of the header field: stamp_checksum must write the same bytes.
  for (std::size_t length : {12UL, 13UL, 100UL, 1188UL}) {
    std::vector<std::uint8_t> packet(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(length));
    std::memset(packet.data() + 8, 0, 4);
    const std::uint32_t theirs = usrsctp_crc32c(packet.data(), packet.size());
    stamp_checksum(packet);
    std::uint32_t ours = 0;
    std::memcpy(&ours, packet.data() + 8, 4);
    EXPECT_EQ(ours, theirs) << "length " << length;
  }
}

TEST(Crc32c, ShortPacketIsLeftAlone) {
  std::vector<std::uint8_t> packet(11, 0xAB);
  stamp_checksum(packet);
  EXPECT_EQ(packet, std::vector<std::uint8_t>(11, 0xAB));
}

}  // namespace
}  // namespace peerhub::sctp
