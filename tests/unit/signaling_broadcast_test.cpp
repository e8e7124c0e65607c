// The broadcast demo: connections that never log in relay offer / answer / candidate without a target to
// every other such connection, unchanged.
#include "signaling_harness.hpp"

namespace peerhub::signaling::testing {
namespace {

TEST(SignalingBroadcast, MessageWithoutTargetReachesEveryOtherAnonymousConnectionUnchanged) {
  Harness h;
  ConnId recorder = h.connect();
  ConnId w1 = h.connect();
  ConnId w2 = h.connect();
  ConnId logged = h.login("alice");
  const std::string offer = R"({"type":"offer","offer":{"type":"offer","sdp":"v=0"},"extra":[1,2]})";
  h.send(recorder, offer);
  EXPECT_EQ(h.next_raw(w1), offer);
  EXPECT_EQ(h.next_raw(w2), offer);
  EXPECT_TRUE(h.empty(recorder));
  EXPECT_TRUE(h.empty(logged));

  h.send(w1, R"({"type":"answer","answer":{"sdp":"a"}})");
  EXPECT_EQ(h.next_raw(recorder), R"({"type":"answer","answer":{"sdp":"a"}})");
  EXPECT_EQ(h.next_raw(w2), R"({"type":"answer","answer":{"sdp":"a"}})");
  h.send(w2, R"({"type":"candidate","candidate":{"candidate":"c"},"name":""})");
  EXPECT_EQ(h.pending(recorder), 1u);
  EXPECT_EQ(h.pending(w1), 1u);
  EXPECT_TRUE(h.same_text(recorder, w1));
}

TEST(SignalingBroadcast, ConnectionThatLogsInLeavesTheBroadcastAndOneThatDropsToo) {
  Harness h;
  ConnId a = h.connect();
  ConnId b = h.connect();
  ConnId c = h.connect();
  h.send(b, R"({"type":"login","name":"bob","version":1})");
  h.next(b);
  h.disconnect(c);
  h.send(a, R"({"type":"offer","offer":{}})");
  EXPECT_TRUE(h.empty(b));
  ConnId d = h.connect();
  h.send(d, R"({"type":"offer","offer":{}})");
  EXPECT_EQ(h.pending(a), 1u);
}

TEST(SignalingBroadcast, WithATargetAnAnonymousConnectionMustLogInFirst) {
  Harness h;
  ConnId a = h.connect();
  ConnId b = h.connect();
  h.login("bob");
  h.send(a, R"({"type":"offer","name":"bob","offer":{}})");
  h.expect_error(a, "not-logged-in");
  h.send(a, R"({"type":"leave","name":"bob"})");
  h.expect_error(a, "not-logged-in");
  EXPECT_TRUE(h.empty(b));
}

TEST(SignalingBroadcast, AuthenticationTurnsTheBroadcastOff) {
  HubConfig config;
  config.auth_secret = "s3cret";
  Harness h(config);
  ConnId a = h.connect();
  ConnId b = h.connect();
  h.send(a, R"({"type":"offer","offer":{}})");
  h.expect_error(a, "not-logged-in");
  EXPECT_TRUE(h.empty(b));
}

}  // namespace
}  // namespace peerhub::signaling::testing
