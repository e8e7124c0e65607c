// The DCEP codec (RFC 8832 §5) against exact bytes, and every way a length can lie.
#include <gtest/gtest.h>

#include "sctp/dcep.hpp"
#include "sctp/ppid.hpp"

namespace peerhub::sctp::dcep {
namespace {

using Bytes = std::vector<std::uint8_t>;

TEST(SctpDcep, WritesOpenByteForByte) {
  Open open;
  open.channel_type = ChannelType::partial_reliable_rexmit_unordered;
  open.priority = kPriorityHigh;
  open.reliability_parameter = 3;
  open.label = "chat";
  open.protocol = "x";
  auto bytes = write(open);
  ASSERT_TRUE(bytes.ok()) << bytes.error();
  const Bytes expected = {0x03, 0x81, 0x02, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00,
                          0x04, 0x00, 0x01, 'c',  'h',  'a',  't',  'x'};
  EXPECT_EQ(*bytes, expected);
}

TEST(SctpDcep, ParsesOpenAsAViewOverTheBuffer) {
  const Bytes bytes = {0x03, 0x02, 0x01, 0x00, 0x00, 0x00, 0x01, 0xF4,
                       0x00, 0x04, 0x00, 0x00, 'f',  'i',  'l',  'e'};
  auto message = parse(bytes);
  ASSERT_TRUE(message.ok()) << message.error();
  const auto& open = std::get<Open>(*message);
  EXPECT_EQ(open.channel_type, ChannelType::partial_reliable_timed);
  EXPECT_EQ(open.priority, kPriorityNormal);
  EXPECT_EQ(open.reliability_parameter, 500u);
  EXPECT_EQ(open.label, "file");
  EXPECT_EQ(open.protocol, "");
  EXPECT_EQ(static_cast<const void*>(open.label.data()), static_cast<const void*>(bytes.data() + 12));
  const auto r = reliability(open.channel_type, open.reliability_parameter);
  EXPECT_TRUE(r.ordered);
  EXPECT_EQ(r.max_lifetime_ms, 500u);
  EXPECT_FALSE(r.max_retransmits);
}

TEST(SctpDcep, AckIsOneByte) {
  EXPECT_EQ(write_ack(), Bytes{0x02});
  const Bytes ack = {0x02};
  auto message = parse(ack);
  ASSERT_TRUE(message.ok());
  EXPECT_TRUE(std::holds_alternative<Ack>(*message));
  const Bytes long_ack = {0x02, 0x00};
  EXPECT_EQ(parse(long_ack).error(), "DCEP: DATA_CHANNEL_ACK is 1 byte, got 2");
}

TEST(SctpDcep, RoundTripsEveryChannelType) {
  for (auto type : {ChannelType::reliable, ChannelType::reliable_unordered,
                    ChannelType::partial_reliable_rexmit, ChannelType::partial_reliable_rexmit_unordered,
                    ChannelType::partial_reliable_timed, ChannelType::partial_reliable_timed_unordered}) {
    Open open;
    open.channel_type = type;
    open.reliability_parameter = 7;
    open.label = "l";
    open.protocol = "p";
    auto bytes = write(open);
    ASSERT_TRUE(bytes.ok());
    auto back = parse(*bytes);
    ASSERT_TRUE(back.ok()) << back.error();
    EXPECT_EQ(std::get<Open>(*back).channel_type, type);
    EXPECT_EQ(channel_type(reliability(type, 7)), type);
  }
}

TEST(SctpDcep, LengthsAreNeverTrusted) {
  // Label length 300 in a 16-byte message.
  const Bytes long_label = {0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
                            0x01, 0x2C, 0x00, 0x00, 'a',  'b',  'c',  'd'};
  EXPECT_EQ(parse(long_label).error(),
            "DCEP: label length 300 and protocol length 0 need 312 bytes, the message has 16");
  // Protocol length says 0 but two bytes follow.
  const Bytes trailing = {0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
                          0x00, 0x01, 0x00, 0x00, 'a',  'b',  'c'};
  EXPECT_EQ(parse(trailing).error(),
            "DCEP: label length 1 and protocol length 0 need 13 bytes, the message has 15");
  // Both lengths at their maximum: the sum must not wrap.
  const Bytes huge = {0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF};
  EXPECT_EQ(parse(huge).error(),
            "DCEP: label length 65535 and protocol length 65535 need 131082 bytes, the message has 12");
  const Bytes short_header = {0x03, 0x00, 0x01};
  EXPECT_EQ(parse(short_header).error(), "DCEP: DATA_CHANNEL_OPEN needs at least 12 bytes, got 3");
}

TEST(SctpDcep, UnknownTypesAreNamed) {
  const Bytes type = {0x07};
  EXPECT_EQ(parse(type).error(), "DCEP: unknown message type 0x07");
  const Bytes channel_type = {0x03, 0x03, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
  EXPECT_EQ(parse(channel_type).error(), "DCEP: unknown channel type 0x03");
  EXPECT_EQ(parse(std::span<const std::uint8_t>{}).error(), "DCEP: empty message");
}

TEST(SctpDcep, WriteRefusesLabelsThatDoNotFitTheLengthField) {
  const std::string label(70000, 'x');
  Open open;
  open.label = label;
  EXPECT_EQ(write(open).error(), "DCEP: label of 70000 bytes is over 65535");
}

TEST(SctpPpid, UserPayloadsAndTheDeprecatedOnes) {
  EXPECT_EQ(user_ppid(false, false), Ppid::string);
  EXPECT_EQ(user_ppid(true, false), Ppid::binary);
  EXPECT_EQ(user_ppid(false, true), Ppid::string_empty);
  EXPECT_EQ(user_ppid(true, true), Ppid::binary_empty);
  auto binary_empty = classify_user_ppid(57, nullptr);
  ASSERT_TRUE(binary_empty);
  EXPECT_TRUE(binary_empty->binary);
  EXPECT_TRUE(binary_empty->empty);
  std::string why;
  EXPECT_FALSE(classify_user_ppid(54, &why));
  EXPECT_EQ(why, "PPID 54 (deprecated partial message, RFC 8831 §8) is not supported");
  EXPECT_FALSE(classify_user_ppid(99, &why));
  EXPECT_EQ(why, "unknown PPID 99");
}

}  // namespace
}  // namespace peerhub::sctp::dcep
