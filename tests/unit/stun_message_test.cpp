// The message view: header checks, attribute walking, the attributes RFC 8489 says to ignore, and the
// comprehension-required attributes a 420 answer lists.
#include <gtest/gtest.h>

#include <vector>

#include "stun/attributes.hpp"
#include "stun/message.hpp"
#include "stun_vectors.hpp"
#include "stun_wire.hpp"

namespace peerhub::stun {
namespace {

using test::attribute;
using test::message;
using test::Wire;

constexpr std::uint16_t kBindingRequest = 0x0001;
const Wire kUser = attribute(0x0006, {'b', 'o', 'b'});
const Wire kSoftware = attribute(0x8022, {'x'});
const Wire kIntegrity = attribute(0x0008, Wire(20, 0xAA));
const Wire kIntegritySha256 = attribute(0x001C, Wire(32, 0xBB));
const Wire kFingerprint = attribute(0x8028, Wire(4, 0xCC));

Error parse_error(const Wire& w) {
  const auto m = Message::parse(w);
  return m.ok() ? Error::none : m.error();
}

std::vector<std::uint16_t> types_of(const Message& m) {
  std::vector<std::uint16_t> out;
  for (const Attribute& a : m.attributes())
    out.push_back(a.type);
  return out;
}

TEST(StunMessage, MessageTypeInterleavesClassAndMethod) {
  EXPECT_EQ(encode_message_type(Method::binding, Class::request), 0x0001);
  EXPECT_EQ(encode_message_type(Method::binding, Class::indication), 0x0011);
  EXPECT_EQ(encode_message_type(Method::binding, Class::success), 0x0101);
  EXPECT_EQ(encode_message_type(Method::binding, Class::error), 0x0111);
  EXPECT_EQ(encode_message_type(Method::allocate, Class::request), 0x0003);
  EXPECT_EQ(encode_message_type(Method::allocate, Class::success), 0x0103);
  EXPECT_EQ(encode_message_type(Method::allocate, Class::error), 0x0113);
  EXPECT_EQ(encode_message_type(Method::refresh, Class::request), 0x0004);
  EXPECT_EQ(encode_message_type(Method::send, Class::indication), 0x0016);
  EXPECT_EQ(encode_message_type(Method::data, Class::indication), 0x0017);
  EXPECT_EQ(encode_message_type(Method::create_permission, Class::request), 0x0008);
  EXPECT_EQ(encode_message_type(Method::channel_bind, Class::success), 0x0109);
  for (unsigned m = 0; m < 0x1000; ++m) {
    for (unsigned c = 0; c < 4; ++c) {
      const std::uint16_t t = encode_message_type(static_cast<Method>(m), static_cast<Class>(c));
      ASSERT_EQ(t & 0xC000, 0);
      ASSERT_EQ(static_cast<unsigned>(method_of(t)), m);
      ASSERT_EQ(static_cast<unsigned>(class_of(t)), c);
    }
  }
}

// The view points into the caller's bytes: parsing a temporary vector does not compile.
template <class T>
constexpr bool kParses = requires(T&& bytes) {
  Message::parse(std::forward<T>(bytes));
};
static_assert(!kParses<std::vector<std::uint8_t>>);
static_assert(kParses<const std::vector<std::uint8_t>&>);

TEST(StunMessage, HeaderOnly) {
  const Wire wire = message(0x0101, {});
  const auto m = Message::parse(wire);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->method(), Method::binding);
  EXPECT_EQ(m->cls(), Class::success);
  EXPECT_EQ(m->transaction_id(), (TransactionId{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}));
  EXPECT_TRUE(types_of(*m).empty());
  EXPECT_EQ(m->bytes().size(), 20U);
}

TEST(StunMessage, TruncatedHeader) {
  const Wire whole = message(kBindingRequest, {});
  for (std::size_t n = 0; n < 20; ++n) {
    const Wire part(whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(n));
    EXPECT_EQ(parse_error(part), Error::truncated_header) << n;
    EXPECT_FALSE(looks_like_stun(part));
  }
}

TEST(StunMessage, TopBitsMustBeZero) {
  for (const int top : {0x40, 0x80, 0xC0}) {
    Wire w = message(kBindingRequest, {});
    w[0] = static_cast<std::uint8_t>(w[0] | top);
    EXPECT_EQ(parse_error(w), Error::not_stun);
    EXPECT_FALSE(looks_like_stun(w));
  }
}

TEST(StunMessage, BadMagicCookie) {
  Wire w = message(kBindingRequest, {kUser});
  w[7] ^= 1;
  EXPECT_EQ(parse_error(w), Error::bad_magic_cookie);
  EXPECT_FALSE(looks_like_stun(w));
}

TEST(StunMessage, LengthNotMultipleOf4) {
  Wire w = message(kBindingRequest, {}, 3);
  w.insert(w.end(), {1, 2, 3});
  EXPECT_EQ(parse_error(w), Error::length_not_multiple_of_4);
}

TEST(StunMessage, LengthMustMatchTheBytes) {
  EXPECT_EQ(parse_error(message(kBindingRequest, {kUser}, 4)), Error::length_mismatch);   // says less
  EXPECT_EQ(parse_error(message(kBindingRequest, {kUser}, 12)), Error::length_mismatch);  // says more
  Wire extra = message(kBindingRequest, {kUser});
  extra.insert(extra.end(), 4, 0);  // a datagram with bytes the header does not count
  EXPECT_EQ(parse_error(extra), Error::length_mismatch);
  EXPECT_FALSE(looks_like_stun(extra));
  EXPECT_TRUE(looks_like_stun(message(kBindingRequest, {kUser})));
}

TEST(StunMessage, AttributeRunningPastTheEnd) {
  // USERNAME claims 9 bytes but the message holds 8 after its header.
  EXPECT_EQ(parse_error(message(kBindingRequest, {attribute(0x0006, Wire(8, 'a'), 9)})),
            Error::truncated_attribute);
  EXPECT_EQ(parse_error(message(kBindingRequest, {attribute(0x0006, {}, 0xFFFF)})),
            Error::truncated_attribute);
  // The last attribute in the message, after a good one.
  EXPECT_EQ(parse_error(message(kBindingRequest, {kUser, attribute(0x8022, Wire(4, 'a'), 5)})),
            Error::truncated_attribute);
}

TEST(StunMessage, AttributePaddingIsWalked) {
  const Wire wire = message(kBindingRequest,
                            {attribute(0x0006, {'a'}), attribute(0x8022, {'b', 'c'}), attribute(0x0025, {})});
  const auto m = Message::parse(wire);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(types_of(*m), (std::vector<std::uint16_t>{0x0006, 0x8022, 0x0025}));
  EXPECT_EQ(*m->get<attr::Username>(), "a");
  EXPECT_EQ(*m->get<attr::Software>(), "bc");
  EXPECT_EQ(m->find(AttrType::software)->offset, 28U);
}

TEST(StunMessage, IntegrityAndFingerprintSizesAreChecked) {
  EXPECT_EQ(parse_error(message(kBindingRequest, {attribute(0x0008, Wire(16, 0))})),
            Error::bad_integrity_length);
  EXPECT_EQ(parse_error(message(kBindingRequest, {attribute(0x0008, Wire(24, 0))})),
            Error::bad_integrity_length);
  for (std::size_t n : {0, 12, 18, 36})
    EXPECT_EQ(parse_error(message(kBindingRequest, {attribute(0x001C, Wire(n, 0))})),
              Error::bad_integrity_length);
  for (std::size_t n : {16, 20, 24, 28, 32})
    EXPECT_EQ(parse_error(message(kBindingRequest, {attribute(0x001C, Wire(n, 0))})), Error::none);
  EXPECT_EQ(parse_error(message(kBindingRequest, {attribute(0x8028, Wire(8, 0))})),
            Error::bad_fingerprint_length);
}

// §14.5: after MESSAGE-INTEGRITY only MESSAGE-INTEGRITY-SHA256 and FINGERPRINT count.
TEST(StunMessage, AttributesAfterIntegrityAreIgnored) {
  const Wire wire = message(kBindingRequest, {kUser, kIntegrity, kSoftware, kIntegrity, kFingerprint});
  const auto m = Message::parse(wire);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(types_of(*m), (std::vector<std::uint16_t>{0x0006, 0x0008, 0x8028}));
  EXPECT_EQ(m->ignored_attributes(), 2U);
  EXPECT_FALSE(m->has(AttrType::software));
  EXPECT_EQ(m->get<attr::Software>().error(), Error::missing_attribute);
  EXPECT_EQ(m->integrity_offset(), 28U);
  EXPECT_EQ(m->fingerprint_offset(), 28U + 24 + 8 + 24);
}

// §14.6: after MESSAGE-INTEGRITY-SHA256 only FINGERPRINT counts, including a MESSAGE-INTEGRITY.
TEST(StunMessage, AttributesAfterIntegritySha256AreIgnored) {
  const Wire wire = message(kBindingRequest, {kUser, kIntegrity, kIntegritySha256, kIntegrity, kSoftware,
                                              kIntegritySha256, kFingerprint});
  const auto m = Message::parse(wire);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(types_of(*m), (std::vector<std::uint16_t>{0x0006, 0x0008, 0x001C, 0x8028}));
  EXPECT_EQ(m->ignored_attributes(), 3U);

  const Wire sha_first_wire = message(kBindingRequest, {kIntegritySha256, kIntegrity, kUser});
  const auto sha_first = Message::parse(sha_first_wire);
  ASSERT_TRUE(sha_first.ok());
  EXPECT_EQ(types_of(*sha_first), (std::vector<std::uint16_t>{0x001C}));
  EXPECT_EQ(sha_first->integrity_offset(), 0U);  // the MESSAGE-INTEGRITY after it does not count
}

// §14.7: FINGERPRINT is the last attribute; what follows is not even walked.
TEST(StunMessage, AttributesAfterFingerprintAreIgnored) {
  const Wire wire = message(kBindingRequest, {kUser, kFingerprint, kSoftware});
  const auto m = Message::parse(wire);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(types_of(*m), (std::vector<std::uint16_t>{0x0006, 0x8028}));
  EXPECT_TRUE(m->bytes_after_fingerprint());
  EXPECT_FALSE(m->has(AttrType::software));
  // Even bytes that are no attribute at all.
  const Wire junk_wire = message(kBindingRequest, {kFingerprint, attribute(0x0006, {}, 0xFFFF)});
  const auto junk = Message::parse(junk_wire);
  ASSERT_TRUE(junk.ok());
  EXPECT_EQ(types_of(*junk), (std::vector<std::uint16_t>{0x8028}));
}

TEST(StunMessage, FindReturnsTheFirst) {
  const Wire wire = message(
      0x0008, {attribute(0x0012, {0, 1, 0, 1, 0, 0, 0, 1}), attribute(0x0012, {0, 1, 0, 2, 0, 0, 0, 2})});
  const auto m = Message::parse(wire);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->find(AttrType::xor_peer_address)->value[3], 1);
  int peers = 0;
  for (const Attribute& a : m->attributes())
    peers += a.type == 0x0012 ? 1 : 0;
  EXPECT_EQ(peers, 2);
}

TEST(StunMessage, UnknownComprehensionRequiredAttributes) {
  const Wire wire = message(kBindingRequest, {attribute(0x0003, Wire(4, 0)), kUser, attribute(0x7FFF, {}),
                                              attribute(0xC001, {1}), attribute(0x0003, Wire(4, 0)),
                                              attribute(0x001A, {}), kIntegrity, attribute(0x0002, {})});
  const auto m = Message::parse(wire);
  ASSERT_TRUE(m.ok());
  // 0xC001 is comprehension-optional, the second 0x0003 is listed once, 0x0002 comes after MESSAGE-INTEGRITY.
  const UnknownTypes unknown = m->unknown_comprehension_required();
  EXPECT_EQ(std::vector<std::uint16_t>(unknown.list().begin(), unknown.list().end()),
            (std::vector<std::uint16_t>{0x0003, 0x7FFF}));
  // A TURN server without DONT-FRAGMENT support lists it too (RFC 8656 §7.2).
  const UnknownTypes turn = m->unknown_comprehension_required([](std::uint16_t t) {
    return is_known_attribute(t) && t != static_cast<std::uint16_t>(AttrType::dont_fragment);
  });
  EXPECT_EQ(std::vector<std::uint16_t>(turn.list().begin(), turn.list().end()),
            (std::vector<std::uint16_t>{0x0003, 0x7FFF, 0x001A}));
}

TEST(StunMessage, UnknownListIsBounded) {
  Wire body;
  for (std::uint16_t t = 0x7000; t < 0x7040; ++t) {
    const Wire a = attribute(t, {});
    body.insert(body.end(), a.begin(), a.end());
  }
  const Wire wire = message(kBindingRequest, {body});
  const auto m = Message::parse(wire);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->unknown_comprehension_required().count, 16U);
}

TEST(StunMessage, NamesForLogs) {
  EXPECT_EQ(attribute_name(0x0020), "XOR-MAPPED-ADDRESS");
  EXPECT_EQ(attribute_name(0x802A), "ICE-CONTROLLING");
  EXPECT_EQ(attribute_name(0x1234), "");
  EXPECT_EQ(method_name(Method::create_permission), "CreatePermission");
  EXPECT_EQ(method_name(static_cast<Method>(0x0FFF)), "");
  for (int e = 0; e <= static_cast<int>(Error::crypto_failure); ++e)
    EXPECT_NE(to_string(static_cast<Error>(e)), "unknown error") << e;
}

TEST(StunMessage, VectorsLookLikeStun) {
  EXPECT_TRUE(looks_like_stun(test::kSampleRequest));
  EXPECT_TRUE(looks_like_stun(test::kSampleLongTermRequest));
}

}  // namespace
}  // namespace peerhub::stun
