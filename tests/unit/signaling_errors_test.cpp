// Bad input gets an error naming what was wrong; the connection stays and nobody else is affected.
#include "signaling_harness.hpp"

namespace peerhub::signaling::testing {
namespace {

class SignalingErrors : public ::testing::Test {
 protected:
  void SetUp() override {
    a_ = h_.login("alice");
    b_ = h_.login("bob");
  }
  // After an error, alice can still call bob.
  void expect_still_works() {
    h_.send(a_, R"({"type":"offer","name":"bob","offer":{}})");
    EXPECT_EQ(h_.next(b_)["type"], "offer");
    EXPECT_TRUE(h_.empty(a_));
    EXPECT_TRUE(h_.empty(b_));
  }
  Harness h_;
  ConnId a_ = 0;
  ConnId b_ = 0;
};

TEST_F(SignalingErrors, MalformedJson) {
  for (const char* bad : {"{", "{\"type\":}", "not json", "", "{\"type\":\"offer\"} trailing", "\xff\xfe"}) {
    h_.send(a_, bad);
    json::object e = h_.expect_error(a_, "malformed-json");
    EXPECT_NE(e["message"].as_string().find("JSON"), json::string::npos) << bad;
  }
  expect_still_works();
}

TEST_F(SignalingErrors, NestingBombIsRefused) {
  h_.send(a_, std::string(1000, '[') + std::string(1000, ']'));
  h_.expect_error(a_, "malformed-json");
  expect_still_works();
}

TEST_F(SignalingErrors, NotAnObject) {
  for (const char* bad : {"[]", "42", "\"offer\"", "null", "true"}) {
    h_.send(a_, bad);
    h_.expect_error(a_, "not-object");
  }
  expect_still_works();
}

TEST_F(SignalingErrors, MissingOrWrongTypedType) {
  h_.send(a_, R"({"name":"bob"})");
  json::object e = h_.expect_error(a_, "missing-field");
  EXPECT_NE(e["message"].as_string().find("type"), json::string::npos);
  h_.send(a_, R"({"type":1})");
  h_.expect_error(a_, "wrong-type");
  h_.send(a_, R"({"type":null})");
  h_.expect_error(a_, "wrong-type");
  expect_still_works();
}

TEST_F(SignalingErrors, BinaryFrame) {
  h_.binary(a_);
  json::object e = h_.expect_error(a_, "binary");
  EXPECT_NE(e["message"].as_string().find("binary"), json::string::npos);
  expect_still_works();
}

TEST_F(SignalingErrors, OversizedMessageNamesTheLimit) {
  h_.oversized(a_, 65536);
  json::object e = h_.expect_error(a_, "too-large");
  EXPECT_EQ(e["message"], "message too large: limit is 65536 bytes");
  EXPECT_EQ(h_.hub().metrics().errors[static_cast<std::size_t>(ErrorKind::kTooLarge)], 1u);
  expect_still_works();
}

TEST_F(SignalingErrors, BeforeLoginOnlyLoginAndTheBroadcastAreAccepted) {
  ConnId c = h_.connect();
  h_.send(c, R"({"type":"list"})");
  h_.expect_error(c, "not-logged-in");
  h_.send(c, R"({"type":"whatever"})");
  h_.expect_error(c, "unknown-type");
}

}  // namespace
}  // namespace peerhub::signaling::testing
