// Limits: messages per second per connection (virtual clock), total connections.
#include "signaling_harness.hpp"

namespace peerhub::signaling::testing {
namespace {

using std::chrono::milliseconds;

HubConfig rate_config() {
  HubConfig config;
  config.messages_per_second = 10;
  config.message_burst = 5;
  return config;
}

TEST(SignalingLimits, BurstThenDropWithOneErrorPerSecond) {
  Harness h(rate_config());
  ConnId a = h.login("alice");  // the login took one token
  ConnId b = h.login("bob");
  for (int i = 0; i < 4; ++i)
    h.send(a, R"({"type":"candidate","name":"bob","candidate":{}})");
  EXPECT_EQ(h.pending(b), 4u);
  EXPECT_TRUE(h.empty(a));

  for (int i = 0; i < 10; ++i)
    h.send(a, R"({"type":"candidate","name":"bob","candidate":{}})");
  EXPECT_EQ(h.pending(b), 4u) << "over the limit, messages are dropped";
  h.expect_error(a, "rate-limited");
  EXPECT_TRUE(h.empty(a)) << "at most one rate-limited error per second";
  EXPECT_EQ(h.hub().metrics().rate_limited_dropped, 10u);

  // 100 ms at 10/s refills one token.
  h.advance(milliseconds(100));
  h.send(a, R"({"type":"candidate","name":"bob","candidate":{}})");
  EXPECT_EQ(h.pending(b), 5u);
  h.send(a, R"({"type":"candidate","name":"bob","candidate":{}})");
  EXPECT_TRUE(h.empty(a)) << "still within the same second: no second error";

  h.advance(milliseconds(1000));
  for (int i = 0; i < 6; ++i)
    h.send(a, R"({"type":"candidate","name":"bob","candidate":{}})");
  EXPECT_EQ(h.pending(b), 10u) << "the bucket refills to its burst depth, not beyond";
  h.expect_error(a, "rate-limited");
}

TEST(SignalingLimits, ASenderAtExactlyTheRateIsNeverLimited) {
  HubConfig config;
  config.messages_per_second = 10;
  config.message_burst = 1;  // no burst: one message per 100 ms, no more
  Harness h(config);
  ConnId a = h.login("alice");
  for (int i = 0; i < 300; ++i) {
    h.advance(milliseconds(100));
    h.send(a, R"({"type":"list"})");
    ASSERT_EQ(h.next(a)["type"], "list") << "message " << i;
  }
  h.advance(milliseconds(99));
  h.send(a, R"({"type":"list"})");
  h.expect_error(a, "rate-limited");
}

TEST(SignalingLimits, TheRateLimitedErrorRepeatsAfterAFullSecondOfFlooding) {
  Harness h(rate_config());
  ConnId a = h.login("alice");
  auto flood = [&] {
    for (int i = 0; i < 6; ++i)
      h.send(a, R"({"type":"candidate","name":"alice","candidate":{}})");
  };
  flood();
  while (!h.empty(a))
    h.next(a);  // the relayed candidates, then the first error
  h.advance(milliseconds(999));
  flood();
  for (int i = 0; !h.empty(a); ++i)
    EXPECT_EQ(h.next(a)["type"], "candidate") << "no second error within the second (" << i << ")";
  h.advance(milliseconds(1));
  h.send(a, R"({"type":"list"})");
  h.expect_error(a, "rate-limited");
  EXPECT_TRUE(h.empty(a));
}

TEST(SignalingLimits, RateLimitIsPerConnection) {
  Harness h(rate_config());
  ConnId a = h.login("alice");
  ConnId b = h.login("bob");
  for (int i = 0; i < 20; ++i)
    h.send(a, R"({"type":"list"})");
  while (!h.empty(a))
    h.next(a);
  h.send(b, R"({"type":"list"})");
  EXPECT_EQ(h.next(b)["type"], "list");
}

TEST(SignalingLimits, BinaryAndOversizedCountAgainstTheRate) {
  Harness h(rate_config());
  ConnId a = h.connect();
  for (int i = 0; i < 5; ++i)
    h.binary(a);
  for (int i = 0; i < 5; ++i)
    h.expect_error(a, "binary");
  h.oversized(a, 10);
  h.expect_error(a, "rate-limited");
}

TEST(SignalingLimits, ConnectionLimitRefusesWith1013AndAClearError) {
  HubConfig config;
  config.max_connections = 2;
  Harness h(config);
  ConnId a = h.connect();
  ConnId b = h.connect();
  ConnId c = 0;
  EXPECT_FALSE(h.try_connect(c));
  json::object e = h.expect_error(c, "too-many-connections");
  EXPECT_EQ(h.close_code(c), 1013);
  EXPECT_EQ(h.close_code(a), 0);
  // The shell still reports the refused connection's close: harmless.
  h.disconnect(c);
  EXPECT_EQ(h.hub().connection_count(), 2u);
  h.disconnect(b);
  ConnId d = 0;
  EXPECT_TRUE(h.try_connect(d));
  EXPECT_EQ(h.hub().metrics().connections_refused, 1u);
}

}  // namespace
}  // namespace peerhub::signaling::testing
