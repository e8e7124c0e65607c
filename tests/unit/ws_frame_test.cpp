// RFC 6455 framing: the §5.7 examples, the writer, and feeding in pieces.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "ws/frame.hpp"

namespace peerhub::ws {
namespace {

struct Got {
  Event::Kind kind;
  std::string payload;
  std::uint16_t code;
  std::string reason;
  bool operator==(const Got&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Got& g) {
  return os << "{kind " << static_cast<int>(g.kind) << ", payload[" << g.payload.size() << "] \""
            << g.payload.substr(0, 40) << "\", code " << g.code << ", reason \"" << g.reason << "\"}";
}

std::string bytes(std::initializer_list<int> list) {
  std::string s;
  for (int b : list)
    s.push_back(static_cast<char>(b));
  return s;
}

// Feeds `wire` in chunks of `chunk` bytes (0: all at once) and returns every event.
std::vector<Got> parse(Role role, std::string wire, std::size_t chunk = 0, std::size_t max = 1 << 20) {
  Parser parser(role, max);
  std::vector<Got> got;
  auto sink = [&](const Event& e) {
    got.push_back({e.kind, std::string(e.payload), e.code, std::string(e.reason)});
  };
  if (chunk == 0) chunk = wire.size();
  for (std::size_t at = 0; at < wire.size(); at += chunk) {
    const std::size_t n = std::min(chunk, wire.size() - at);
    if (!parser.feed(std::span<char>(wire.data() + at, n), sink)) break;
  }
  return got;
}

const std::string kHelloUnmasked = bytes({0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f});
const std::string kHelloMasked = bytes({0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58});

TEST(WsFrame, Rfc6455UnmaskedHelloFromServer) {
  EXPECT_EQ(parse(Role::client, kHelloUnmasked), (std::vector<Got>{{Event::Kind::text, "Hello", 0, ""}}));
}

TEST(WsFrame, Rfc6455MaskedHelloFromClient) {
  EXPECT_EQ(parse(Role::server, kHelloMasked), (std::vector<Got>{{Event::Kind::text, "Hello", 0, ""}}));
}

TEST(WsFrame, Rfc6455FragmentedHello) {
  const std::string wire = bytes({0x01, 0x03, 0x48, 0x65, 0x6c}) + bytes({0x80, 0x02, 0x6c, 0x6f});
  EXPECT_EQ(parse(Role::client, wire), (std::vector<Got>{{Event::Kind::text, "Hello", 0, ""}}));
}

TEST(WsFrame, Rfc6455PingAndMaskedPong) {
  EXPECT_EQ(parse(Role::client, bytes({0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f})),
            (std::vector<Got>{{Event::Kind::ping, "Hello", 0, ""}}));
  EXPECT_EQ(parse(Role::server, bytes({0x8a, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58})),
            (std::vector<Got>{{Event::Kind::pong, "Hello", 0, ""}}));
}

TEST(WsFrame, Rfc6455SixteenAndSixtyFourBitLengths) {
  std::string small(256, '\0');
  for (std::size_t i = 0; i < small.size(); ++i)
    small[i] = static_cast<char>(i);
  EXPECT_EQ(parse(Role::client, bytes({0x82, 0x7e, 0x01, 0x00}) + small),
            (std::vector<Got>{{Event::Kind::binary, small, 0, ""}}));
  const std::string big(65536, 'x');
  EXPECT_EQ(parse(Role::client, bytes({0x82, 0x7f, 0, 0, 0, 0, 0, 1, 0, 0}) + big),
            (std::vector<Got>{{Event::Kind::binary, big, 0, ""}}));
}

TEST(WsFrame, WriterProducesTheRfcBytes) {
  std::string out;
  append_frame(out, Opcode::text, "Hello");
  EXPECT_EQ(out, kHelloUnmasked);
  out.clear();
  append_frame(out, Opcode::text, "Hello", 0x37fa213d);
  EXPECT_EQ(out, kHelloMasked);
  out.clear();
  append_frame(out, Opcode::text, "Hel", 0, false);
  append_frame(out, Opcode::continuation, "lo");
  EXPECT_EQ(out, bytes({0x01, 0x03, 0x48, 0x65, 0x6c, 0x80, 0x02, 0x6c, 0x6f}));
  out.clear();
  append_frame(out, Opcode::binary, std::string(256, 'a'));
  EXPECT_EQ(out.substr(0, 4), bytes({0x82, 0x7e, 0x01, 0x00}));
  EXPECT_EQ(out.size(), 4U + 256U);
  out.clear();
  append_frame(out, Opcode::binary, std::string(65536, 'a'));
  EXPECT_EQ(out.substr(0, 10), bytes({0x82, 0x7f, 0, 0, 0, 0, 0, 1, 0, 0}));
  out.clear();
  append_frame(out, Opcode::binary, std::string(125, 'a'));
  EXPECT_EQ(out.substr(0, 2), bytes({0x82, 125}));  // the largest 7-bit length
}

TEST(WsFrame, MaskedRoundTripAtEveryLengthAndKey) {
  // Lengths around the 8-byte unmasking step and the 7/16/64-bit length boundaries.
  for (std::size_t len : {0U, 1U, 3U, 7U, 8U, 9U, 15U, 16U, 17U, 125U, 126U, 127U, 65535U, 65536U, 70001U}) {
    std::string payload(len, '\0');
    for (std::size_t i = 0; i < len; ++i)
      payload[i] = static_cast<char>((i * 7 + 3) & 0xff);
    for (std::uint32_t key : {0x01020304U, 0xffffffffU, 0x80000001U}) {
      std::string wire;
      append_frame(wire, Opcode::binary, payload, key);
      ASSERT_EQ(parse(Role::server, wire), (std::vector<Got>{{Event::Kind::binary, payload, 0, ""}}))
          << "len " << len;
      // Split mid-payload at an odd offset, so the second piece starts at a mask phase other than 0.
      ASSERT_EQ(parse(Role::server, wire, 5), (std::vector<Got>{{Event::Kind::binary, payload, 0, ""}}));
    }
  }
}

TEST(WsFrame, NonMinimalLengthIsAccepted) {
  // "Hello" announced with a 16-bit length although 7 bits would do; §5.2 says SHOULD be minimal, we accept.
  const std::string wire =
      bytes({0x81, 0xfe, 0x00, 0x05, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58});
  EXPECT_EQ(parse(Role::server, wire), (std::vector<Got>{{Event::Kind::text, "Hello", 0, ""}}));
}

// A stream with every kind of frame, including control frames between fragments (§5.4).
std::string mixed_stream() {
  std::string w;
  const std::uint32_t key = 0xa1b2c3d4;
  append_frame(w, Opcode::text, "first", key);
  append_frame(w, Opcode::text, "fragm", key, false);
  append_frame(w, Opcode::ping, "are you there", key);
  append_frame(w, Opcode::continuation, "", key, false);
  append_frame(w, Opcode::pong, "", key);
  append_frame(w, Opcode::continuation, "ented \xe2\x82\xac", key);
  append_frame(w, Opcode::binary, std::string(300, '\x01'), key);
  append_frame(w, Opcode::binary, std::string(70000, '\x02'), key, false);
  append_frame(w, Opcode::continuation, std::string(10, '\x03'), key);
  append_frame(w, Opcode::text, "", key);
  append_frame(w, Opcode::text, "abc", key, false);
  append_frame(w, Opcode::continuation, "", key);  // an empty final fragment ends the message
  append_frame(w, Opcode::close, close_payload(1000, "bye"), key);
  return w;
}

TEST(WsFrame, ControlFramesBetweenFragments) {
  const std::vector<Got> expected = {
      {Event::Kind::text, "first", 0, ""},
      {Event::Kind::ping, "are you there", 0, ""},
      {Event::Kind::pong, "", 0, ""},
      {Event::Kind::text, "fragmented \xe2\x82\xac", 0, ""},
      {Event::Kind::binary, std::string(300, '\x01'), 0, ""},
      {Event::Kind::binary, std::string(70000, '\x02') + std::string(10, '\x03'), 0, ""},
      {Event::Kind::text, "", 0, ""},
      {Event::Kind::text, "abc", 0, ""},
      {Event::Kind::close, close_payload(1000, "bye"), 1000, "bye"},
  };
  EXPECT_EQ(parse(Role::server, mixed_stream()), expected);
}

TEST(WsFrame, ByteAtATimeEqualsOneShot) {
  const auto one_shot = parse(Role::server, mixed_stream());
  EXPECT_EQ(parse(Role::server, mixed_stream(), 1), one_shot);
  for (std::size_t chunk : {2U, 3U, 7U, 13U, 4096U})
    EXPECT_EQ(parse(Role::server, mixed_stream(), chunk), one_shot);
}

TEST(WsFrame, RandomSplitsEqualOneShot) {
  const auto one_shot = parse(Role::server, mixed_stream());
  std::mt19937 rng(6455);
  for (int round = 0; round < 50; ++round) {
    std::string wire = mixed_stream();
    Parser parser(Role::server, 1 << 20);
    std::vector<Got> got;
    auto sink = [&](const Event& e) {
      got.push_back({e.kind, std::string(e.payload), e.code, std::string(e.reason)});
    };
    for (std::size_t at = 0; at < wire.size();) {
      const std::size_t n = std::min<std::size_t>(rng() % 40 + 1, wire.size() - at);
      ASSERT_TRUE(parser.feed(std::span<char>(wire.data() + at, n), sink));
      at += n;
    }
    EXPECT_EQ(got, one_shot);
    EXPECT_TRUE(parser.idle());
  }
}

TEST(WsFrame, WholeFrameIsHandedOutWithoutCopying) {
  std::string wire;
  append_frame(wire, Opcode::binary, std::string(1000, 'z'), 0x11223344);
  Parser parser(Role::server, 4096);
  const char* payload_at = nullptr;
  parser.feed(std::span<char>(wire), [&](const Event& e) { payload_at = e.payload.data(); });
  // The view points into the caller's bytes (unmasked in place), right after the 8-byte header.
  EXPECT_EQ(payload_at, wire.data() + 8);
  EXPECT_EQ(wire.substr(8), std::string(1000, 'z'));
}

TEST(WsFrame, CloseFrames) {
  std::string wire;
  append_frame(wire, Opcode::close, "", 1);
  EXPECT_EQ(parse(Role::server, wire), (std::vector<Got>{{Event::Kind::close, "", 1005, ""}}));
  for (std::uint16_t code :
       std::initializer_list<std::uint16_t>{1000, 1001, 1003, 1007, 1011, 1013, 1014, 3000, 4999}) {
    wire.clear();
    append_frame(wire, Opcode::close, close_payload(code, "r\xc3\xa9"), 1);
    EXPECT_EQ(parse(Role::server, wire),
              (std::vector<Got>{{Event::Kind::close, close_payload(code, "r\xc3\xa9"), code, "r\xc3\xa9"}}))
        << code;
  }
}

TEST(WsFrame, IdleBetweenFramesOnly) {
  std::string wire;
  append_frame(wire, Opcode::text, "abc", 5, false);
  append_frame(wire, Opcode::continuation, "def", 5);
  Parser parser(Role::server, 100);
  auto sink = [](const Event&) {};
  EXPECT_TRUE(parser.idle());
  parser.feed(std::span<char>(wire.data(), 1), sink);
  EXPECT_FALSE(parser.idle());  // half a header
  parser.feed(std::span<char>(wire.data() + 1, 8), sink);
  EXPECT_FALSE(parser.idle());  // between the fragments of a message
  parser.feed(std::span<char>(wire.data() + 9, wire.size() - 9), sink);
  EXPECT_TRUE(parser.idle());
}

}  // namespace
}  // namespace peerhub::ws
