// The Android tutorial's dialect: SignIn / StartStreaming / Offer / Answer / IceCandidates / EndCall.
#include "signaling_harness.hpp"

namespace peerhub::signaling::testing {
namespace {

TEST(SignalingAndroid, SignInGetsNoReplyLikeTheTutorialServer) {
  Harness h;
  ConnId a = h.connect();
  h.send(a, R"({"type":"SignIn","username":"phone","target":null,"data":null})");
  EXPECT_TRUE(h.empty(a));
  EXPECT_EQ(h.hub().metrics().logins_ok, 1u);
}

TEST(SignalingAndroid, StartStreamingOfferAnswerCandidatesRelayByTargetWithDataUntouched) {
  Harness h;
  ConnId phone = h.sign_in("phone");
  ConnId viewer = h.sign_in("viewer");
  h.send(viewer, R"({"type":"StartStreaming","username":"liar","target":"phone","data":null})");
  json::object s = h.next(phone);
  EXPECT_EQ(s["type"], "StartStreaming");
  EXPECT_EQ(s["username"], "viewer");
  EXPECT_EQ(s["target"], "phone");

  h.send(
      phone,
      R"({"type":"Offer","username":"phone","target":"viewer","data":"v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n"})");
  json::object o = h.next(viewer);
  EXPECT_EQ(o["type"], "Offer");
  EXPECT_EQ(o["username"], "phone");
  EXPECT_EQ(o["data"], "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n");

  h.send(viewer, R"({"type":"Answer","username":"viewer","target":"phone","data":"v=0 answer"})");
  json::object an = h.next(phone);
  EXPECT_EQ(an["type"], "Answer");
  EXPECT_EQ(an["username"], "viewer");
  EXPECT_EQ(an["data"], "v=0 answer");

  // The client sends the candidate as a JSON-encoded string and gson-parses it back: it must stay a string.
  std::string candidate =
      R"({"sdpMid":"0","sdpMLineIndex":0,"sdpCandidate":"candidate:1 1 udp 1 127.0.0.1 9 typ host"})";
  h.send_json(
      phone,
      json::object{
          {"type", "IceCandidates"}, {"username", "phone"}, {"target", "viewer"}, {"data", candidate}});
  json::object c = h.next(viewer);
  EXPECT_EQ(c["type"], "IceCandidates");
  EXPECT_EQ(c["data"], json::value(candidate));
}

TEST(SignalingAndroid, EndCallByTargetOrToTheCurrentPartner) {
  Harness h;
  ConnId phone = h.sign_in("phone");
  ConnId viewer = h.sign_in("viewer");
  h.send(viewer, R"({"type":"StartStreaming","username":"viewer","target":"phone"})");
  h.next(phone);
  h.send(phone, R"({"type":"EndCall","username":"phone","target":"viewer"})");
  json::object e = h.next(viewer);
  EXPECT_EQ(e["type"], "EndCall");
  EXPECT_EQ(e["username"], "phone");

  h.send(viewer, R"({"type":"StartStreaming","username":"viewer","target":"phone"})");
  h.next(phone);
  h.send(phone, R"({"type":"EndCall","username":"phone","target":null,"data":null})");
  EXPECT_EQ(h.next(viewer)["type"], "EndCall");
  h.send(phone, R"({"type":"EndCall","username":"phone","target":null})");
  h.expect_error(phone, "unknown-target");
}

TEST(SignalingAndroid, UnknownTargetAndMissingFieldsAreErrors) {
  Harness h;
  ConnId phone = h.sign_in("phone");
  h.send(phone, R"({"type":"Offer","username":"phone","target":"nobody","data":"x"})");
  h.expect_error(phone, "unknown-target");
  h.send(phone, R"({"type":"Offer","username":"phone","data":"x"})");
  h.expect_error(phone, "missing-field");
  ConnId viewer = h.sign_in("viewer");
  h.send(phone, R"({"type":"Offer","username":"phone","target":"viewer"})");
  h.expect_error(phone, "missing-field");
  h.send(phone, R"({"type":"Dance","username":"phone","target":"viewer"})");
  h.expect_error(phone, "unknown-type");
  EXPECT_TRUE(h.empty(viewer));
}

TEST(SignalingAndroid, SignInWithATakenNameIsRefusedInTheDialectsShape) {
  Harness h;
  h.sign_in("phone");
  ConnId b = h.connect();
  h.send(b, R"({"type":"SignIn","username":"phone"})");
  json::object r = h.next(b);
  EXPECT_EQ(r["type"], "SignIn");
  EXPECT_EQ(r["success"], false);
  EXPECT_EQ(r["error"], "name-taken");
}

TEST(SignalingAndroid, V1CallerReachesAnAndroidPeerInItsShape) {
  Harness h;
  ConnId a = h.login("alice");
  ConnId phone = h.sign_in("phone");
  h.send(a, R"({"type":"offer","name":"phone","offer":{"type":"offer","sdp":"s"}})");
  json::object o = h.next(phone);
  EXPECT_EQ(o["type"], "Offer");
  EXPECT_EQ(o["username"], "alice");
  EXPECT_EQ(o["target"], "phone");
  EXPECT_EQ(o["data"].as_object().at("sdp"), "s");
  h.send(a, R"({"type":"leave","name":"phone"})");
  EXPECT_EQ(h.next(phone)["type"], "EndCall");
}

}  // namespace
}  // namespace peerhub::signaling::testing
