// Every way a peer can break RFC 6455 framing ends the connection with the code the RFC asks for.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ws/frame.hpp"

namespace peerhub::ws {
namespace {

std::string bytes(std::initializer_list<int> list) {
  std::string s;
  for (int b : list)
    s.push_back(static_cast<char>(b));
  return s;
}

const std::string kKey = bytes({0, 0, 0, 0});  // a zero masking key leaves the payload readable in the test

struct Outcome {
  bool fed_ok = true;
  std::vector<Event::Kind> kinds;
  std::uint16_t error_code = 0;
  std::string reason;
};

Outcome run(Role role, std::string wire, std::size_t chunk = 0) {
  Parser parser(role, 1 << 16);
  Outcome out;
  auto sink = [&](const Event& e) {
    out.kinds.push_back(e.kind);
    if (e.kind == Event::Kind::error) {
      out.error_code = e.code;
      out.reason = std::string(e.reason);
    }
  };
  if (chunk == 0) chunk = wire.size();
  for (std::size_t at = 0; at < wire.size() && out.fed_ok; at += chunk) {
    out.fed_ok = parser.feed(std::span<char>(wire.data() + at, std::min(chunk, wire.size() - at)), sink);
  }
  return out;
}

struct Case {
  const char* name;
  Role role;
  std::string wire;
  std::uint16_t code;
};

std::vector<Case> cases() {
  std::string in_message;
  append_frame(in_message, Opcode::text, "a", 9, false);
  std::string close_1byte = bytes({0x88, 0x81}) + kKey + "x";
  auto close_with = [](std::uint16_t code, std::string reason) {
    std::string w;
    append_frame(w, Opcode::close, close_payload(code, reason), 9);
    return w;
  };
  std::string text_bad;
  append_frame(text_bad, Opcode::text, "ok \xff", 9);
  std::string fragments_bad;
  append_frame(fragments_bad, Opcode::text, "\xe2\x82", 9, false);
  append_frame(fragments_bad, Opcode::continuation, "",
               9);  // a code point cut short by the end of the message
  return {
      {"rsv1", Role::server, bytes({0xc1, 0x80}) + kKey, kProtocolError},
      {"rsv2", Role::server, bytes({0xa1, 0x80}) + kKey, kProtocolError},
      {"rsv3", Role::client, bytes({0x91, 0x00}), kProtocolError},
      {"opcode 3", Role::server, bytes({0x83, 0x80}) + kKey, kProtocolError},
      {"opcode 7", Role::client, bytes({0x87, 0x00}), kProtocolError},
      {"opcode 0xB", Role::server, bytes({0x8b, 0x80}) + kKey, kProtocolError},
      {"opcode 0xF", Role::client, bytes({0x8f, 0x00}), kProtocolError},
      {"unmasked from client", Role::server, bytes({0x81, 0x01, 'a'}), kProtocolError},
      {"masked from server", Role::client, bytes({0x81, 0x81}) + kKey + "a", kProtocolError},
      {"ping of 126 bytes", Role::server, bytes({0x89, 0xfe, 0x00, 0x7e}) + kKey + std::string(126, 'p'),
       kProtocolError},
      {"close of 200 bytes, 64-bit length", Role::client, bytes({0x88, 0x7f, 0, 0, 0, 0, 0, 0, 0, 200}),
       kProtocolError},
      {"fragmented ping", Role::server, bytes({0x09, 0x80}) + kKey, kProtocolError},
      {"fragmented close", Role::client, bytes({0x08, 0x00}), kProtocolError},
      {"continuation first", Role::server, bytes({0x80, 0x81}) + kKey + "a", kProtocolError},
      {"continuation after a whole message", Role::client, bytes({0x81, 0x01, 'a', 0x80, 0x01, 'b'}),
       kProtocolError},
      {"text inside a fragmented message", Role::server, in_message + bytes({0x81, 0x80}) + kKey,
       kProtocolError},
      {"binary inside a fragmented message", Role::server, in_message + bytes({0x02, 0x80}) + kKey,
       kProtocolError},
      {"64-bit length with the top bit", Role::client, bytes({0x82, 0x7f, 0x80, 0, 0, 0, 0, 0, 0, 1}),
       kProtocolError},
      {"close with a 1-byte payload", Role::server, close_1byte, kProtocolError},
      {"close code 999", Role::server, close_with(999, ""), kProtocolError},
      {"close code 1004", Role::server, close_with(1004, ""), kProtocolError},
      {"close code 1005", Role::server, close_with(1005, ""), kProtocolError},
      {"close code 1006", Role::server, close_with(1006, ""), kProtocolError},
      {"close code 1015", Role::server, close_with(1015, ""), kProtocolError},
      {"close code 2999", Role::server, close_with(2999, ""), kProtocolError},
      {"close code 5000", Role::server, close_with(5000, ""), kProtocolError},
      {"close reason not UTF-8", Role::server, close_with(1000, "\xc0\xaf"), kInvalidPayload},
      {"text not UTF-8", Role::server, text_bad, kInvalidPayload},
      {"text ends inside a code point", Role::server, fragments_bad, kInvalidPayload},
  };
}

TEST(WsErrors, EachViolationFailsWithItsCode) {
  for (const Case& c : cases()) {
    for (std::size_t chunk : {std::size_t{0}, std::size_t{1}}) {
      const Outcome out = run(c.role, c.wire, chunk);
      EXPECT_FALSE(out.fed_ok) << c.name;
      ASSERT_FALSE(out.kinds.empty()) << c.name;
      EXPECT_EQ(out.kinds.back(), Event::Kind::error) << c.name;
      EXPECT_EQ(out.error_code, c.code) << c.name;
      EXPECT_FALSE(out.reason.empty()) << c.name;
    }
  }
}

TEST(WsErrors, AHeaderErrorIsReportedBeforeItsPayloadArrives) {
  // A 126-byte ping is refused from its header alone: the peer cannot make us wait for (or store) the
  // payload.
  const Outcome out = run(Role::server, bytes({0x89, 0xfe, 0x00, 0x7e}) + kKey);
  EXPECT_FALSE(out.fed_ok);
  EXPECT_EQ(out.error_code, kProtocolError);
}

TEST(WsErrors, NothingIsParsedAfterAnError) {
  Parser parser(Role::server, 1024);
  int events = 0;
  auto sink = [&](const Event&) { ++events; };
  std::string bad = bytes({0x81, 0x01, 'a'});  // unmasked from a client
  EXPECT_FALSE(parser.feed(std::span<char>(bad), sink));
  EXPECT_EQ(events, 1);
  std::string good;
  append_frame(good, Opcode::text, "hi", 7);
  EXPECT_FALSE(parser.feed(std::span<char>(good), sink));
  std::span<char> empty;
  EXPECT_FALSE(parser.feed(empty, sink));
  EXPECT_EQ(events, 1);
}

TEST(WsErrors, EventsBeforeTheErrorAreDelivered) {
  std::string wire;
  append_frame(wire, Opcode::text, "first", 3);
  wire += bytes({0xc1, 0x80}) + kKey;
  const Outcome out = run(Role::server, wire);
  EXPECT_EQ(out.kinds, (std::vector<Event::Kind>{Event::Kind::text, Event::Kind::error}));
}

TEST(WsErrors, TopBitLengthIsAnErrorNotATooBigSkip) {
  // 2^63 would otherwise look like "a too-big message" and be skipped; §5.2 makes it a protocol error.
  const Outcome out = run(Role::server, bytes({0x82, 0xff, 0x80, 0, 0, 0, 0, 0, 0, 0}) + kKey);
  EXPECT_EQ(out.kinds, (std::vector<Event::Kind>{Event::Kind::error}));
  EXPECT_EQ(out.error_code, kProtocolError);
}

}  // namespace
}  // namespace peerhub::ws
