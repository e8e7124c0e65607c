// Every attribute of RFC 8489, RFC 8656 and ICE: written by the Builder, read back by the same type, and each
// malformed value refused with its own error.
#include <gtest/gtest.h>

#include <vector>

#include "stun/attributes.hpp"
#include "stun/builder.hpp"
#include "stun/message.hpp"
#include "stun_wire.hpp"

namespace peerhub::stun {
namespace {

using test::attribute;
using test::message;
using test::Wire;

const TransactionId kId = {0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae};

// Writes one attribute with the Builder, parses the message and reads the attribute back.
template <class A>
typename A::View round_trip(const typename A::Value& value, std::vector<std::uint8_t>& storage) {
  Builder b(storage, Method::allocate, Class::request, kId);
  b.add<A>(value);
  EXPECT_TRUE(b.ok()) << to_string(b.error());
  const auto m = Message::parse(storage);
  EXPECT_TRUE(m.ok());
  EXPECT_EQ(m->find(A::type)->value.size(), *A::size(value));
  const auto back = m->get<A>();
  EXPECT_TRUE(back.ok()) << to_string(back.error());
  return *back;
}

template <class A>
void expect_round_trip(const typename A::Value& value) {
  std::vector<std::uint8_t> storage;
  EXPECT_EQ(round_trip<A>(value, storage), value) << attribute_name(static_cast<std::uint16_t>(A::type));
}

// The error reading a hand-made value of A's type gives.
template <class A>
Error decode_error(Wire value) {
  const Wire w = message(0x0003, {attribute(static_cast<std::uint16_t>(A::type), std::move(value))});
  const auto m = Message::parse(w);
  EXPECT_TRUE(m.ok());
  const auto v = m->get<A>();
  return v.ok() ? Error::none : v.error();
}

// The error writing `value` gives.
template <class A>
Error encode_error(const typename A::Value& value) {
  std::vector<std::uint8_t> out;
  Builder b(out, Method::allocate, Class::request, kId);
  b.add<A>(value);
  return b.error();
}

const Address kV4 = *Address::parse("192.0.2.1:32853");
const Address kV6 = *Address::parse("[2001:db8:1234:5678:11:2233:4455:6677]:32853");

TEST(StunAttributes, Addresses) {
  for (const Address& a : {kV4, kV6, *Address::parse("0.0.0.0:0"), *Address::parse("[::]:65535")}) {
    expect_round_trip<attr::MappedAddress>(a);
    expect_round_trip<attr::XorMappedAddress>(a);
    expect_round_trip<attr::AlternateServer>(a);
    expect_round_trip<attr::XorPeerAddress>(a);
    expect_round_trip<attr::XorRelayedAddress>(a);
  }
}

TEST(StunAttributes, XorAddressesAreXored) {
  std::vector<std::uint8_t> storage;
  round_trip<attr::XorPeerAddress>(kV4, storage);
  const Wire tail(storage.end() - 8, storage.end());
  EXPECT_EQ(tail, (Wire{0x00, 0x01, 0xa1, 0x47, 0xe1, 0x12, 0xa6, 0x43}));  // as RFC 5769 §2.2
  round_trip<attr::MappedAddress>(kV4, storage);
  const Wire plain(storage.end() - 8, storage.end());
  EXPECT_EQ(plain, (Wire{0x00, 0x01, 0x80, 0x55, 192, 0, 2, 1}));
}

TEST(StunAttributes, MalformedAddresses) {
  EXPECT_EQ(decode_error<attr::XorMappedAddress>({0, 3, 0, 1, 1, 2, 3, 4}), Error::bad_address_family);
  EXPECT_EQ(decode_error<attr::XorMappedAddress>({0, 0, 0, 1, 1, 2, 3, 4}), Error::bad_address_family);
  EXPECT_EQ(decode_error<attr::MappedAddress>({0, 1, 0, 1, 1, 2, 3}), Error::bad_attribute_length);
  EXPECT_EQ(decode_error<attr::MappedAddress>(Wire{0, 1, 0, 1, 1, 2, 3, 4, 5, 6, 7, 8}),
            Error::bad_attribute_length);
  EXPECT_EQ(decode_error<attr::XorPeerAddress>({0, 2, 0, 1, 1, 2, 3, 4}),
            Error::bad_attribute_length);  // IPv6 family with 4 address bytes
  EXPECT_EQ(decode_error<attr::XorRelayedAddress>({0, 1}), Error::bad_attribute_length);
  EXPECT_EQ(decode_error<attr::AlternateServer>({}), Error::bad_attribute_length);
  // The reserved first byte is ignored.
  EXPECT_EQ(decode_error<attr::MappedAddress>({0xFF, 1, 0, 1, 1, 2, 3, 4}), Error::none);
  Address bad = kV4;
  bad.family = static_cast<Family>(7);
  EXPECT_EQ(encode_error<attr::XorMappedAddress>(bad), Error::bad_address_family);
}

TEST(StunAttributes, Text) {
  expect_round_trip<attr::Username>("alice");
  expect_round_trip<attr::Username>("1700000000:alice");
  expect_round_trip<attr::Realm>("example.org");
  expect_round_trip<attr::Nonce>("f//499k954d6OL34oL9FSTvy64sA");
  expect_round_trip<attr::Software>("peerhub 0.1 \xe2\x82\xac");
  expect_round_trip<attr::AlternateDomain>("turn.example.org");
  expect_round_trip<attr::Username>("");
  expect_round_trip<attr::Username>(std::string(508, 'u'));
  expect_round_trip<attr::Realm>(std::string(509, 'r'));
}

TEST(StunAttributes, TextLimits) {
  // Sent: USERNAME under 509 bytes, REALM/NONCE/SOFTWARE 509, ALTERNATE-DOMAIN 255 (§14.3, §14.9-§14.16).
  EXPECT_EQ(encode_error<attr::Username>(std::string(509, 'u')), Error::value_too_long);
  EXPECT_EQ(encode_error<attr::Nonce>(std::string(510, 'n')), Error::value_too_long);
  EXPECT_EQ(encode_error<attr::AlternateDomain>(std::string(256, 'd')), Error::value_too_long);
  // Received: up to 763 bytes for compatibility with RFC 5389.
  EXPECT_EQ(decode_error<attr::Username>(Wire(763, 'u')), Error::none);
  EXPECT_EQ(decode_error<attr::Username>(Wire(764, 'u')), Error::value_too_long);
  EXPECT_EQ(decode_error<attr::Software>(Wire(764, 's')), Error::value_too_long);
  EXPECT_EQ(decode_error<attr::AlternateDomain>(Wire(256, 'd')), Error::value_too_long);
}

TEST(StunAttributes, TextMustBeUtf8) {
  EXPECT_EQ(decode_error<attr::Username>({'a', 0xFF}), Error::bad_utf8);
  EXPECT_EQ(decode_error<attr::Realm>({0xC0, 0x80}), Error::bad_utf8);                 // overlong NUL
  EXPECT_EQ(decode_error<attr::Nonce>({0xED, 0xA0, 0x80}), Error::bad_utf8);           // a surrogate
  EXPECT_EQ(decode_error<attr::Software>({0xF4, 0x90, 0x80, 0x80}), Error::bad_utf8);  // above U+10FFFF
  EXPECT_EQ(decode_error<attr::Software>({0xE2, 0x82}), Error::bad_utf8);              // cut short
  EXPECT_EQ(decode_error<attr::AlternateDomain>({'a', 0xC3, 0xA9}), Error::bad_utf8);  // ASCII only
  EXPECT_EQ(decode_error<attr::Username>({0xC3, 0xA9}), Error::none);
  EXPECT_EQ(encode_error<attr::Username>("\xff"), Error::bad_utf8);
}

TEST(StunAttributes, Numbers) {
  expect_round_trip<attr::Lifetime>(600);
  expect_round_trip<attr::Lifetime>(0);  // a Refresh with lifetime 0 deletes the allocation
  expect_round_trip<attr::Priority>(0x6e0001ff);
  expect_round_trip<attr::IceControlled>(0x932ff9b151263b36ULL);
  expect_round_trip<attr::IceControlling>(~0ULL);
  EXPECT_EQ(decode_error<attr::Lifetime>({0, 0, 2}), Error::bad_attribute_length);
  EXPECT_EQ(decode_error<attr::Priority>({0, 0, 0, 0, 0}), Error::bad_attribute_length);
  EXPECT_EQ(decode_error<attr::IceControlling>({1, 2, 3, 4}), Error::bad_attribute_length);
}

TEST(StunAttributes, Flags) {
  expect_round_trip<attr::UseCandidate>({});
  expect_round_trip<attr::DontFragment>({});
  EXPECT_EQ(decode_error<attr::UseCandidate>({0}), Error::bad_attribute_length);
  EXPECT_EQ(decode_error<attr::DontFragment>({0, 0, 0, 0}), Error::bad_attribute_length);
}

TEST(StunAttributes, FixedBytes) {
  attr::Userhash::Value hash{};
  for (std::size_t i = 0; i < hash.size(); ++i)
    hash[i] = static_cast<std::uint8_t>(i * 7);
  expect_round_trip<attr::Userhash>(hash);
  expect_round_trip<attr::ReservationToken>({1, 2, 3, 4, 5, 6, 7, 8});
  EXPECT_EQ(decode_error<attr::Userhash>(Wire(31, 0)), Error::bad_attribute_length);
  EXPECT_EQ(decode_error<attr::ReservationToken>(Wire(12, 0)), Error::bad_attribute_length);
}

TEST(StunAttributes, Data) {
  Wire payload(1203);
  for (std::size_t i = 0; i < payload.size(); ++i)
    payload[i] = static_cast<std::uint8_t>(i);
  std::vector<std::uint8_t> storage;
  const Bytes back = round_trip<attr::Data>(payload, storage);
  EXPECT_TRUE(std::equal(back.begin(), back.end(), payload.begin(), payload.end()));
  EXPECT_EQ(storage.size(), 20U + 4 + 1204);
  EXPECT_TRUE(round_trip<attr::Data>(Bytes{}, storage).empty());
}

TEST(StunAttributes, AddressFamilies) {
  expect_round_trip<attr::RequestedAddressFamily>(Family::ipv4);
  expect_round_trip<attr::RequestedAddressFamily>(Family::ipv6);
  expect_round_trip<attr::AdditionalAddressFamily>(Family::ipv6);
  EXPECT_EQ(decode_error<attr::RequestedAddressFamily>({3, 0, 0, 0}), Error::bad_address_family);
  EXPECT_EQ(decode_error<attr::RequestedAddressFamily>({1}), Error::bad_attribute_length);
  EXPECT_EQ(decode_error<attr::AdditionalAddressFamily>({2, 9, 9, 9}), Error::none);  // reserved bits ignored
  EXPECT_EQ(encode_error<attr::RequestedAddressFamily>(static_cast<Family>(0)), Error::bad_address_family);
}

TEST(StunAttributes, ChannelNumber) {
  expect_round_trip<attr::ChannelNumber>(0x4000);
  expect_round_trip<attr::ChannelNumber>(0x4FFF);
  EXPECT_EQ(decode_error<attr::ChannelNumber>({0x3F, 0xFF, 0, 0}), Error::bad_channel_number);
  EXPECT_EQ(decode_error<attr::ChannelNumber>({0x50, 0x00, 0, 0}),
            Error::bad_channel_number);                                                 // RFC 5766 only
  EXPECT_EQ(decode_error<attr::ChannelNumber>({0x40, 0x00, 0xAB, 0xCD}), Error::none);  // RFFU ignored
  EXPECT_EQ(decode_error<attr::ChannelNumber>({0x40, 0x00}), Error::bad_attribute_length);
  EXPECT_EQ(encode_error<attr::ChannelNumber>(0x7FFF), Error::bad_channel_number);
}

TEST(StunAttributes, EvenPortAndRequestedTransport) {
  expect_round_trip<attr::EvenPort>(true);
  expect_round_trip<attr::EvenPort>(false);
  EXPECT_EQ(decode_error<attr::EvenPort>({0x7F}), Error::none);  // RFFU bits ignored
  EXPECT_EQ(decode_error<attr::EvenPort>({0x80, 0, 0, 0}), Error::bad_attribute_length);
  expect_round_trip<attr::RequestedTransport>(attr::RequestedTransport::kUdp);
  expect_round_trip<attr::RequestedTransport>(attr::RequestedTransport::kTcp);
  EXPECT_EQ(decode_error<attr::RequestedTransport>({17}), Error::bad_attribute_length);
}

TEST(StunAttributes, ErrorCode) {
  expect_round_trip<attr::ErrorCode>({438, "Stale Nonce"});
  expect_round_trip<attr::ErrorCode>({300, ""});
  expect_round_trip<attr::ErrorCode>({699, "x"});
  std::vector<std::uint8_t> storage;
  round_trip<attr::ErrorCode>({401, "Unauthenticated"}, storage);
  EXPECT_EQ(Wire(storage.begin() + 24, storage.begin() + 28), (Wire{0, 0, 4, 1}));  // class 4, number 1
  EXPECT_EQ(decode_error<attr::ErrorCode>({0, 0, 2, 99}), Error::bad_error_code);
  EXPECT_EQ(decode_error<attr::ErrorCode>({0, 0, 7, 0}), Error::bad_error_code);
  EXPECT_EQ(decode_error<attr::ErrorCode>({0, 0, 4, 100}), Error::bad_error_code);
  EXPECT_EQ(decode_error<attr::ErrorCode>({0, 0, 4}), Error::bad_attribute_length);
  EXPECT_EQ(decode_error<attr::ErrorCode>({0xFF, 0xFF, 0xFC, 20}),
            Error::none);                                                     // reserved bits ignored: 420
  EXPECT_EQ(decode_error<attr::ErrorCode>({0, 0, 4, 0, 0xFF}), Error::none);  // the reason is not checked
  EXPECT_EQ(encode_error<attr::ErrorCode>({299, "x"}), Error::bad_error_code);
  EXPECT_EQ(encode_error<attr::ErrorCode>({700, "x"}), Error::bad_error_code);
  EXPECT_EQ(encode_error<attr::ErrorCode>({400, std::string(510, 'r')}), Error::value_too_long);
  EXPECT_EQ(encode_error<attr::ErrorCode>({400, "\xC0"}), Error::bad_utf8);
}

TEST(StunAttributes, AddressErrorCode) {
  expect_round_trip<attr::AddressErrorCode>({Family::ipv6, 440, "Address Family not Supported"});
  expect_round_trip<attr::AddressErrorCode>({Family::ipv4, 508, "Insufficient Capacity"});
  EXPECT_EQ(decode_error<attr::AddressErrorCode>({3, 0, 4, 40}), Error::bad_address_family);
  EXPECT_EQ(decode_error<attr::AddressErrorCode>({1, 0, 1, 0}), Error::bad_error_code);
  EXPECT_EQ(decode_error<attr::AddressErrorCode>({1, 0}), Error::bad_attribute_length);
}

TEST(StunAttributes, Icmp) {
  expect_round_trip<attr::Icmp>({3, 4, 1400});  // IPv4 fragmentation needed, next-hop MTU
  expect_round_trip<attr::Icmp>({2, 0, 1280});  // ICMPv6 packet too big
  std::vector<std::uint8_t> storage;
  round_trip<attr::Icmp>({3, 4, 1400}, storage);
  EXPECT_EQ(Wire(storage.end() - 8, storage.end()), (Wire{0, 0, 3, 4, 0, 0, 0x05, 0x78}));
  EXPECT_EQ(decode_error<attr::Icmp>({0, 0, 3, 4}), Error::bad_attribute_length);
}

TEST(StunAttributes, UnknownAttributes) {
  const std::vector<std::uint16_t> types = {0x0003, 0x7FFF, 0x001A};
  std::vector<std::uint8_t> storage;
  const AttributeTypeList back = round_trip<attr::UnknownAttributes>(types, storage);
  ASSERT_EQ(back.size(), 3U);
  EXPECT_EQ(back[0], 0x0003);
  EXPECT_EQ(back[2], 0x001A);
  EXPECT_EQ(storage.size(), 20U + 4 + 8);  // 6 bytes and 2 of padding, not a repeated type (§14.13)
  EXPECT_EQ(decode_error<attr::UnknownAttributes>({0, 1, 0}), Error::bad_attribute_length);
  EXPECT_EQ(decode_error<attr::UnknownAttributes>({}), Error::none);
}

TEST(StunAttributes, PasswordAlgorithms) {
  const Wire params = {9, 8, 7};
  const std::vector<PasswordAlgorithmEntry> entries = {
      {static_cast<std::uint16_t>(PasswordAlgorithm::sha256), {}},
      {0x1234, params},
      {static_cast<std::uint16_t>(PasswordAlgorithm::md5), {}},
  };
  std::vector<std::uint8_t> storage;
  const PasswordAlgorithmList back = round_trip<attr::PasswordAlgorithms>(entries, storage);
  EXPECT_EQ(std::vector<PasswordAlgorithmEntry>(back.begin(), back.end()), entries);
  EXPECT_TRUE(back.contains(static_cast<std::uint16_t>(PasswordAlgorithm::md5)));
  EXPECT_FALSE(back.contains(0x0003));
  // Each entry's parameters are padded inside the value (§14.11).
  EXPECT_EQ(storage.size(), 20U + 4 + 4 + 8 + 4);

  expect_round_trip<attr::PasswordAlgorithm>({static_cast<std::uint16_t>(PasswordAlgorithm::sha256), {}});
  expect_round_trip<attr::PasswordAlgorithm>({7, params});

  EXPECT_EQ(decode_error<attr::PasswordAlgorithms>({0, 1, 0}), Error::bad_value);           // half an entry
  EXPECT_EQ(decode_error<attr::PasswordAlgorithms>({0, 1, 0, 4, 1, 2}), Error::bad_value);  // parameters cut
  EXPECT_EQ(decode_error<attr::PasswordAlgorithms>({0, 1, 0, 2, 1, 2}), Error::none);       // padding outside
  // A list made over bytes that were never checked still stays inside them.
  const Wire junk = {0, 1, 0, 9, 1, 2, 0, 3, 0};
  std::size_t seen = 0;
  for (const PasswordAlgorithmEntry& e : PasswordAlgorithmList(junk))
    seen += 1 + e.parameters.size();
  EXPECT_EQ(seen, 1U + 5);
  EXPECT_EQ(decode_error<attr::PasswordAlgorithm>({}), Error::bad_value);
  EXPECT_EQ(decode_error<attr::PasswordAlgorithm>({0, 1, 0, 0, 0, 2, 0, 0}), Error::bad_value);  // two
}

TEST(StunAttributes, ComputedAttributesAreReadable) {
  EXPECT_EQ(decode_error<attr::MessageIntegrity>(Wire(20, 1)), Error::none);
  EXPECT_EQ(decode_error<attr::MessageIntegritySha256>(Wire(28, 1)), Error::none);
  EXPECT_EQ(decode_error<attr::Fingerprint>(Wire(4, 1)), Error::none);
}

TEST(StunAttributes, EveryKnownTypeIsVisited) {
  int known = 0;
  for (unsigned t = 0; t <= 0xFFFF; ++t) {
    bool visited = false;
    const bool ok = visit_attribute_type(static_cast<std::uint16_t>(t), [&](auto traits) {
      visited = true;
      EXPECT_EQ(static_cast<unsigned>(decltype(traits)::type), t);
    });
    EXPECT_EQ(ok, visited);
    EXPECT_EQ(ok, is_known_attribute(static_cast<std::uint16_t>(t)));
    EXPECT_EQ(ok, !attribute_name(static_cast<std::uint16_t>(t)).empty()) << t;
    known += ok ? 1 : 0;
  }
  EXPECT_EQ(known, 33);
}

}  // namespace
}  // namespace peerhub::stun
