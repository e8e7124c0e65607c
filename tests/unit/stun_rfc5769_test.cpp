// RFC 5769's four sample messages: parsed, checked (integrity and fingerprint), and rebuilt byte for byte.
#include <gtest/gtest.h>

#include <string_view>
#include <vector>

#include "stun/attributes.hpp"
#include "stun/builder.hpp"
#include "stun/credentials.hpp"
#include "stun/integrity.hpp"
#include "stun/message.hpp"
#include "stun_vectors.hpp"

namespace peerhub::stun {
namespace {

using test::as_bytes;

std::vector<std::uint8_t> copy(std::span<const std::uint8_t> s) {
  return {s.begin(), s.end()};
}

Message parse(const std::vector<std::uint8_t>& bytes) {
  auto m = Message::parse(bytes);
  EXPECT_TRUE(m.ok()) << to_string(m.error());
  return *m;
}

const TransactionId kId = {0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae};
const TransactionId kLongTermId = {0x78, 0xad, 0x34, 0x33, 0xc6, 0xad, 0x72, 0xc0, 0x29, 0xda, 0x41, 0x2e};

std::span<const std::uint8_t> short_term() {
  return *short_term_key(test::kShortTermPassword);
}

TEST(StunRfc5769, SampleRequestParses) {
  const Message m = parse(test::kSampleRequest);
  EXPECT_EQ(m.method(), Method::binding);
  EXPECT_EQ(m.cls(), Class::request);
  EXPECT_EQ(m.transaction_id(), kId);
  EXPECT_EQ(*m.get<attr::Software>(), "STUN test client");
  EXPECT_EQ(*m.get<attr::Priority>(), 0x6e0001ffU);
  EXPECT_EQ(*m.get<attr::IceControlled>(), 0x932ff9b151263b36ULL);
  EXPECT_EQ(*m.get<attr::Username>(), "evtj:h6vY");
  EXPECT_TRUE(m.unknown_comprehension_required().empty());
  EXPECT_EQ(m.ignored_attributes(), 0U);
  std::vector<std::uint16_t> types;
  for (const Attribute& a : m.attributes())
    types.push_back(a.type);
  EXPECT_EQ(types, (std::vector<std::uint16_t>{0x8022, 0x0024, 0x8029, 0x0006, 0x0008, 0x8028}));
}

TEST(StunRfc5769, SampleRequestIntegrityAndFingerprint) {
  const Message m = parse(test::kSampleRequest);
  EXPECT_EQ(verify_message_integrity(m, short_term()), Error::none);
  EXPECT_EQ(verify_fingerprint(m), Error::none);
  EXPECT_EQ(verify_message_integrity(m, as_bytes("VOkJxbRl1RmTxUk/WvJxBT")), Error::integrity_mismatch);
  EXPECT_EQ(verify_message_integrity_sha256(m, short_term()), Error::no_integrity);
}

TEST(StunRfc5769, SampleRequestRebuilt) {
  std::vector<std::uint8_t> out;
  Builder b(out, Method::binding, Class::request, kId);
  b.set_padding(0x20)  // the RFC's samples pad with spaces
      .add<attr::Software>("STUN test client")
      .add<attr::Priority>(0x6e0001ff)
      .add<attr::IceControlled>(0x932ff9b151263b36ULL)
      .add<attr::Username>("evtj:h6vY")
      .add_message_integrity(short_term())
      .add_fingerprint();
  ASSERT_TRUE(b.finish().ok());
  EXPECT_EQ(out, test::kSampleRequest);
}

TEST(StunRfc5769, SampleIpv4Response) {
  const Message m = parse(test::kSampleIpv4Response);
  EXPECT_EQ(m.method(), Method::binding);
  EXPECT_EQ(m.cls(), Class::success);
  EXPECT_EQ(*m.get<attr::Software>(), "test vector");
  EXPECT_EQ(*m.get<attr::XorMappedAddress>(), Address::v4({192, 0, 2, 1}, 32853));
  EXPECT_EQ(verify_message_integrity(m, short_term()), Error::none);
  EXPECT_EQ(verify_fingerprint(m), Error::none);

  std::vector<std::uint8_t> out;
  Builder b(out, Method::binding, Class::success, kId);
  b.set_padding(0x20)
      .add<attr::Software>("test vector")
      .add<attr::XorMappedAddress>(*Address::parse("192.0.2.1:32853"))
      .add_message_integrity(short_term())
      .add_fingerprint();
  ASSERT_TRUE(b.finish().ok());
  EXPECT_EQ(out, test::kSampleIpv4Response);
}

TEST(StunRfc5769, SampleIpv6Response) {
  const Message m = parse(test::kSampleIpv6Response);
  const Address mapped = *Address::parse("[2001:db8:1234:5678:11:2233:4455:6677]:32853");
  EXPECT_EQ(*m.get<attr::XorMappedAddress>(), mapped);
  EXPECT_EQ(to_string(*m.get<attr::XorMappedAddress>()), "[2001:db8:1234:5678:11:2233:4455:6677]:32853");
  EXPECT_EQ(verify_message_integrity(m, short_term()), Error::none);
  EXPECT_EQ(verify_fingerprint(m), Error::none);

  std::vector<std::uint8_t> out;
  Builder b(out, Method::binding, Class::success, kId);
  b.set_padding(0x20)
      .add<attr::Software>("test vector")
      .add<attr::XorMappedAddress>(mapped)
      .add_message_integrity(short_term())
      .add_fingerprint();
  ASSERT_TRUE(b.finish().ok());
  EXPECT_EQ(out, test::kSampleIpv6Response);
}

TEST(StunRfc5769, SampleRequestWithLongTermAuthentication) {
  const Message m = parse(test::kSampleLongTermRequest);
  EXPECT_EQ(m.transaction_id(), kLongTermId);
  EXPECT_EQ(*m.get<attr::Username>(), test::kLongTermUsername);
  EXPECT_EQ(*m.get<attr::Nonce>(), test::kLongTermNonce);
  EXPECT_EQ(*m.get<attr::Realm>(), test::kLongTermRealm);
  EXPECT_EQ(verify_fingerprint(m), Error::no_fingerprint);

  const auto key = long_term_key(test::kLongTermUsername, test::kLongTermRealm, test::kLongTermPassword);
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(key->size, 16U);
  EXPECT_EQ(verify_message_integrity(m, key->bytes()), Error::none);
  const auto wrong = long_term_key(test::kLongTermUsername, test::kLongTermRealm, "TheMatrix");
  EXPECT_EQ(verify_message_integrity(m, wrong->bytes()), Error::integrity_mismatch);

  std::vector<std::uint8_t> out;
  Builder b(out, Method::binding, Class::request, kLongTermId);
  b.add<attr::Username>(test::kLongTermUsername)
      .add<attr::Nonce>(test::kLongTermNonce)
      .add<attr::Realm>(test::kLongTermRealm)
      .add_message_integrity(key->bytes());
  ASSERT_TRUE(b.finish().ok());
  EXPECT_EQ(out, test::kSampleLongTermRequest);
}

// Every byte is covered: flipping any one of them breaks the parse, the fingerprint or the integrity.
TEST(StunRfc5769, EveryFlippedByteIsCaught) {
  for (const auto* sample : {&test::kSampleRequest, &test::kSampleIpv4Response, &test::kSampleIpv6Response}) {
    for (std::size_t i = 0; i < sample->size(); ++i) {
      std::vector<std::uint8_t> bad = *sample;
      bad[i] ^= 0x01;
      const auto m = Message::parse(bad);
      const bool caught = !m.ok() || verify_fingerprint(*m) != Error::none ||
                          verify_message_integrity(*m, short_term()) != Error::none;
      EXPECT_TRUE(caught) << "byte " << i;
    }
  }
}

// A FINGERPRINT added after MESSAGE-INTEGRITY leaves the integrity check as it was (§14.5: the length is set
// to end at MESSAGE-INTEGRITY), and dropping it is seen as a missing FINGERPRINT only.
TEST(StunRfc5769, IntegrityIgnoresTheFingerprintAfterIt) {
  std::vector<std::uint8_t> cut =
      copy(std::span(test::kSampleIpv4Response).first(test::kSampleIpv4Response.size() - 8));
  cut[3] = static_cast<std::uint8_t>(cut[3] - 8);
  const Message m = parse(cut);
  EXPECT_EQ(verify_message_integrity(m, short_term()), Error::none);
  EXPECT_EQ(verify_fingerprint(m), Error::no_fingerprint);
}

}  // namespace
}  // namespace peerhub::stun
