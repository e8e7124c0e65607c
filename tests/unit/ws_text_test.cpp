// UTF-8 validation, the handshake's accept key, base64 and close payloads.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ws/base64.hpp"
#include "ws/frame.hpp"

namespace peerhub::ws {
namespace {

TEST(WsText, AcceptKeyOfRfc6455Section1_3) {
  // The value printed in RFC 6455 §1.3 (and what `openssl sha1 -binary | base64` gives).
  EXPECT_EQ(accept_key("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

std::string b64(std::string_view s) {
  return detail::base64_encode(std::span(reinterpret_cast<const unsigned char*>(s.data()), s.size()));
}

TEST(WsText, Base64Rfc4648Section10Vectors) {
  EXPECT_EQ(b64(""), "");
  EXPECT_EQ(b64("f"), "Zg==");
  EXPECT_EQ(b64("fo"), "Zm8=");
  EXPECT_EQ(b64("foo"), "Zm9v");
  EXPECT_EQ(b64("foob"), "Zm9vYg==");
  EXPECT_EQ(b64("fooba"), "Zm9vYmE=");
  EXPECT_EQ(b64("foobar"), "Zm9vYmFy");
  EXPECT_EQ(b64("\xff\xfe\xfd"), "//79");
}

TEST(WsText, Utf8Valid) {
  for (std::string s : {
           std::string(), std::string("plain ascii that is longer than eight bytes, twice over"),
           std::string("\xc2\x80"),          // U+0080, the smallest 2-byte
           std::string("caf\xc3\xa9"),       // é
           std::string("\xdf\xbf"),          // U+07FF
           std::string("\xe0\xa0\x80"),      // U+0800, the smallest 3-byte
           std::string("\xe2\x82\xac"),      // €
           std::string("\xed\x9f\xbf"),      // U+D7FF, just below the surrogates
           std::string("\xee\x80\x80"),      // U+E000, just above them
           std::string("\xef\xbf\xbf"),      // U+FFFF
           std::string("\xf0\x90\x80\x80"),  // U+10000, the smallest 4-byte
           std::string("\xf4\x8f\xbf\xbf"),  // U+10FFFF, the largest
           std::string("1234567\xe2\x82\xac"
                       "89"),                        // a code point across the 8-byte fast path boundary
           std::string("12345678\xf0\x9f\x98\x80"),  // 😀 right after 8 ASCII bytes
       }) {
    EXPECT_TRUE(valid_utf8(s)) << testing::PrintToString(s);
  }
}

TEST(WsText, Utf8Invalid) {
  for (std::string s : {
           std::string("\x80"),              // a lone continuation byte
           std::string("abcdefgh\xbf"),      // ... after the fast path
           std::string("\xc0\x80"),          // overlong NUL
           std::string("\xc1\xbf"),          // overlong U+007F
           std::string("\xe0\x80\x80"),      // overlong 3-byte
           std::string("\xe0\x9f\xbf"),      // overlong U+07FF
           std::string("\xf0\x80\x80\x80"),  // overlong 4-byte
           std::string("\xf0\x8f\xbf\xbf"),  // overlong U+FFFF
           std::string("\xed\xa0\x80"),      // U+D800, a surrogate
           std::string("\xed\xbf\xbf"),      // U+DFFF
           std::string("\xf4\x90\x80\x80"),  // U+110000
           std::string("\xf5\x80\x80\x80"),  // lead byte beyond the range
           std::string("\xff"),              //
           std::string("\xfe"),              //
           std::string("\xe2\x82"),          // truncated at the end
           std::string("\xe2\x82"
                       "a"),                             // truncated by ASCII
           std::string("\xf0\x9f\x98"),                  // truncated 4-byte
           std::string("\xc3\xa9\xc3"),                  // a good code point, then a truncated one
           std::string("abcdefghijklmnop\x00\xc3", 18),  // NUL is valid, the trailing lead byte is not
       }) {
    EXPECT_FALSE(valid_utf8(s)) << testing::PrintToString(s);
  }
}

// Text messages are checked after reassembly (§5.6): a code point may be split between fragments.
std::vector<Event::Kind> fragments(std::vector<std::string> parts, std::string* text = nullptr) {
  std::string wire;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    append_frame(wire, i == 0 ? Opcode::text : Opcode::continuation, parts[i], 0x5a5a5a5a,
                 i + 1 == parts.size());
  }
  Parser parser(Role::server, 1024);
  std::vector<Event::Kind> kinds;
  parser.feed(std::span<char>(wire), [&](const Event& e) {
    kinds.push_back(e.kind);
    if (text != nullptr) *text = std::string(e.payload);
  });
  return kinds;
}

TEST(WsText, CodePointSplitAcrossFragments) {
  std::string text;
  EXPECT_EQ(fragments({"\xf0", "\x9f\x98", "\x80"}, &text), (std::vector<Event::Kind>{Event::Kind::text}));
  EXPECT_EQ(text, "\xf0\x9f\x98\x80");
  EXPECT_EQ(fragments({"a\xe2", "\x82\xac"}, &text), (std::vector<Event::Kind>{Event::Kind::text}));
  EXPECT_EQ(text, "a\xe2\x82\xac");
}

TEST(WsText, TruncatedOrBadCodePointAcrossFragmentsFails) {
  EXPECT_EQ(fragments({"\xf0\x9f", "\x98"}), (std::vector<Event::Kind>{Event::Kind::error}));
  EXPECT_EQ(fragments({"\xed", "\xa0\x80"}), (std::vector<Event::Kind>{Event::Kind::error}));  // surrogate
  EXPECT_EQ(fragments({"\xf4", "\x90\x80\x80"}), (std::vector<Event::Kind>{Event::Kind::error}));
}

TEST(WsText, BinaryMessagesAreNotCheckedAsText) {
  std::string wire;
  append_frame(wire, Opcode::binary, "\xff\xfe", 1);
  Parser parser(Role::server, 64);
  std::vector<Event::Kind> kinds;
  EXPECT_TRUE(parser.feed(std::span<char>(wire), [&](const Event& e) { kinds.push_back(e.kind); }));
  EXPECT_EQ(kinds, (std::vector<Event::Kind>{Event::Kind::binary}));
}

TEST(WsText, ClosePayload) {
  EXPECT_EQ(close_payload(1000, ""), std::string("\x03\xe8", 2));
  EXPECT_EQ(close_payload(4001, "bye"), std::string("\x0f\xa1"
                                                    "bye",
                                                    5));
  // §5.5: at most 125 bytes in all; a reason is cut before a code point that would not fit.
  const std::string reason = std::string(122, 'a') + "\xe2\x82\xac";
  const std::string p = close_payload(1001, reason);
  EXPECT_EQ(p.size(), 2U + 122U);
  EXPECT_TRUE(valid_utf8(p.substr(2)));
  EXPECT_EQ(close_payload(1001, std::string(200, 'b')).size(), 125U);
  EXPECT_EQ(close_payload(1001, std::string(123, 'b')).size(), 125U);
}

}  // namespace
}  // namespace peerhub::ws
