// The Java-WebSocket tutorial's dialect, and calls between dialects.
#include "signaling_harness.hpp"

namespace peerhub::signaling::testing {
namespace {

TEST(SignalingJava, LoginWithoutVersionSucceeds) {
  Harness h;
  ConnId a = h.connect();
  h.send(a, R"({"type":"login","name":"alice"})");
  json::object r = h.next(a);
  EXPECT_EQ(r["type"], "login");
  EXPECT_EQ(r["success"], true);
}

TEST(SignalingJava, PayloadsAreDeliveredAsJsonStrings) {
  Harness h;
  ConnId a = h.login_java("alice");
  ConnId b = h.login_java("bob");
  h.send(a, R"({"type":"offer","offer":{"type":"offer","sdp":"v=0\r\n"},"name":"bob","myName":"mallory"})");
  json::object o = h.next(b);
  EXPECT_EQ(o["type"], "offer");
  EXPECT_EQ(o["name"], "alice");
  ASSERT_TRUE(o["offer"].is_string());
  // The browser client JSON.parses it.
  EXPECT_EQ(json::parse(o["offer"].as_string()), (json::object{{"type", "offer"}, {"sdp", "v=0\r\n"}}));
}

TEST(SignalingJava, AStringPayloadIsNotEncodedTwice) {
  Harness h;
  ConnId a = h.login_java("alice");
  ConnId b = h.login_java("bob");
  h.send(a, R"({"type":"offer","offer":"{\"type\":\"offer\",\"sdp\":\"x\"}","name":"bob"})");
  json::object o = h.next(b);
  EXPECT_EQ(o["offer"], R"({"type":"offer","sdp":"x"})");
}

TEST(SignalingJava, AnswerWithoutNameGoesBackToTheOfferer) {
  Harness h;
  ConnId a = h.login_java("alice");
  ConnId b = h.login_java("bob");
  ConnId c = h.login_java("carol");
  h.send(a, R"({"type":"offer","offer":{},"name":"bob"})");
  h.next(b);
  h.send(b, R"({"type":"answer","answer":{"type":"answer","sdp":"y"},"name":""})");
  json::object an = h.next(a);
  EXPECT_EQ(an["type"], "answer");
  EXPECT_EQ(an["name"], "bob");
  EXPECT_EQ(json::parse(an["answer"].as_string()).as_object().at("sdp"), "y");
  EXPECT_TRUE(h.empty(c));
  // Without a name field at all, too.
  h.send(b, R"({"type":"answer","answer":{}})");
  EXPECT_EQ(h.next(a)["type"], "answer");
}

TEST(SignalingJava, CandidateAndLeaveWithEmptyOrUnknownNameGoToTheCallPartner) {
  Harness h;
  ConnId a = h.login_java("alice");
  ConnId b = h.login_java("bob");
  h.send(a, R"({"type":"offer","offer":{},"name":"bob"})");
  h.next(b);
  h.send(a, R"({"type":"candidate","candidate":{"candidate":"c1"},"name":""})");
  json::object c1 = h.next(b);
  EXPECT_EQ(c1["type"], "candidate");
  EXPECT_EQ(json::parse(c1["candidate"].as_string()).as_object().at("candidate"), "c1");
  h.send(b, R"({"type":"candidate","candidate":{"candidate":"c2"},"name":"nobody"})");
  EXPECT_EQ(h.next(a)["name"], "bob");
  h.send(b, R"({"type":"leave","name":""})");
  json::object l = h.next(a);
  EXPECT_EQ(l["type"], "leave");
  EXPECT_EQ(l["name"], "bob");
  // The call is over: a candidate without a name has nowhere to go.
  h.send(a, R"({"type":"candidate","candidate":{}})");
  h.expect_error(a, "unknown-target");
}

TEST(SignalingJava, UnknownTypeGetsExactlyTheTutorialsError) {
  Harness h;
  ConnId a = h.login_java("alice");
  h.send(a, R"({"type":"list"})");
  EXPECT_EQ(h.next_raw(a), R"({"type":"error","message":"Unrecognized command: list"})");
  h.send(a, R"({"type":"ha\"x"})");
  EXPECT_EQ(h.next_raw(a), R"({"type":"error","message":"Unrecognized command: ha\"x"})");
}

TEST(SignalingJava, SecondLoginWithALiveNameIsRefused) {
  Harness h;
  ConnId a = h.login_java("alice");
  ConnId b = h.connect();
  h.send(b, R"({"type":"login","name":"alice"})");
  json::object r = h.next(b);
  EXPECT_EQ(r["type"], "login");
  EXPECT_EQ(r["success"], false);
  // alice keeps her name: an offer to "alice" still reaches a.
  ConnId c = h.login_java("carol");
  h.send(c, R"({"type":"offer","offer":{},"name":"alice"})");
  EXPECT_EQ(h.next(a)["name"], "carol");
  EXPECT_TRUE(h.empty(b));
}

TEST(SignalingJava, OfferToUnknownNameIsAnError) {
  Harness h;
  ConnId a = h.login_java("alice");
  h.send(a, R"({"type":"offer","offer":{},"name":"bob"})");
  h.expect_error(a, "unknown-target");
  h.send(a, R"({"type":"offer","name":"alice"})");
  h.expect_error(a, "missing-field");
}

TEST(SignalingCrossDialect, V1CallerAndJavaCalleeEachGetTheirOwnShape) {
  Harness h;
  ConnId a = h.login("alice");     // v1
  ConnId b = h.login_java("bob");  // Java
  h.send(a, R"({"type":"offer","name":"bob","offer":{"type":"offer","sdp":"s"}})");
  json::object o = h.next(b);
  ASSERT_TRUE(o["offer"].is_string());
  EXPECT_EQ(json::parse(o["offer"].as_string()).as_object().at("sdp"), "s");
  h.send(b, R"({"type":"answer","answer":{"type":"answer","sdp":"t"}})");
  json::object an = h.next(a);
  EXPECT_EQ(an["name"], "bob");
  EXPECT_EQ(an["answer"].as_object().at("sdp"), "t");
}

}  // namespace
}  // namespace peerhub::signaling::testing
