// max_message: a too-big message is reported once and skipped without being stored, and the connection lives
// on.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ws/frame.hpp"

namespace peerhub::ws {
namespace {

struct Got {
  Event::Kind kind;
  std::string payload;
  bool operator==(const Got&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Got& g) {
  return os << "{kind " << static_cast<int>(g.kind) << ", \"" << g.payload.substr(0, 20) << "\"}";
}

std::vector<Got> parse(std::string wire, std::size_t max, std::size_t chunk) {
  Parser parser(Role::server, max);
  std::vector<Got> got;
  auto sink = [&](const Event& e) {
    got.push_back({e.kind, std::string(e.payload)});
    if (e.kind == Event::Kind::too_big) {
      EXPECT_EQ(e.code, kTooBig);
    }
  };
  for (std::size_t at = 0; at < wire.size(); at += chunk) {
    EXPECT_TRUE(parser.feed(std::span<char>(wire.data() + at, std::min(chunk, wire.size() - at)), sink));
  }
  EXPECT_TRUE(parser.idle());
  return got;
}

TEST(WsLimits, TooBigFrameIsSkippedAndTheNextMessageParses) {
  std::string wire;
  append_frame(wire, Opcode::binary, std::string(11, 'x'), 4);
  append_frame(wire, Opcode::text, "ok", 4);
  append_frame(wire, Opcode::text, std::string(10, 'y'), 4);  // exactly max_message is allowed
  for (std::size_t chunk : {std::size_t{1}, std::size_t{3}, wire.size()}) {
    EXPECT_EQ(parse(wire, 10, chunk), (std::vector<Got>{{Event::Kind::too_big, ""},
                                                        {Event::Kind::text, "ok"},
                                                        {Event::Kind::text, std::string(10, 'y')}}))
        << chunk;
  }
}

TEST(WsLimits, FragmentedMessageOverTheLimitIsReportedOnceAndSkippedToItsEnd) {
  std::string wire;
  append_frame(wire, Opcode::text, "123456", 4, false);            // 6: fits
  append_frame(wire, Opcode::continuation, "789012", 4, false);    // 12: over 10
  append_frame(wire, Opcode::ping, "still here", 4);               // control frames still work meanwhile
  append_frame(wire, Opcode::continuation, "\xff\xff", 4, false);  // skipped: not even checked as UTF-8
  append_frame(wire, Opcode::continuation, "345", 4);
  append_frame(wire, Opcode::binary, "after", 4);
  for (std::size_t chunk : {std::size_t{1}, std::size_t{5}, wire.size()}) {
    EXPECT_EQ(parse(wire, 10, chunk), (std::vector<Got>{{Event::Kind::too_big, ""},
                                                        {Event::Kind::ping, "still here"},
                                                        {Event::Kind::binary, "after"}}))
        << chunk;
  }
}

TEST(WsLimits, ANewMessageInsideASkippedOneIsStillAnError) {
  std::string wire;
  append_frame(wire, Opcode::binary, std::string(20, 'x'), 4, false);
  append_frame(wire, Opcode::text, "x", 4);
  Parser parser(Role::server, 10);
  std::vector<Event::Kind> kinds;
  EXPECT_FALSE(parser.feed(std::span<char>(wire), [&](const Event& e) { kinds.push_back(e.kind); }));
  EXPECT_EQ(kinds, (std::vector<Event::Kind>{Event::Kind::too_big, Event::Kind::error}));
}

TEST(WsLimits, HugeAnnouncedLengthIsSkippedWithoutStoringIt) {
  // 2^40 bytes announced: the parser reports too_big at once and swallows what follows.
  std::string header =
      std::string("\x82\xff", 2) + std::string("\x00\x00\x01\x00\x00\x00\x00\x00", 8) + "abcd";
  Parser parser(Role::server, 1 << 16);
  std::vector<Event::Kind> kinds;
  auto sink = [&](const Event& e) { kinds.push_back(e.kind); };
  EXPECT_TRUE(parser.feed(std::span<char>(header), sink));
  std::string junk(1 << 20, '\x81');  // would be frame headers if the skip were wrong
  for (int i = 0; i < 8; ++i)
    EXPECT_TRUE(parser.feed(std::span<char>(junk), sink));
  EXPECT_EQ(kinds, (std::vector<Event::Kind>{Event::Kind::too_big}));
  EXPECT_FALSE(parser.idle());
}

TEST(WsLimits, ControlFramesAreNotSubjectToMaxMessage) {
  std::string wire;
  append_frame(wire, Opcode::ping, std::string(125, 'p'), 4);
  EXPECT_EQ(parse(wire, 4, wire.size()), (std::vector<Got>{{Event::Kind::ping, std::string(125, 'p')}}));
}

}  // namespace
}  // namespace peerhub::ws
