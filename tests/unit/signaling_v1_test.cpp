// peerhub's own dialect: login, 1:1 relay, hang-up, list paging.
#include "signaling_harness.hpp"

namespace peerhub::signaling::testing {
namespace {

TEST(SignalingV1, LoginSucceedsWithEmptyIceServersByDefault) {
  Harness h;
  ConnId a = h.connect();
  h.send(a, R"({"type":"login","name":"alice","version":1})");
  json::object r = h.next(a);
  EXPECT_EQ(r["type"], "login");
  EXPECT_EQ(r["success"], true);
  EXPECT_EQ(r["name"], "alice");
  ASSERT_TRUE(r["iceServers"].is_array());
  EXPECT_TRUE(r["iceServers"].as_array().empty());
}

TEST(SignalingV1, LoginCarriesConfiguredIceServersForThatNameAndTime) {
  HubConfig config;
  config.ice_servers = [](std::string_view name, std::int64_t unix_s) {
    return json::array{json::object{{"urls", "turn:127.0.0.1:3478"},
                                    {"username", std::to_string(unix_s) + ":" + std::string(name)}}};
  };
  Harness h(config);
  ConnId a = h.connect();
  h.send(a, R"({"type":"login","name":"alice","version":1})");
  json::object r = h.next(a);
  ASSERT_EQ(r["iceServers"].as_array().size(), 1u);
  EXPECT_EQ(r["iceServers"].as_array()[0].as_object().at("username"), "1700000000:alice");
}

TEST(SignalingV1, NameHeldByLiveConnectionIsRefused) {
  Harness h;
  ConnId a = h.login("alice");
  ConnId b = h.connect();
  h.send(b, R"({"type":"login","name":"alice","version":1})");
  json::object r = h.next(b);
  EXPECT_EQ(r["type"], "login");
  EXPECT_EQ(r["success"], false);
  EXPECT_EQ(r["error"], "name-taken");
  EXPECT_TRUE(h.empty(a));
  // b may pick another name afterwards.
  h.send(b, R"({"type":"login","name":"bob","version":1})");
  EXPECT_EQ(h.next(b)["success"], true);
}

TEST(SignalingV1, SecondLoginOnSameConnectionIsRefused) {
  Harness h;
  ConnId a = h.login("alice");
  h.send(a, R"({"type":"login","name":"alice2","version":1})");
  json::object r = h.next(a);
  EXPECT_EQ(r["success"], false);
  EXPECT_EQ(r["error"], "already-logged-in");
}

TEST(SignalingV1, InvalidNamesAreRefused) {
  HubConfig config;
  config.max_name_length = 8;
  Harness h(config);
  ConnId a = h.connect();
  for (const char* bad : {R"("")", R"("123456789")", R"("a\u0001b")", R"("tab\there")", R"("del\u007f")"}) {
    h.send(a, std::string(R"({"type":"login","version":1,"name":)") + bad + "}");
    json::object r = h.next(a);
    EXPECT_EQ(r["success"], false) << bad;
    EXPECT_EQ(r["error"], "invalid-name") << bad;
  }
  h.send(a, R"({"type":"login","version":1,"name":"12345678"})");
  EXPECT_EQ(h.next(a)["success"], true);
}

TEST(SignalingV1, LoginFieldErrorsNameTheField) {
  Harness h;
  ConnId a = h.connect();
  h.send(a, R"({"type":"login","version":1})");
  json::object r = h.next(a);
  EXPECT_EQ(r["error"], "missing-field");
  EXPECT_NE(r["message"].as_string().find("name"), json::string::npos);
  h.send(a, R"({"type":"login","version":1,"name":7})");
  EXPECT_EQ(h.next(a)["error"], "wrong-type");
  h.send(a, R"({"type":"login","version":2,"name":"alice"})");
  EXPECT_EQ(h.next(a)["error"], "bad-value");
}

TEST(SignalingV1, OfferAnswerCandidateRelayWithSenderName) {
  Harness h;
  ConnId a = h.login("alice");
  ConnId b = h.login("bob");
  // "myName" is never trusted: the sender is the connection.
  h.send(a, R"({"type":"offer","name":"bob","myName":"mallory","offer":{"type":"offer","sdp":"v=0\r\n"}})");
  json::object o = h.next(b);
  EXPECT_EQ(o["type"], "offer");
  EXPECT_EQ(o["name"], "alice");
  EXPECT_EQ(o["offer"], (json::object{{"type", "offer"}, {"sdp", "v=0\r\n"}}));
  EXPECT_TRUE(h.empty(a));

  h.send(b, R"({"type":"answer","name":"alice","answer":{"type":"answer","sdp":"x"}})");
  json::object an = h.next(a);
  EXPECT_EQ(an["type"], "answer");
  EXPECT_EQ(an["name"], "bob");
  EXPECT_EQ(an["answer"].as_object().at("sdp"), "x");

  h.send(
      a,
      R"({"type":"candidate","name":"bob","candidate":{"candidate":"candidate:1 1 udp 1 127.0.0.1 9 typ host","sdpMid":"0"}})");
  json::object c = h.next(b);
  EXPECT_EQ(c["type"], "candidate");
  EXPECT_EQ(c["name"], "alice");
  EXPECT_EQ(c["candidate"].as_object().at("sdpMid"), "0");
}

TEST(SignalingV1, UnknownTargetIsAnErrorForTheSenderOnly) {
  Harness h;
  ConnId a = h.login("alice");
  ConnId b = h.login("bob");
  h.send(a, R"({"type":"offer","name":"carol","offer":{}})");
  json::object e = h.expect_error(a, "unknown-target");
  EXPECT_NE(e["message"].as_string().find("carol"), json::string::npos);
  EXPECT_TRUE(h.empty(b));
}

TEST(SignalingV1, PayloadMustBeAnObject) {
  Harness h;
  ConnId a = h.login("alice");
  ConnId b = h.login("bob");
  h.send(a, R"({"type":"offer","name":"bob","offer":"v=0"})");
  h.expect_error(a, "wrong-type");
  h.send(a, R"({"type":"answer","name":"bob"})");
  h.expect_error(a, "missing-field");
  h.send(a, R"({"type":"offer","offer":{}})");
  h.expect_error(a, "missing-field");
  h.send(a, R"({"type":"offer","name":5,"offer":{}})");
  h.expect_error(a, "wrong-type");
  EXPECT_TRUE(h.empty(b));
  // End of candidates (null) is passed on.
  h.send(a, R"({"type":"candidate","name":"bob","candidate":null})");
  EXPECT_TRUE(h.next(b)["candidate"].is_null());
}

TEST(SignalingV1, LeaveHangsUpWithOptionalReason) {
  Harness h;
  ConnId a = h.login("alice");
  ConnId b = h.login("bob");
  h.send(a, R"({"type":"offer","name":"bob","offer":{}})");
  h.next(b);
  h.send(b, R"({"type":"leave","name":"alice","reason":"busy"})");
  json::object l = h.next(a);
  EXPECT_EQ(l["type"], "leave");
  EXPECT_EQ(l["name"], "bob");
  EXPECT_EQ(l["reason"], "busy");

  h.send(a, R"({"type":"leave","name":"bob"})");
  json::object l2 = h.next(b);
  EXPECT_EQ(l2["name"], "alice");
  EXPECT_FALSE(l2.contains("reason"));

  h.send(a, R"({"type":"leave","name":"bob","reason":"bored"})");
  h.expect_error(a, "bad-value");
  h.send(a, R"({"type":"leave"})");
  h.expect_error(a, "missing-field");
  EXPECT_TRUE(h.empty(b));
}

TEST(SignalingV1, UnknownTypeIsAnErrorAndTheConnectionStays) {
  Harness h;
  ConnId a = h.login("alice");
  ConnId b = h.login("bob");
  h.send(a, R"({"type":"dance"})");
  json::object e = h.expect_error(a, "unknown-type");
  EXPECT_EQ(e["message"], "Unrecognized command: dance");
  h.send(a, R"({"type":"offer","name":"bob","offer":{}})");
  EXPECT_EQ(h.next(b)["type"], "offer");
}

TEST(SignalingV1, ListIsPagedInNameOrderWithACursor) {
  HubConfig config;
  config.list_page_size = 2;
  Harness h(config);
  ConnId e = h.login("eve");
  h.login("bob");
  h.login("dave");
  h.login("alice");
  h.login("carol");

  h.send(e, R"({"type":"list"})");
  json::object p1 = h.next(e);
  EXPECT_EQ(p1["type"], "list");
  EXPECT_EQ(p1["names"], (json::array{"alice", "bob"}));
  EXPECT_EQ(p1["total"], 5);
  EXPECT_EQ(p1["next"], "bob");

  // Someone who joins before the cursor does not shift the next page.
  h.login("aaron");
  h.send(e, R"({"type":"list","after":"bob"})");
  json::object p2 = h.next(e);
  EXPECT_EQ(p2["names"], (json::array{"carol", "dave"}));
  EXPECT_EQ(p2["next"], "dave");

  h.send(e, R"({"type":"list","after":"dave"})");
  json::object p3 = h.next(e);
  EXPECT_EQ(p3["names"], (json::array{"eve"}));
  EXPECT_FALSE(p3.contains("next"));

  h.send(e, R"({"type":"list","after":3})");
  h.expect_error(e, "wrong-type");
}

TEST(SignalingV1, NamesWithQuotesAndUnicodeAreEscapedCorrectly) {
  Harness h;
  ConnId a = h.login("al\"ice\\ \xc3\xa9");
  ConnId b = h.login("bob");
  h.send(a, R"({"type":"offer","name":"bob","offer":{"sdp":"line1\r\nline2 \"q\""}})");
  json::object o = h.next(b);
  EXPECT_EQ(o["name"], "al\"ice\\ \xc3\xa9");
  EXPECT_EQ(o["offer"].as_object().at("sdp"), "line1\r\nline2 \"q\"");
  // And back, by that name.
  h.send_json(b,
              json::object{{"type", "answer"}, {"name", "al\"ice\\ \xc3\xa9"}, {"answer", json::object{}}});
  EXPECT_EQ(h.next(a)["name"], "bob");
}

}  // namespace
}  // namespace peerhub::signaling::testing

namespace peerhub::signaling::testing {
namespace {

TEST(SignalingV1, PayloadTextIsRelayedByteForByte) {
  Harness h;
  h.login("alice");
  ConnId b = h.login("bob");
  ConnId a = 1;
  h.send(a, R"({"type":"offer","name":"bob","offer":{ "sdp" : "x\u00e9", "n": 1.50 }})");
  std::string text = h.next_raw(b);
  EXPECT_NE(text.find(R"({ "sdp" : "x\u00e9", "n": 1.50 })"), std::string::npos) << text;
  EXPECT_EQ(json::parse(text).at("name"), "alice");
}

}  // namespace
}  // namespace peerhub::signaling::testing
