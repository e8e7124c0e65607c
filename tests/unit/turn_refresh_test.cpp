// Refresh (RFC 8656 §8) and what every non-Allocate request checks first (§5): the allocation of the
// 5-tuple (437) made by the same user (441).
#include "turn_harness.hpp"

namespace peerhub::turn::testing {
namespace {

TEST(TurnRefresh, LifetimesFollowTheSameRuleAsAllocate) {
  Harness h;
  Client c(h, Harness::tuple(1));
  ASSERT_TRUE(c.allocate().success());
  EXPECT_EQ(*c.refresh(std::nullopt).get<stun::attr::Lifetime>(), 600U);
  EXPECT_EQ(*c.refresh(60).get<stun::attr::Lifetime>(), 600U);
  EXPECT_EQ(*c.refresh(1200).get<stun::attr::Lifetime>(), 1200U);
  EXPECT_EQ(*c.refresh(100000).get<stun::attr::Lifetime>(), 3600U);
  // The last one holds: alive at 3599 s, gone at 3600 s.
  h.advance(3599s);
  h.tick();
  EXPECT_EQ(h.server().allocation_count(), 1U);
  h.advance(1s);
  h.tick();
  EXPECT_EQ(h.server().allocation_count(), 0U);
}

TEST(TurnRefresh, RefreshKeepsAnAllocationAlive) {
  Harness h;
  Client c(h, Harness::tuple(1));
  ASSERT_TRUE(c.allocate().success());
  for (int i = 0; i < 5; ++i) {
    h.advance(500s);
    h.tick();
    ASSERT_TRUE(c.refresh(600).success());
  }
  EXPECT_EQ(h.server().allocation_count(), 1U);
}

TEST(TurnRefresh, LifetimeZeroDeletesAndARetransmissionGets437) {
  Harness h;
  Client c(h, Harness::tuple(1));
  ASSERT_TRUE(c.allocate().success());
  const Response r = c.refresh(0);
  ASSERT_TRUE(r.success());
  EXPECT_EQ(*r.get<stun::attr::Lifetime>(), 0U);
  EXPECT_TRUE(r.has(stun::AttrType::message_integrity));
  EXPECT_EQ(h.server().allocation_count(), 0U);
  EXPECT_EQ(h.host().closed.size(), 1U);
  EXPECT_EQ(h.shared().allocations(), 0U);
  // §8.2: a retransmitted delete finds nothing: 437, which the client takes as success.
  EXPECT_EQ(c.refresh(0).code(), 437);
}

TEST(TurnRefresh, RequestsWithoutAnAllocationAre437) {
  Harness h;
  Client c(h, Harness::tuple(1));
  EXPECT_EQ(c.refresh(600).code(), 437);
  EXPECT_EQ(c.permit({ip4(8, 8, 8, 8)}).code(), 437);
  EXPECT_EQ(c.bind(0x4000, ip4(8, 8, 8, 8, 53)).code(), 437);
  EXPECT_EQ(h.metrics().errors_by_code[4], 3U);
  // An allocation on another 5-tuple (another port of the same client) does not count.
  Client other(h, Harness::tuple(1));
  other.tuple().client.port = 1;
  ASSERT_TRUE(other.allocate().success());
  EXPECT_EQ(c.refresh(600).code(), 437);
}

TEST(TurnRefresh, AnotherUserOnTheSameTupleIs441) {
  Harness h;
  Client alice(h, Harness::tuple(1));
  ASSERT_TRUE(alice.allocate().success());
  Credentials bob;
  bob.username = "bob";
  bob.password = "bob-pass";
  Client mallory(h, Harness::tuple(1), bob);  // same 5-tuple, other credentials
  EXPECT_EQ(mallory.refresh(0).code(), 441);
  EXPECT_EQ(mallory.permit({ip4(8, 8, 8, 8)}).code(), 441);
  EXPECT_EQ(mallory.bind(0x4000, ip4(8, 8, 8, 8, 53)).code(), 441);
  EXPECT_EQ(h.server().allocation_count(), 1U);
  EXPECT_EQ(h.metrics().errors_by_code[7], 3U);
}

TEST(TurnRefresh, DualAllocationLosesOneFamilyWithLifetimeZeroAndThatFamily) {
  Harness h;
  Client c(h, Harness::tuple(1));
  ASSERT_TRUE(c.allocate([](stun::Builder& b) {
                 b.add<stun::attr::AdditionalAddressFamily>(stun::Family::ipv6);
               }).success());
  ASSERT_TRUE(c.permit({addr("2001:db8:2::1")}).success());
  const Response r = c.call(stun::Method::refresh, [](stun::Builder& b) {
    b.add<stun::attr::Lifetime>(0);
    b.add<stun::attr::RequestedAddressFamily>(stun::Family::ipv6);
  });
  ASSERT_TRUE(r.success());
  EXPECT_EQ(h.server().allocation_count(), 1U);
  EXPECT_EQ(h.host().open.size(), 1U);
  EXPECT_EQ(h.metrics().permissions, 0U);
  // The IPv6 side is gone: an IPv6 peer is now a family mismatch; IPv4 still works.
  EXPECT_EQ(c.permit({addr("2001:db8:2::1")}).code(), 443);
  EXPECT_TRUE(c.permit({ip4(8, 8, 8, 8)}).success());
  // Refreshing the family it no longer has: 443 (§8.2).
  const Response again = c.call(stun::Method::refresh, [](stun::Builder& b) {
    b.add<stun::attr::RequestedAddressFamily>(stun::Family::ipv6);
  });
  EXPECT_EQ(again.code(), 443);
  // LIFETIME 0 with the last family deletes the allocation.
  EXPECT_TRUE(c.call(stun::Method::refresh, [](stun::Builder& b) {
                 b.add<stun::attr::Lifetime>(0);
                 b.add<stun::attr::RequestedAddressFamily>(stun::Family::ipv4);
               }).success());
  EXPECT_EQ(h.server().allocation_count(), 0U);
  EXPECT_EQ(h.shared().allocations(), 0U);
}

TEST(TurnRefresh, MalformedLifetimeIs400) {
  Harness h;
  Client c(h, Harness::tuple(1));
  ASSERT_TRUE(c.allocate().success());
  const std::uint8_t two[2] = {0, 0};
  EXPECT_EQ(c.call(stun::Method::refresh, [&](stun::Builder& b) { b.add_raw(0x000D, two); }).code(), 400);
  EXPECT_EQ(h.server().allocation_count(), 1U);
}

}  // namespace
}  // namespace peerhub::turn::testing
