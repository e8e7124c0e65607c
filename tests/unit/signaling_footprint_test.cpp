// What an idle logged-in connection costs the hub: the server aims at 10,000 idle connections for under
// 1 KiB of RSS each, shell included, so the hub's share must stay a few hundred bytes.
#include <malloc.h>

#include "signaling_harness.hpp"

namespace peerhub::signaling::testing {
namespace {

TEST(SignalingFootprint, IdleLoggedInConnectionCostsAFewHundredBytes) {
  constexpr std::size_t kConnections = 10000;
  HubConfig config;
  config.messages_per_second = 0;
  Hub hub(config);
  Now now;
  // Warm up the parser's arena and the tables' first buckets so they are not counted per connection.
  hub.open(1, now);
  hub.text(1, R"({"type":"login","name":"warm-up","version":1})", now);
  hub.outbox().clear();
  std::size_t before = mallinfo2().uordblks;
  for (ConnId id = 2; id < 2 + kConnections; ++id) {
    hub.open(id, now);
    hub.text(id, R"({"type":"login","version":1,"name":"user-)" + std::to_string(id) + "\"}", now);
    hub.outbox().clear();
  }
  hub.outbox().shrink_to_fit();
  std::size_t after = mallinfo2().uordblks;
  if (after <= before) GTEST_SKIP() << "heap statistics unavailable (sanitizer allocator)";
  std::size_t per_connection = (after - before) / kConnections;
  std::printf("[ footprint] %zu bytes of hub heap per idle logged-in connection\n", per_connection);
  EXPECT_LT(per_connection, 512u);
  EXPECT_EQ(hub.metrics().names, static_cast<std::int64_t>(kConnections + 1));
}

}  // namespace
}  // namespace peerhub::signaling::testing
