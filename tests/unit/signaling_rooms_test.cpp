// Rooms: join / peer-joined, message fan-out, leave / peer-left, limits, drop.
#include <utility>

#include "signaling_harness.hpp"

namespace peerhub::signaling::testing {
namespace {

// alice and bob logged in and both in room "r", with the join notifications already read.
std::pair<ConnId, ConnId> alice_and_bob_in_room_r(Harness& h) {
  ConnId a = h.login("alice");
  ConnId b = h.login("bob");
  h.send(a, R"({"type":"join","room":"r"})");
  h.send(b, R"({"type":"join","room":"r"})");
  h.next(a);  // joined
  h.next(a);  // peer-joined: bob
  h.next(b);  // joined
  return {a, b};
}

TEST(SignalingRooms, JoinTellsTheJoinerThePeersAndThePeersTheJoiner) {
  Harness h;
  ConnId a = h.login("alice");
  ConnId b = h.login("bob");
  ConnId c = h.login("carol");
  h.send(a, R"({"type":"join","room":"r"})");
  json::object j = h.next(a);
  EXPECT_EQ(j["type"], "joined");
  EXPECT_EQ(j["room"], "r");
  EXPECT_EQ(j["name"], "alice");
  EXPECT_EQ(j["peers"], json::array{});

  h.send(b, R"({"type":"join","room":"r"})");
  EXPECT_EQ(h.next(b)["peers"], (json::array{"alice"}));
  json::object pj = h.next(a);
  EXPECT_EQ(pj["type"], "peer-joined");
  EXPECT_EQ(pj["room"], "r");
  EXPECT_EQ(pj["name"], "bob");

  h.send(c, R"({"type":"join","room":"r"})");
  EXPECT_EQ(h.next(c)["peers"], (json::array{"alice", "bob"}));
  EXPECT_EQ(h.next(a)["name"], "carol");
  EXPECT_EQ(h.next(b)["name"], "carol");
  EXPECT_EQ(h.hub().metrics().rooms, 1);
}

TEST(SignalingRooms, RepeatedJoinAnswersAgainWithoutTellingOthers) {
  Harness h;
  const auto [a, b] = alice_and_bob_in_room_r(h);
  h.send(b, R"({"type":"join","room":"r"})");
  EXPECT_EQ(h.next(b)["peers"], (json::array{"alice"}));
  EXPECT_TRUE(h.empty(a));
}

TEST(SignalingRooms, MessageGoesToTheOtherMembersAsOneSharedText) {
  Harness h;
  ConnId a = h.login("alice");
  ConnId b = h.login("bob");
  ConnId c = h.login("carol");
  ConnId outsider = h.login("dave");
  for (ConnId id : {a, b, c})
    h.send(id, R"({"type":"join","room":"r"})");
  while (!h.empty(a))
    h.next(a);
  while (!h.empty(b))
    h.next(b);
  while (!h.empty(c))
    h.next(c);

  h.send(a, R"({"type":"message","room":"r","data":{"text":"hi"},"name":"ignored-when-room-given"})");
  EXPECT_TRUE(h.empty(a));
  EXPECT_TRUE(h.empty(outsider));
  EXPECT_TRUE(h.same_text(b, c));
  for (ConnId id : {b, c}) {
    json::object m = h.next(id);
    EXPECT_EQ(m["type"], "message");
    EXPECT_EQ(m["room"], "r");
    EXPECT_EQ(m["name"], "alice");
    EXPECT_EQ(m["data"], (json::object{{"text", "hi"}}));
  }
}

TEST(SignalingRooms, DirectMessageByName) {
  Harness h;
  ConnId a = h.login("alice");
  ConnId b = h.login("bob");
  h.send(a, R"({"type":"message","name":"bob","data":"psst"})");
  json::object m = h.next(b);
  EXPECT_EQ(m["type"], "message");
  EXPECT_EQ(m["name"], "alice");
  EXPECT_EQ(m["data"], "psst");
  EXPECT_FALSE(m.contains("room"));
  h.send(a, R"({"type":"message","name":"zed","data":1})");
  h.expect_error(a, "unknown-target");
  h.send(a, R"({"type":"message","data":1})");
  h.expect_error(a, "missing-field");
  h.send(a, R"({"type":"message","name":"bob"})");
  h.expect_error(a, "missing-field");
}

TEST(SignalingRooms, MessageToARoomYouAreNotInIsRefused) {
  Harness h;
  ConnId a = h.login("alice");
  ConnId b = h.login("bob");
  h.send(b, R"({"type":"join","room":"r"})");
  h.next(b);
  h.send(a, R"({"type":"message","room":"r","data":1})");
  h.expect_error(a, "not-in-room");
  EXPECT_TRUE(h.empty(b));
}

TEST(SignalingRooms, LeaveTellsTheLeaverAndThePeers) {
  Harness h;
  const auto [a, b] = alice_and_bob_in_room_r(h);
  h.send(a, R"({"type":"leave","room":"r"})");
  json::object l = h.next(a);
  EXPECT_EQ(l["type"], "left");
  EXPECT_EQ(l["room"], "r");
  EXPECT_EQ(l["name"], "alice");
  json::object pl = h.next(b);
  EXPECT_EQ(pl["type"], "peer-left");
  EXPECT_EQ(pl["room"], "r");
  EXPECT_EQ(pl["name"], "alice");

  h.send(a, R"({"type":"leave","room":"r"})");
  h.expect_error(a, "not-in-room");
  h.send(b, R"({"type":"leave","room":"r"})");
  h.next(b);
  EXPECT_EQ(h.hub().metrics().rooms, 0);
}

TEST(SignalingRooms, DroppedConnectionLeavesEveryRoom) {
  Harness h;
  ConnId a = h.login("alice");
  ConnId b = h.login("bob");
  ConnId c = h.login("carol");
  h.send(a, R"({"type":"join","room":"r1"})");
  h.send(a, R"({"type":"join","room":"r2"})");
  h.send(b, R"({"type":"join","room":"r1"})");
  h.send(c, R"({"type":"join","room":"r2"})");
  while (!h.empty(a))
    h.next(a);
  h.next(b);
  h.next(c);
  h.disconnect(a);
  json::object pb = h.next(b);
  EXPECT_EQ(pb["type"], "peer-left");
  EXPECT_EQ(pb["room"], "r1");
  EXPECT_EQ(pb["name"], "alice");
  json::object pc = h.next(c);
  EXPECT_EQ(pc["room"], "r2");
  // The room keeps working for those left.
  h.send(b, R"({"type":"join","room":"r2"})");
  EXPECT_EQ(h.next(b)["peers"], (json::array{"carol"}));
}

TEST(SignalingRooms, RoomsPerConnectionIsLimited) {
  HubConfig config;
  config.rooms_per_connection = 2;
  Harness h(config);
  ConnId a = h.login("alice");
  h.send(a, R"({"type":"join","room":"r1"})");
  h.send(a, R"({"type":"join","room":"r2"})");
  h.next(a);
  h.next(a);
  h.send(a, R"({"type":"join","room":"r3"})");
  json::object e = h.expect_error(a, "too-many-rooms");
  EXPECT_NE(e["message"].as_string().find("2"), json::string::npos);
  // Leaving one makes room for another.
  h.send(a, R"({"type":"leave","room":"r1"})");
  h.next(a);
  h.send(a, R"({"type":"join","room":"r3"})");
  EXPECT_EQ(h.next(a)["type"], "joined");
}

TEST(SignalingRooms, MembersPerRoomIsLimited) {
  HubConfig config;
  config.members_per_room = 2;
  Harness h(config);
  ConnId a = h.login("alice");
  ConnId b = h.login("bob");
  ConnId c = h.login("carol");
  h.send(a, R"({"type":"join","room":"r"})");
  h.send(b, R"({"type":"join","room":"r"})");
  h.next(a);
  h.next(a);
  h.next(b);
  h.send(c, R"({"type":"join","room":"r"})");
  EXPECT_EQ(h.expect_error(c, "room-full")["message"], "room is full: at most 2 members");
  EXPECT_TRUE(h.empty(a));
  EXPECT_TRUE(h.empty(b));
}

TEST(SignalingRooms, ARoomOfOneSaysMemberInTheSingular) {
  HubConfig config;
  config.members_per_room = 1;
  Harness h(config);
  ConnId a = h.login("alice");
  ConnId b = h.login("bob");
  h.send(a, R"({"type":"join","room":"solo"})");
  h.next(a);
  h.send(b, R"({"type":"join","room":"solo"})");
  EXPECT_EQ(h.expect_error(b, "room-full")["message"], "room is full: at most 1 member");
}

TEST(SignalingRooms, JoinNeedsLoginAndAValidRoomName) {
  Harness h;
  ConnId anon = h.connect();
  h.send(anon, R"({"type":"join","room":"r"})");
  h.expect_error(anon, "not-logged-in");
  ConnId a = h.login("alice");
  h.send(a, R"({"type":"join","room":""})");
  h.expect_error(a, "invalid-name");
  h.send(a, R"({"type":"join"})");
  h.expect_error(a, "missing-field");
  h.send(a, R"({"type":"join","room":["r"]})");
  h.expect_error(a, "wrong-type");
}

}  // namespace
}  // namespace peerhub::signaling::testing
