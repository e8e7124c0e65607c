#include "peer/demux.hpp"

#include <gtest/gtest.h>

#include <array>
#include <vector>

namespace peerhub::peer {
namespace {

PacketKind kind_of(std::vector<std::uint8_t> bytes) {
  return classify(bytes);
}

TEST(PeerDemux, RealPacketsGoWhereRfc7983Says) {
  // A Binding request (type 0x0001, length 0, magic cookie).
  EXPECT_EQ(kind_of({0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xA4, 0x42}), PacketKind::stun);
  // A DTLS 1.2 handshake record (content type 22, version 0xFEFD).
  EXPECT_EQ(kind_of({22, 0xFE, 0xFD, 0, 0}), PacketKind::dtls);
  // DTLS application data (23) and alert (21).
  EXPECT_EQ(kind_of({23, 0xFE, 0xFD}), PacketKind::dtls);
  EXPECT_EQ(kind_of({21, 0xFE, 0xFD}), PacketKind::dtls);
  // ChannelData on channel 0x4001.
  EXPECT_EQ(kind_of({0x40, 0x01, 0x00, 0x04}), PacketKind::turn_channel);
  // RTP version 2, payload type 111 (Opus); RTCP receiver report (201).
  EXPECT_EQ(kind_of({0x80, 111, 0x00, 0x01}), PacketKind::rtp);
  EXPECT_FALSE(is_rtcp(std::vector<std::uint8_t>{0x80, 111}));
  EXPECT_TRUE(is_rtcp(std::vector<std::uint8_t>{0x81, 201}));
  EXPECT_TRUE(is_rtcp(std::vector<std::uint8_t>{0x8F, 206}));  // payload-specific feedback (PLI)
}

TEST(PeerDemux, EverythingOutsideTheTableIsUnknown) {
  EXPECT_EQ(kind_of({}), PacketKind::unknown);
  int unknown = 0;
  for (int b = 0; b < 256; ++b) {
    if (kind_of({static_cast<std::uint8_t>(b)}) == PacketKind::unknown) ++unknown;
  }
  // 4..15, 80..127 and 192..255.
  EXPECT_EQ(unknown, 12 + 48 + 64);
}

}  // namespace
}  // namespace peerhub::peer
