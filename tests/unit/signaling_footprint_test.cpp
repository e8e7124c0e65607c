// What an idle logged-in connection costs the hub: the server aims at 10,000 idle connections for under
// 1 KiB of RSS each, shell included, so the hub's share must stay small. It is a connection record (an
// 80-byte node of the id table) and a pointer in the name table (a 32-byte node), plus the two tables' bucket
// arrays: 128 bytes with glibc's malloc.
#include <malloc.h>

#include "signaling_harness.hpp"

namespace peerhub::signaling::testing {
namespace {

std::size_t heap_in_use() {
  return mallinfo2().uordblks;
}

void login(Hub& hub, ConnId id, const Now& now) {
  hub.open(id, now);
  hub.text(id, R"({"type":"login","version":1,"name":"user-)" + std::to_string(id) + "\"}", now);
}

TEST(SignalingFootprint, IdleLoggedInConnectionCostsUnder150Bytes) {
  constexpr std::size_t kConnections = 10000;
  HubConfig config;
  config.messages_per_second = 0;
  Hub hub(config);
  Now now;
  // Warm up the parser's arena and the tables' first buckets so they are not counted per connection.
  hub.open(1, now);
  hub.text(1, R"({"type":"login","name":"warm-up","version":1})", now);
  hub.outbox().clear();
  std::size_t before = heap_in_use();
  for (ConnId id = 2; id < 2 + kConnections; ++id) {
    login(hub, id, now);
    hub.outbox().clear();
  }
  hub.outbox().shrink_to_fit();
  std::size_t after = heap_in_use();
  if (after <= before) GTEST_SKIP() << "heap statistics unavailable (sanitizer allocator)";
  std::size_t per_connection = (after - before) / kConnections;
  std::printf("[ footprint] %zu bytes of hub heap per idle logged-in connection\n", per_connection);
  EXPECT_LE(per_connection, 144u);
  EXPECT_EQ(hub.metrics().names, static_cast<std::int64_t>(kConnections + 1));
}

// What only calls and rooms need is freed when the last call and room are left: a connection that has been
// in both costs no more than one that never was.
TEST(SignalingFootprint, CallsAndRoomsLeaveNothingBehindOnceOver) {
  constexpr ConnId kPairs = 2000;
  HubConfig config;
  config.messages_per_second = 0;
  Hub hub(config);
  Now now;
  for (ConnId id = 1; id <= 2 * kPairs; ++id)
    login(hub, id, now);
  hub.outbox().clear();
  auto call_and_meet = [&](ConnId a, ConnId b) {
    std::string room = "room-" + std::to_string(a);
    std::string b_name = "user-" + std::to_string(b);
    std::string a_name = "user-" + std::to_string(a);
    hub.text(a, R"({"type":"join","room":")" + room + "\"}", now);
    hub.text(b, R"({"type":"join","room":")" + room + "\"}", now);
    hub.text(a, R"({"type":"offer","name":")" + b_name + R"(","offer":{"sdp":"x"}})", now);
    hub.text(b, R"({"type":"answer","name":")" + a_name + R"(","answer":{"sdp":"y"}})", now);
    hub.text(a, R"({"type":"leave","name":")" + b_name + "\"}", now);
    hub.text(a, R"({"type":"leave","room":")" + room + "\"}", now);
    hub.text(b, R"({"type":"leave","room":")" + room + "\"}", now);
    std::size_t delivered = hub.outbox().size();
    hub.outbox().clear();
    return delivered;
  };
  // The first pair warms up the room table and the outbox.
  // joined x2, peer-joined, offer, answer, leave (the call), peer-left, left x2
  ASSERT_EQ(call_and_meet(1, 2), 9u);
  hub.outbox().shrink_to_fit();
  std::size_t before = heap_in_use();
  for (ConnId a = 3; a < 2 * kPairs; a += 2)
    ASSERT_EQ(call_and_meet(a, a + 1), 9u);
  hub.outbox().shrink_to_fit();
  std::size_t after = heap_in_use();
  EXPECT_EQ(hub.metrics().rooms, 0);
  if (before == 0) GTEST_SKIP() << "heap statistics unavailable (sanitizer allocator)";
  std::size_t grown = after > before ? after - before : 0;
  EXPECT_LT(grown, 2 * kPairs * 8) << "under 8 bytes per connection left over";
}

}  // namespace
}  // namespace peerhub::signaling::testing
