// Finding a member's text in an already-validated JSON object.
#include <gtest/gtest.h>

#include "signaling/raw_member.hpp"

namespace peerhub::signaling {
namespace {

TEST(SignalingRawMember, FindsTheExactTextOfEachKindOfValue) {
  std::string_view text =
      R"( { "type" : "offer", "offer":{"sdp":"a}]\"{[","n":[1,{"x":"}"}]} ,"n":-1.5e3,"t":true,"z":null,"s":"q\"" } )";
  EXPECT_EQ(raw_member(text, "type"), R"("offer")");
  EXPECT_EQ(raw_member(text, "offer"), R"({"sdp":"a}]\"{[","n":[1,{"x":"}"}]})");
  EXPECT_EQ(raw_member(text, "n"), "-1.5e3");
  EXPECT_EQ(raw_member(text, "t"), "true");
  EXPECT_EQ(raw_member(text, "z"), "null");
  EXPECT_EQ(raw_member(text, "s"), R"("q\"")");
  EXPECT_EQ(raw_member(text, "sdp"), std::nullopt) << "only top-level members";
  EXPECT_EQ(raw_member(text, "missing"), std::nullopt);
}

TEST(SignalingRawMember, DefersToTheParserWhenInDoubt) {
  EXPECT_EQ(raw_member(R"({"a":1,"a":2})", "a"), std::nullopt);
  EXPECT_EQ(raw_member(R"({"\u0061":1})", "a"), std::nullopt);
  EXPECT_EQ(raw_member(R"([1,2])", "a"), std::nullopt);
  EXPECT_EQ(raw_member(R"({"a":{"b":1})", "a"), std::nullopt);
  EXPECT_EQ(raw_member(R"({"a":"open)", "a"), std::nullopt);
  EXPECT_EQ(raw_member("", "a"), std::nullopt);
  EXPECT_EQ(raw_member("{}", "a"), std::nullopt);
}

}  // namespace
}  // namespace peerhub::signaling
