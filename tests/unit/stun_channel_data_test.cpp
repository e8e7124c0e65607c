// ChannelData (RFC 8656 §12.4, §12.5) over UDP and over streams, and the stream framer that cuts TCP/TLS
// bytes into STUN and ChannelData messages.
#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "stun/channel_data.hpp"
#include "stun/framing.hpp"
#include "stun/message.hpp"
#include "stun_vectors.hpp"

namespace peerhub::stun {
namespace {

using Wire = std::vector<std::uint8_t>;

Error parse_error(const Wire& w, Transport t) {
  const auto c = ChannelData::parse(w, t);
  return c.ok() ? Error::none : c.error();
}

TEST(StunChannelData, ParseUdp) {
  const Wire w = {0x40, 0x01, 0x00, 0x03, 'a', 'b', 'c'};
  const auto c = ChannelData::parse(w, Transport::udp);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->channel(), 0x4001);
  EXPECT_EQ(Wire(c->data().begin(), c->data().end()), (Wire{'a', 'b', 'c'}));
  // Over UDP the padding may be there or not (§12.5).
  EXPECT_EQ(parse_error({0x40, 0x01, 0x00, 0x03, 'a', 'b', 'c', 0}, Transport::udp), Error::none);
  EXPECT_EQ(parse_error({0x4F, 0xFF, 0x00, 0x00}, Transport::udp), Error::none);
}

TEST(StunChannelData, Malformed) {
  EXPECT_EQ(parse_error({}, Transport::udp), Error::channel_data_truncated);
  EXPECT_EQ(parse_error({0x40, 0x00, 0x00}, Transport::udp), Error::channel_data_truncated);
  EXPECT_EQ(parse_error({0x40, 0x00, 0x00, 0x05, 1, 2, 3, 4}, Transport::udp), Error::channel_data_truncated);
  EXPECT_EQ(parse_error({0x40, 0x00, 0xFF, 0xFF}, Transport::udp), Error::channel_data_truncated);
  // More than the data and its padding.
  EXPECT_EQ(parse_error({0x40, 0x00, 0x00, 0x01, 1, 0, 0, 0, 0}, Transport::udp),
            Error::channel_data_padding);
  // Channel numbers: 0x4000..0x4FFF only; 0x5000..0x7FFF were RFC 5766's and are reserved now.
  for (const int first : {0x00, 0x3F, 0x50, 0x7F, 0x80, 0xFF})
    EXPECT_EQ(parse_error({static_cast<std::uint8_t>(first), 0x00, 0x00, 0x00}, Transport::udp),
              Error::bad_channel_number)
        << first;
}

TEST(StunChannelData, StreamsArePaddedToFour) {
  EXPECT_EQ(parse_error({0x40, 0x00, 0x00, 0x03, 1, 2, 3, 0}, Transport::stream), Error::none);
  EXPECT_EQ(parse_error({0x40, 0x00, 0x00, 0x03, 1, 2, 3}, Transport::stream), Error::channel_data_padding);
  EXPECT_EQ(parse_error({0x40, 0x00, 0x00, 0x04, 1, 2, 3, 4}, Transport::stream), Error::none);
  EXPECT_EQ(parse_error({0x40, 0x00, 0x00, 0x04, 1, 2, 3, 4, 0, 0, 0, 0}, Transport::stream),
            Error::channel_data_padding);
}

TEST(StunChannelData, Write) {
  const Wire data = {1, 2, 3, 4, 5};
  std::array<std::uint8_t, 16> out{};
  out.fill(0xEE);
  const auto udp = write_channel_data(out, 0x4ABC, data, Transport::udp);
  ASSERT_TRUE(udp.ok());
  EXPECT_EQ(*udp, 9U);
  EXPECT_EQ(Wire(out.begin(), out.begin() + 9), (Wire{0x4A, 0xBC, 0x00, 0x05, 1, 2, 3, 4, 5}));
  const auto tcp = write_channel_data(out, 0x4ABC, data, Transport::stream);
  ASSERT_TRUE(tcp.ok());
  EXPECT_EQ(*tcp, 12U);
  EXPECT_EQ(Wire(out.begin(), out.begin() + 12), (Wire{0x4A, 0xBC, 0x00, 0x05, 1, 2, 3, 4, 5, 0, 0, 0}));
  EXPECT_TRUE(ChannelData::parse({out.data(), *tcp}, Transport::stream).ok());

  EXPECT_EQ(write_channel_data(out, 0x3FFF, data, Transport::udp).error(), Error::bad_channel_number);
  EXPECT_EQ(write_channel_data(std::span(out).first(8), 0x4000, data, Transport::udp).error(),
            Error::buffer_too_small);
  EXPECT_EQ(write_channel_data(std::span(out).first(11), 0x4000, data, Transport::stream).error(),
            Error::buffer_too_small);
  EXPECT_EQ(channel_data_size(5, Transport::udp), 9U);
  EXPECT_EQ(channel_data_size(5, Transport::stream), 12U);
}

// The relay's fast path: data lands at buffer+4, the header is written in front.
TEST(StunChannelData, FrameInPlace) {
  Wire buffer(4 + 1200 + 3, 0xEE);
  for (std::size_t i = 0; i < 1199; ++i)
    buffer[4 + i] = static_cast<std::uint8_t>(i);
  const auto n = frame_channel_data_in_place(buffer, 0x4001, 1199, Transport::stream);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 4U + 1200);
  const auto c = ChannelData::parse({buffer.data(), *n}, Transport::stream);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->data().size(), 1199U);
  EXPECT_EQ(c->data()[1198], static_cast<std::uint8_t>(1198));
  EXPECT_EQ(buffer[4 + 1199], 0);  // padding zeroed
  EXPECT_EQ(frame_channel_data_in_place(buffer, 0x4001, 0x10000, Transport::udp).error(),
            Error::value_too_long);
}

TEST(StunChannelData, Demultiplexing) {
  EXPECT_TRUE(looks_like_channel_data(Wire{0x40, 0, 0, 0}));
  EXPECT_TRUE(looks_like_channel_data(Wire{0x4F, 0xFF, 0, 0}));
  EXPECT_FALSE(looks_like_channel_data(Wire{0x50, 0, 0, 0}));
  EXPECT_FALSE(looks_like_channel_data(Wire{0x40, 0, 0}));
  EXPECT_FALSE(looks_like_channel_data(test::kSampleRequest));
}

// A TCP stream with a STUN request, ChannelData with padding, and ChannelData without, fed byte by byte.
TEST(StunFraming, CutsAStream) {
  Wire stream = test::kSampleRequest;
  const Wire cd1 = {0x40, 0x02, 0x00, 0x02, 'h', 'i', 0, 0};
  const Wire cd2 = {0x40, 0x03, 0x00, 0x04, 1, 2, 3, 4};
  stream.insert(stream.end(), cd1.begin(), cd1.end());
  stream.insert(stream.end(), cd2.begin(), cd2.end());
  stream.insert(stream.end(), test::kSampleLongTermRequest.begin(), test::kSampleLongTermRequest.end());

  std::vector<FrameKind> kinds;
  Wire buffered;
  for (const std::uint8_t byte : stream) {
    buffered.push_back(byte);
    for (;;) {
      const Frame f = next_frame(buffered);
      ASSERT_NE(f.kind, FrameKind::invalid) << to_string(f.error);
      if (buffered.size() < f.size) break;
      const std::span<const std::uint8_t> frame(buffered.data(), f.size);
      const bool parsed = f.kind == FrameKind::stun ? Message::parse(frame).ok()
                                                    : ChannelData::parse(frame, Transport::stream).ok();
      EXPECT_TRUE(parsed);
      kinds.push_back(f.kind);
      buffered.erase(buffered.begin(), buffered.begin() + static_cast<std::ptrdiff_t>(f.size));
    }
  }
  EXPECT_TRUE(buffered.empty());
  EXPECT_EQ(kinds, (std::vector<FrameKind>{FrameKind::stun, FrameKind::channel_data, FrameKind::channel_data,
                                           FrameKind::stun}));
}

TEST(StunFraming, SizesAndRefusals) {
  EXPECT_EQ(next_frame(Wire{0x00, 0x01}).kind, FrameKind::unknown);
  EXPECT_EQ(next_frame(Wire{0x00, 0x01}).size, 4U);
  EXPECT_EQ(next_frame(Wire{0x00, 0x01, 0x00, 0x58}).size, 108U);  // the cookie is not in yet
  EXPECT_EQ(next_frame(Wire{0x40, 0x00, 0x00, 0x05}).size, 12U);
  EXPECT_EQ(next_frame(Wire{0x4F, 0xFF, 0xFF, 0xFF}).size, 4U + 0x10000);
  EXPECT_LE(next_frame(Wire{0x4F, 0xFF, 0xFF, 0xFF}).size, kMaxFrameSize);
  EXPECT_EQ(next_frame(Wire{0x00, 0x01, 0xFF, 0xFC}).size, 20U + 0xFFFC);
  EXPECT_EQ(next_frame(Wire{0x00, 0x01, 0xFF, 0xFC}).size, kMaxFrameSize);  // found by fuzz_stun

  EXPECT_EQ(next_frame(Wire{0x00, 0x01, 0x00, 0x03}).error, Error::length_not_multiple_of_4);
  EXPECT_EQ(next_frame(Wire{0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xA4, 0x43}).error, Error::bad_magic_cookie);
  EXPECT_EQ(next_frame(Wire{0x50, 0x00, 0x00, 0x00}).error, Error::bad_channel_number);
  EXPECT_EQ(next_frame(Wire{'P', 'O', 'S', 'T'}).kind, FrameKind::invalid);
  // 'G' is 0x47, a channel number's first byte: "GET " frames as ChannelData of 0x5420 bytes on channel
  // 0x4745, which the TURN server then drops for want of a binding.
  EXPECT_EQ(next_frame(Wire{'G', 'E', 'T', ' '}).kind, FrameKind::channel_data);
  EXPECT_EQ(next_frame(Wire{0x16, 0x03, 0x01, 0x00}).kind,
            FrameKind::stun);  // a TLS record: the cookie tells
  EXPECT_EQ(next_frame(Wire{0x16, 0x03, 0x01, 0x00, 0x10, 0x01, 0x00, 0x00}).kind, FrameKind::invalid);
  EXPECT_EQ(next_frame(Wire{0x80, 0x00, 0x00, 0x00}).error, Error::not_stun);
}

}  // namespace
}  // namespace peerhub::stun
