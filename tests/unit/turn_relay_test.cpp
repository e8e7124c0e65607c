// The data path (RFC 8656 §10, §12): Send and Data indications, which relay of a dual allocation carries
// what, the bandwidth limit, the metrics counters, Binding on any transport and what is dropped without an
// answer.
#include "turn_harness.hpp"

namespace peerhub::turn::testing {
namespace {

const stun::Address kPeer = ip4(198, 51, 100, 200, 7000);

TEST(TurnRelay, SendIndicationGoesOutAndDataComesBackAsADataIndication) {
  Harness h;
  Client c(h, Harness::tuple(1));
  const stun::Address relayed = c.allocated();
  ASSERT_TRUE(c.permit({kPeer}).success());
  const Bytes data = {'p', 'i', 'n', 'g'};
  c.send(kPeer, data);
  ASSERT_EQ(h.host().to_peers.size(), 1U);
  EXPECT_EQ(h.host().to_peers[0].relay, 1U);
  EXPECT_EQ(h.host().open[1].address, relayed);
  EXPECT_EQ(h.host().to_peers[0].bytes, data);
  const Bytes pong = {'p', 'o', 'n', 'g', '!'};
  const auto out = h.from_peer(1, kPeer, pong);
  ASSERT_EQ(out.size(), 1U);
  const Response ind{out[0].bytes};
  EXPECT_EQ(ind.cls(), stun::Class::indication);
  EXPECT_EQ(ind.message().method(), stun::Method::data);
  EXPECT_EQ(*ind.get<stun::attr::XorPeerAddress>(), kPeer);
  const auto d = ind.get<stun::attr::Data>();
  EXPECT_EQ(Bytes(d->begin(), d->end()), pong);
  EXPECT_FALSE(ind.has(stun::AttrType::message_integrity));
  // Two indications never share a transaction id.
  const auto out2 = h.from_peer(1, kPeer, pong);
  EXPECT_NE(Response{out2[0].bytes}.message().transaction_id(), ind.message().transaction_id());
}

TEST(TurnRelay, EmptyDataIsRelayed) {
  Harness h;
  Client c(h, Harness::tuple(1));
  c.allocated();
  ASSERT_TRUE(c.permit({kPeer}).success());
  c.send(kPeer, {});
  ASSERT_EQ(h.host().to_peers.size(), 1U);
  EXPECT_TRUE(h.host().to_peers[0].bytes.empty());
}

TEST(TurnRelay, SendIndicationsThatAreDropped) {
  Harness h;
  Client c(h, Harness::tuple(1));
  c.allocated();
  ASSERT_TRUE(c.permit({kPeer}).success());
  const Bytes data = {1};
  // DONT-FRAGMENT cannot be honoured (§10.2).
  c.send(kPeer, data, [](stun::Builder& b) { b.add<stun::attr::DontFragment>({}); });
  // An unknown comprehension-required attribute.
  const std::uint8_t v[4] = {};
  c.send(kPeer, data, [&](stun::Builder& b) { b.add_raw(0x7777, v); });
  // No DATA.
  Bytes no_data = c.build(
      stun::Method::send, [](stun::Builder& b) { b.add<stun::attr::XorPeerAddress>(kPeer); }, false, false,
      stun::Class::indication);
  EXPECT_TRUE(h.send(c.tuple(), no_data).empty());
  // A peer of the other family.
  c.send(addr("[2001:db8:9::1]:5"), data);
  // From a 5-tuple with no allocation.
  Client stranger(h, Harness::tuple(2));
  stranger.send(kPeer, data);
  EXPECT_TRUE(h.host().to_peers.empty());
  EXPECT_EQ(h.metrics().dropped, 5U);
}

TEST(TurnRelay, DualAllocationRelaysEachFamilyThroughItsOwnRelay) {
  Harness h;
  Client c(h, Harness::tuple(1));
  ASSERT_TRUE(c.allocate([](stun::Builder& b) {
                 b.add<stun::attr::AdditionalAddressFamily>(stun::Family::ipv6);
               }).success());
  const stun::Address p6 = addr("[2001:db8:3::3]:3333");
  ASSERT_TRUE(c.permit({kPeer, p6}).success());
  const Bytes data = {1};
  c.send(kPeer, data);
  c.send(p6, data);
  ASSERT_EQ(h.host().to_peers.size(), 2U);
  EXPECT_EQ(h.host().open[h.host().to_peers[0].relay].address.family, stun::Family::ipv4);
  EXPECT_EQ(h.host().open[h.host().to_peers[1].relay].address.family, stun::Family::ipv6);
  EXPECT_EQ(h.from_peer(2, p6, data).size(), 1U);
  EXPECT_EQ(h.from_peer(1, kPeer, data).size(), 1U);
}

TEST(TurnRelay, PeerDataWithoutPermissionOrAllocationIsDropped) {
  Harness h;
  Client c(h, Harness::tuple(1));
  c.allocated();
  const Bytes data = {1};
  EXPECT_TRUE(h.from_peer(1, kPeer, data).empty());
  EXPECT_TRUE(h.from_peer(99, kPeer, data).empty());  // no such relay
  EXPECT_EQ(h.metrics().dropped_no_permission, 1U);
  EXPECT_EQ(h.metrics().dropped, 2U);
}

TEST(TurnRelay, BandwidthLimitEachDirection) {
  ServerConfig config = default_config();
  config.limits.bandwidth_bytes_per_second = 1000;
  Harness h(config);
  Client c(h, Harness::tuple(1));
  c.allocated();
  ASSERT_TRUE(c.bind(0x4000, kPeer).success());
  const Bytes data(100, 0xAB);
  for (int i = 0; i < 15; ++i)
    c.channel_data(0x4000, data);
  EXPECT_EQ(h.host().to_peers.size(), 10U);  // a second's worth
  EXPECT_EQ(h.metrics().dropped_bandwidth, 5U);
  // The other direction has its own bucket.
  std::size_t delivered = 0;
  for (int i = 0; i < 15; ++i)
    delivered += h.from_peer(1, kPeer, data).size();
  EXPECT_EQ(delivered, 10U);
  EXPECT_EQ(h.metrics().dropped_bandwidth, 10U);
  // Half a second later, half a second's worth more.
  h.advance(500ms);
  for (int i = 0; i < 15; ++i)
    c.channel_data(0x4000, data);
  EXPECT_EQ(h.host().to_peers.size(), 15U);
  // Send indications count against the same bucket.
  h.advance(100ms);
  c.send(kPeer, data);
  c.send(kPeer, data);
  EXPECT_EQ(h.host().to_peers.size(), 16U);
  // Other allocations are not affected.
  Client d(h, Harness::tuple(2));
  d.allocated();
  ASSERT_TRUE(d.bind(0x4000, kPeer).success());
  d.channel_data(0x4000, data);
  EXPECT_EQ(h.host().to_peers.size(), 17U);
}

TEST(TurnRelay, MetricsCountPacketsBytesAndRequests) {
  Harness h;
  Client c(h, Harness::tuple(1));
  c.allocated();
  ASSERT_TRUE(c.bind(0x4000, kPeer).success());
  const Bytes data(40, 1);
  c.channel_data(0x4000, data);
  c.send(kPeer, data);
  h.from_peer(1, kPeer, data);
  h.from_peer(1, ip4(198, 51, 100, 200, 1), data);  // Data indication
  const Metrics& m = h.metrics();
  EXPECT_EQ(m.packets_to_peers, 2U);
  EXPECT_EQ(m.bytes_to_peers, 80U);
  EXPECT_EQ(m.packets_to_clients, 2U);
  EXPECT_EQ(m.bytes_to_clients, 80U);
  EXPECT_EQ(m.requests[1], 2U);  // allocate: challenge + signed
  EXPECT_EQ(m.requests[6], 1U);  // channel_bind (the nonce was known)
  EXPECT_EQ(m.requests[3], 1U);  // send
  EXPECT_EQ(m.requests[4], 1U);  // data indications sent
  EXPECT_EQ(m.errors_by_code[1], 1U);
  EXPECT_EQ(metrics_method_name(0), "binding");
  EXPECT_EQ(metrics_method_name(6), "channel_bind");
  EXPECT_EQ(metrics_method_name(7), "other");
  EXPECT_EQ(metrics_method_name(8), "");
}

TEST(TurnBinding, AnsweredOnUdpAndTcpWithTheMappedAddress) {
  Harness h;
  for (Transport t : {Transport::udp, Transport::tcp, Transport::tls}) {
    Client c(h, Harness::tuple(1, t));
    const Response r = c.request(stun::Method::binding);
    ASSERT_TRUE(r.success());
    EXPECT_EQ(*r.get<stun::attr::XorMappedAddress>(), c.tuple().client);
    EXPECT_EQ(*r.get<stun::attr::Software>(), "peerhub");
    EXPECT_FALSE(r.has(stun::AttrType::fingerprint));
  }
  Client v6(h, Harness::tuple6(1));
  EXPECT_EQ(*v6.request(stun::Method::binding).get<stun::attr::XorMappedAddress>(), v6.tuple().client);
  EXPECT_EQ(h.server().allocation_count(), 0U);
  EXPECT_EQ(h.metrics().requests[0], 4U);
}

TEST(TurnBinding, FingerprintIsAnsweredWithFingerprint) {
  Harness h;
  Client c(h, Harness::tuple(1));
  const Response r = c.request(stun::Method::binding, {}, true, true);
  ASSERT_TRUE(r.success());
  EXPECT_EQ(stun::verify_fingerprint(r.message()), stun::Error::none);
  // A FINGERPRINT that does not match: not STUN, no answer.
  Bytes bad = c.build(stun::Method::binding, {}, false, true);
  bad.back() ^= 1;
  EXPECT_TRUE(h.send(c.tuple(), bad).empty());
  EXPECT_EQ(h.metrics().dropped_malformed, 1U);
}

TEST(TurnBinding, UnknownComprehensionRequiredIs420AndOptionalIsIgnored) {
  Harness h;
  Client c(h, Harness::tuple(1));
  const std::uint8_t v[4] = {};
  const Response r = c.request(stun::Method::binding, [&](stun::Builder& b) { b.add_raw(0x0042, v); });
  EXPECT_EQ(r.code(), 420);
  EXPECT_EQ((*r.get<stun::attr::UnknownAttributes>())[0], 0x0042);
  EXPECT_TRUE(c.request(stun::Method::binding, [&](stun::Builder& b) { b.add_raw(0x8042, v); }).success());
}

TEST(TurnBinding, GarbageAndStrayMessagesAreDroppedSilently) {
  Harness h;
  const FiveTuple t = Harness::tuple(1);
  const Bytes garbage = {0xFF, 1, 2, 3, 4, 5, 6, 7};
  const Bytes short_stun = {0, 1, 0, 0, 0x21, 0x12};
  const Bytes rtp_like = {0x80, 0x60, 0, 1};
  EXPECT_TRUE(h.send(t, garbage).empty());
  EXPECT_TRUE(h.send(t, short_stun).empty());
  EXPECT_TRUE(h.send(t, rtp_like).empty());
  EXPECT_TRUE(h.send(t, Bytes{}).empty());
  // A response or a Binding indication from a client: nothing to answer.
  Client c(h, t);
  const Bytes response = c.build(stun::Method::binding, {}, false, false, stun::Class::success);
  const Bytes indication = c.build(stun::Method::binding, {}, false, false, stun::Class::indication);
  EXPECT_TRUE(h.send(t, response).empty());
  EXPECT_TRUE(h.send(t, indication).empty());
  EXPECT_EQ(h.metrics().dropped, 6U);
  EXPECT_EQ(h.metrics().dropped_malformed, 4U);
}

TEST(TurnRelay, LargeDatagramsFromPeersFitOrAreDropped) {
  Harness h;
  Client c(h, Harness::tuple(1));
  c.allocated();
  ASSERT_TRUE(c.permit({kPeer}).success());
  const Bytes big(65000, 3);
  ASSERT_EQ(h.from_peer(1, kPeer, big).size(), 1U);
  const Bytes too_big(65530, 3);  // with the STUN header and XOR-PEER-ADDRESS, over 65535
  EXPECT_TRUE(h.from_peer(1, kPeer, too_big).empty());
  ASSERT_TRUE(c.bind(0x4000, kPeer).success());
  EXPECT_EQ(h.from_peer(1, kPeer, too_big).size(), 1U);  // ChannelData holds up to 65535
}

TEST(TurnRelay, DestroyingTheServerGivesBackItsQuota) {
  ServerConfig config = default_config();
  Harness h(config);
  {
    Harness worker2(config, h.shared());
    Client c(worker2, Harness::tuple(1));
    c.allocated();
    EXPECT_EQ(h.shared().allocations(), 1U);
  }
  EXPECT_EQ(h.shared().allocations(), 0U);
}

}  // namespace
}  // namespace peerhub::turn::testing
