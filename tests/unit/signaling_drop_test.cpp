// A dropped connection hangs up every call it was in, in each partner's dialect, and frees its name.
#include "signaling_harness.hpp"

namespace peerhub::signaling::testing {
namespace {

TEST(SignalingDrop, EveryCallPartnerGetsALeaveInItsOwnDialect) {
  Harness h;
  ConnId alice = h.login("alice");
  ConnId v1 = h.login("bob");
  ConnId java = h.login_java("carol");
  ConnId android = h.sign_in("dave");
  ConnId bystander = h.login("eve");
  h.send(alice, R"({"type":"offer","name":"bob","offer":{}})");
  h.send(alice, R"({"type":"offer","name":"carol","offer":{}})");
  h.send(alice, R"({"type":"offer","name":"dave","offer":{}})");
  h.next(v1);
  h.next(java);
  h.next(android);

  h.disconnect(alice);
  EXPECT_EQ(h.next(v1), (json::object{{"type", "leave"}, {"name", "alice"}}));
  EXPECT_EQ(h.next(java), (json::object{{"type", "leave"}, {"name", "alice"}}));
  json::object end = h.next(android);
  EXPECT_EQ(end["type"], "EndCall");
  EXPECT_EQ(end["username"], "alice");
  EXPECT_TRUE(h.empty(bystander));
}

TEST(SignalingDrop, TheNameIsFreedAndLookupsFailCleanly) {
  Harness h;
  ConnId a = h.login("alice");
  ConnId b = h.login("bob");
  h.disconnect(a);
  h.send(b, R"({"type":"offer","name":"alice","offer":{}})");
  h.expect_error(b, "unknown-target");
  h.login("alice");
  EXPECT_EQ(h.hub().metrics().names, 2);
  EXPECT_EQ(h.hub().connection_count(), 2u);
}

TEST(SignalingDrop, AHungUpCallIsNotHungUpAgainOnDrop) {
  Harness h;
  ConnId a = h.login("alice");
  ConnId b = h.login("bob");
  h.send(a, R"({"type":"offer","name":"bob","offer":{}})");
  h.next(b);
  h.send(a, R"({"type":"leave","name":"bob"})");
  h.next(b);
  h.disconnect(a);
  EXPECT_TRUE(h.empty(b));
}

TEST(SignalingDrop, UnknownOrRepeatedCloseIsHarmless) {
  Harness h;
  ConnId a = h.login("alice");
  h.disconnect(a);
  h.disconnect(a);
  h.disconnect(999);
  h.send(999, R"({"type":"login","name":"x","version":1})");
  EXPECT_TRUE(h.empty(999));
  EXPECT_EQ(h.hub().metrics().connections_open, 0);
}

}  // namespace
}  // namespace peerhub::signaling::testing
