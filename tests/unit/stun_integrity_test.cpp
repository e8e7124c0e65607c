// Keys (short-term, long-term MD5 and SHA-256, USERHASH), the OpaqueString subset, CRC-32, and what the
// integrity and fingerprint checks say about messages that do not match.
#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "stun/attributes.hpp"
#include "stun/builder.hpp"
#include "stun/credentials.hpp"
#include "stun/crypto.hpp"
#include "stun/integrity.hpp"
#include "stun/message.hpp"
#include "stun_vectors.hpp"

namespace peerhub::stun {
namespace {

using test::as_bytes;

const TransactionId kId = {9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9};

std::vector<std::uint8_t> hex(std::string_view h) {
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i + 1 < h.size(); i += 2)
    out.push_back(static_cast<std::uint8_t>(std::stoi(std::string(h.substr(i, 2)), nullptr, 16)));
  return out;
}

std::vector<std::uint8_t> vec(std::span<const std::uint8_t> s) {
  return {s.begin(), s.end()};
}

TEST(StunCredentials, LongTermKeys) {
  // MD5("user:realm:pass") and SHA-256 of the same, computed independently.
  const auto md5_key = long_term_key("user", "realm", "pass");
  ASSERT_TRUE(md5_key.ok());
  EXPECT_EQ(vec(md5_key->bytes()), hex("8493fbc53ba582fb4c044c456bdc40eb"));
  const auto sha_key = long_term_key("user", "realm", "pass", PasswordAlgorithm::sha256);
  ASSERT_TRUE(sha_key.ok());
  EXPECT_EQ(vec(sha_key->bytes()), hex("07e934117abd40836e7c6329b54731b2b2d2a5f9a71f544922d75e0730d8251b"));
  const auto rfc = long_term_key(test::kLongTermUsername, test::kLongTermRealm, test::kLongTermPassword);
  EXPECT_EQ(vec(rfc->bytes()), hex("e8ca7ad59d5eb0518e312911d2dab2a9"));
  EXPECT_EQ(long_term_key("user", "realm", "pass", static_cast<PasswordAlgorithm>(3)).error(),
            Error::bad_value);
}

TEST(StunCredentials, ShortTermKeyIsThePassword) {
  const auto key = short_term_key("VOkJxbRl1RmTxUk/WvJxBt");
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(vec(*key), vec(as_bytes("VOkJxbRl1RmTxUk/WvJxBt")));
}

TEST(StunCredentials, Userhash) {
  const auto h = userhash("user", "realm");
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(std::vector<std::uint8_t>(h->begin(), h->end()),
            hex("6a3029116b47aa98bcaa325399733dc1a23cd57e26b81bef3ff6531ce624e2da"));
}

TEST(StunCredentials, OpaqueStringSubset) {
  EXPECT_EQ(*opaque_string("plain ASCII ~!"), "plain ASCII ~!");
  EXPECT_EQ(*opaque_string("caf\xc3\xa9"), "caf\xc3\xa9");  // non-ASCII passes unchanged (no NFC)
  EXPECT_EQ(opaque_string("").error(), Error::bad_credentials);
  EXPECT_EQ(opaque_string(std::string_view("a\0b", 3)).error(), Error::bad_credentials);
  EXPECT_EQ(opaque_string("tab\there").error(), Error::bad_credentials);
  EXPECT_EQ(opaque_string("del\x7f").error(), Error::bad_credentials);
  EXPECT_EQ(opaque_string("c1\xc2\x85").error(), Error::bad_credentials);  // U+0085 NEXT LINE
  EXPECT_EQ(*opaque_string("nbsp\xc2\xa0"), "nbsp\xc2\xa0");               // U+00A0 is not a control
  EXPECT_EQ(opaque_string("bad\xff").error(), Error::bad_credentials);
  EXPECT_EQ(long_term_key("user", "realm", "pa\nss").error(), Error::bad_credentials);
  EXPECT_EQ(long_term_key("user", "", "pass").error(), Error::bad_credentials);
  EXPECT_EQ(short_term_key("").error(), Error::bad_credentials);
  EXPECT_EQ(userhash("us\x01r", "realm").error(), Error::bad_credentials);
}

TEST(StunCrypto, Crc32) {
  EXPECT_EQ(crc32(as_bytes("123456789")), 0xCBF43926U);  // the standard check value
  EXPECT_EQ(crc32({}), 0U);
  EXPECT_EQ(crc32(as_bytes("6789"), crc32(as_bytes("12345"))), 0xCBF43926U);
}

TEST(StunCrypto, HmacKeysDoNotLeakBetweenCalls) {
  // The HMAC context is reused per thread: a new key must replace the previous one every time.
  const auto a1 = hmac_sha1(as_bytes("key-a"), {as_bytes("data")});
  const auto b = hmac_sha1(as_bytes("key-b"), {as_bytes("data")});
  const auto a2 = hmac_sha1(as_bytes("key-a"), {as_bytes("da"), as_bytes("ta")});
  EXPECT_NE(*a1, *b);
  EXPECT_EQ(*a1, *a2);
  EXPECT_EQ(hmac_sha1({}, {as_bytes("data")}).error(), Error::bad_credentials);
  EXPECT_EQ(hmac_sha256({}, {as_bytes("data")}).error(), Error::bad_credentials);
}

TEST(StunCrypto, ConstantTimeEquality) {
  EXPECT_TRUE(equal_constant_time(as_bytes("abc"), as_bytes("abc")));
  EXPECT_FALSE(equal_constant_time(as_bytes("abc"), as_bytes("abd")));
  EXPECT_FALSE(equal_constant_time(as_bytes("abc"), as_bytes("ab")));
}

std::vector<std::uint8_t> signed_request(std::span<const std::uint8_t> key, std::size_t sha256_length = 32) {
  std::vector<std::uint8_t> out;
  Builder b(out, Method::refresh, Class::request, kId);
  b.add<attr::Username>("1700000000:alice")
      .add<attr::Realm>("peerhub")
      .add<attr::Nonce>("abcdef")
      .add<attr::Lifetime>(0)
      .add_message_integrity(key)
      .add_message_integrity_sha256(key, sha256_length)
      .add_fingerprint();
  EXPECT_TRUE(b.ok());
  return out;
}

TEST(StunIntegrity, BothKindsAndTheFingerprintVerify) {
  const auto key = long_term_key("1700000000:alice", "peerhub", "secret");
  const auto wire = signed_request(key->bytes());
  const auto m = Message::parse(wire);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(verify_message_integrity(*m, key->bytes()), Error::none);
  EXPECT_EQ(verify_message_integrity_sha256(*m, key->bytes()), Error::none);
  EXPECT_EQ(verify_fingerprint(*m), Error::none);
  const auto other = long_term_key("1700000000:alice", "peerhub", "Secret");
  EXPECT_EQ(verify_message_integrity(*m, other->bytes()), Error::integrity_mismatch);
  EXPECT_EQ(verify_message_integrity_sha256(*m, other->bytes()), Error::integrity_mismatch);
  EXPECT_EQ(verify_message_integrity(*m, {}), Error::bad_credentials);
}

TEST(StunIntegrity, TruncatedSha256IsAcceptedOnlyWhenAllowed) {
  const auto key = as_bytes("short-term-password");
  const auto wire = signed_request(key, 16);
  const auto m = Message::parse(wire);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(verify_message_integrity_sha256(*m, key), Error::integrity_too_short);
  EXPECT_EQ(verify_message_integrity_sha256(*m, key, 20), Error::integrity_too_short);
  EXPECT_EQ(verify_message_integrity_sha256(*m, key, 16), Error::none);
  EXPECT_EQ(verify_message_integrity_sha256(*m, as_bytes("other"), 16), Error::integrity_mismatch);
}

TEST(StunIntegrity, MissingAttributes) {
  std::vector<std::uint8_t> out;
  Builder b(out, Method::binding, Class::request, kId);
  b.add<attr::Software>("x");
  const auto m = Message::parse(out);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(verify_message_integrity(*m, as_bytes("k")), Error::no_integrity);
  EXPECT_EQ(verify_message_integrity_sha256(*m, as_bytes("k")), Error::no_integrity);
  EXPECT_EQ(verify_fingerprint(*m), Error::no_fingerprint);
}

TEST(StunIntegrity, TamperingIsCaught) {
  const auto key = as_bytes("k3y");
  const auto good = signed_request(key);
  // Change the LIFETIME value (last byte of the value) without touching the lengths.
  std::vector<std::uint8_t> bad = good;
  const auto m0 = Message::parse(good);
  const std::size_t lifetime_at = m0->find(AttrType::lifetime)->offset + 4 + 3;
  bad[lifetime_at] = 1;
  const auto m = Message::parse(bad);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(verify_message_integrity(*m, key), Error::integrity_mismatch);
  EXPECT_EQ(verify_message_integrity_sha256(*m, key), Error::integrity_mismatch);
  EXPECT_EQ(verify_fingerprint(*m), Error::fingerprint_mismatch);
  // The transaction id is covered too.
  bad = good;
  bad[8] ^= 0xFF;
  EXPECT_EQ(verify_message_integrity(*Message::parse(bad), key), Error::integrity_mismatch);
}

// An attacker who appends an attribute after MESSAGE-INTEGRITY gains nothing: it is not seen, and the
// integrity still checks over the signed prefix.
TEST(StunIntegrity, AppendedAttributesAreNotSeen) {
  const auto key = as_bytes("k3y");
  std::vector<std::uint8_t> out;
  Builder b(out, Method::create_permission, Class::request, kId);
  b.add<attr::XorPeerAddress>(*Address::parse("198.51.100.1:1")).add_message_integrity(key);
  ASSERT_TRUE(b.ok());
  // Append XOR-PEER-ADDRESS 10.0.0.1 by hand and fix the length.
  const std::vector<std::uint8_t> extra = {0x00, 0x12, 0x00, 0x08, 0x00, 0x01,
                                           0x21, 0x13, 0x2b, 0x12, 0xa4, 0x43};
  out.insert(out.end(), extra.begin(), extra.end());
  out[3] = static_cast<std::uint8_t>(out[3] + extra.size());
  const auto m = Message::parse(out);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(verify_message_integrity(*m, key), Error::none);
  int peers = 0;
  for (const Attribute& a : m->attributes())
    peers += a.type == static_cast<std::uint16_t>(AttrType::xor_peer_address) ? 1 : 0;
  EXPECT_EQ(peers, 1);
  EXPECT_EQ(m->ignored_attributes(), 1U);
}

}  // namespace
}  // namespace peerhub::stun
