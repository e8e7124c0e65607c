// CreatePermission (RFC 8656 §9) and ChannelBind (§11): what they install, their rules and errors, the
// table limits, and the expiry of permissions at 300 s and channels at 600 s.
#include "turn/channel_numbers.hpp"
#include "turn_harness.hpp"

namespace peerhub::turn::testing {
namespace {

const stun::Address kPeer = ip4(198, 51, 100, 200, 7000);
const stun::Bytes kNoBytes;

TEST(TurnPermission, SeveralPeersInOneRequestEachGetAPermission) {
  Harness h;
  Client c(h, Harness::tuple(1));
  ASSERT_TRUE(c.allocate().success());
  const Response r = c.permit({ip4(8, 8, 8, 8, 1), ip4(1, 1, 1, 1, 2), ip4(8, 8, 8, 8, 3)});
  ASSERT_TRUE(r.success());
  EXPECT_TRUE(r.has(stun::AttrType::message_integrity));
  EXPECT_EQ(h.metrics().permissions, 2U);  // per IP: the port is ignored (§9)
  const Bytes data = {1, 2, 3};
  c.send(ip4(8, 8, 8, 8, 9999), data);
  c.send(ip4(1, 1, 1, 1, 53), data);
  c.send(ip4(9, 9, 9, 9, 53), data);  // no permission: dropped
  EXPECT_EQ(h.host().to_peers.size(), 2U);
  EXPECT_EQ(h.metrics().dropped_no_permission, 1U);
}

TEST(TurnPermission, NoPeerOrABadPeerIs400) {
  Harness h;
  Client c(h, Harness::tuple(1));
  ASSERT_TRUE(c.allocate().success());
  EXPECT_EQ(c.permit({}).code(), 400);
  const std::uint8_t bad[] = {0, 3, 0, 0, 1, 2, 3, 4};  // family 3
  EXPECT_EQ(c.call(stun::Method::create_permission,
                   [&](stun::Builder& b) {
                     b.add<stun::attr::XorPeerAddress>(kPeer);
                     b.add_raw(0x0012, bad);
                   })
                .code(),
            400);
  EXPECT_EQ(h.metrics().permissions, 0U);
}

TEST(TurnPermission, PeerOfAnotherFamilyIs443) {
  Harness h;
  Client c(h, Harness::tuple(1));
  ASSERT_TRUE(c.allocate().success());
  EXPECT_EQ(c.permit({addr("2001:db8:5::1")}).code(), 443);
  EXPECT_EQ(c.bind(0x4000, addr("[2001:db8:5::1]:5000")).code(), 443);
  EXPECT_EQ(h.metrics().errors_by_code[9], 2U);
}

TEST(TurnPermission, AFullTableIs508AndRefreshingAKnownPeerStillWorks) {
  ServerConfig config = default_config();
  config.limits.permissions_per_allocation = 2;
  Harness h(config);
  Client c(h, Harness::tuple(1));
  ASSERT_TRUE(c.allocate().success());
  ASSERT_TRUE(c.permit({ip4(8, 8, 8, 1), ip4(8, 8, 8, 2)}).success());
  EXPECT_EQ(c.permit({ip4(8, 8, 8, 3)}).code(), 508);
  EXPECT_TRUE(c.permit({ip4(8, 8, 8, 1)}).success());
  EXPECT_EQ(c.permit({ip4(8, 8, 8, 1), ip4(8, 8, 8, 3)}).code(), 508);  // all or nothing
  EXPECT_EQ(c.bind(0x4000, ip4(8, 8, 8, 4, 1)).code(), 508);            // would need a third permission
  EXPECT_TRUE(c.bind(0x4000, ip4(8, 8, 8, 2, 1)).success());
  EXPECT_EQ(h.metrics().permissions, 2U);
  // An expired permission frees its place.
  h.advance(300s);
  EXPECT_TRUE(c.permit({ip4(8, 8, 8, 3)}).success());
}

TEST(TurnPermission, ExpiresAt300SecondsUnlessRefreshed) {
  Harness h;
  Client c(h, Harness::tuple(1));
  ASSERT_TRUE(c.allocate([](stun::Builder& b) { b.add<stun::attr::Lifetime>(3600); }).success());
  ASSERT_TRUE(c.permit({kPeer}).success());
  const Bytes data = {7};
  h.advance(299s);
  c.send(kPeer, data);
  EXPECT_EQ(h.from_peer(1, kPeer, data).size(), 1U);
  EXPECT_EQ(h.host().to_peers.size(), 1U);
  h.advance(1s);  // 300 s: over, even before a tick
  c.send(kPeer, data);
  EXPECT_TRUE(h.from_peer(1, kPeer, data).empty());
  EXPECT_EQ(h.host().to_peers.size(), 1U);
  h.tick();
  EXPECT_EQ(h.metrics().permissions, 0U);
  // Refreshed at 250 s, it lives until 550 s.
  ASSERT_TRUE(c.permit({kPeer}).success());
  h.advance(250s);
  ASSERT_TRUE(c.permit({kPeer}).success());
  h.advance(299s);
  c.send(kPeer, data);
  EXPECT_EQ(h.host().to_peers.size(), 2U);
}

TEST(TurnPermission, SendIndicationAndDataDoNotRefreshPermissions) {
  Harness h;
  Client c(h, Harness::tuple(1));
  ASSERT_TRUE(c.allocate().success());
  ASSERT_TRUE(c.permit({kPeer}).success());
  const Bytes data = {7};
  for (int i = 0; i < 5; ++i) {
    h.advance(50s);
    c.send(kPeer, data);
    h.from_peer(1, kPeer, data);
  }
  h.advance(50s);
  c.send(kPeer, data);
  EXPECT_EQ(h.host().to_peers.size(), 5U);
}

TEST(TurnChannel, BindSendAndReceiveChannelData) {
  Harness h;
  Client c(h, Harness::tuple(1));
  ASSERT_TRUE(c.allocate().success());
  const Response r = c.bind(0x4001, kPeer);
  ASSERT_TRUE(r.success());
  EXPECT_EQ(h.metrics().channels, 1U);
  EXPECT_EQ(h.metrics().permissions, 1U);  // §11.2: the binding installs the permission
  const Bytes data = {1, 2, 3, 4, 5};
  c.channel_data(0x4001, data);
  ASSERT_EQ(h.host().to_peers.size(), 1U);
  EXPECT_EQ(h.host().to_peers[0].peer, kPeer);
  EXPECT_EQ(h.host().to_peers[0].bytes, data);
  // From the peer: ChannelData with the channel number, unpadded over UDP.
  const auto out = h.from_peer(1, kPeer, data);
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].bytes, (Bytes{0x40, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5}));
  // Another port of the same IP has the permission but not the channel: a Data indication.
  const auto other = h.from_peer(1, ip4(198, 51, 100, 200, 7001), data);
  ASSERT_EQ(other.size(), 1U);
  EXPECT_EQ(Response{other[0].bytes}.message().method(), stun::Method::data);
}

TEST(TurnChannel, ChannelDataOverTcpIsPaddedBothWays) {
  Harness h;
  Client c(h, Harness::tuple(1, Transport::tcp));
  ASSERT_TRUE(c.allocate().success());
  ASSERT_TRUE(c.bind(0x4ABC, kPeer).success());
  const Bytes data = {9, 8, 7, 6, 5};
  c.channel_data(0x4ABC, data);  // 4 + 5 + 3 bytes of padding, as a stream needs
  ASSERT_EQ(h.host().to_peers.size(), 1U);
  EXPECT_EQ(h.host().to_peers[0].bytes, data);
  const auto out = h.from_peer(1, kPeer, data);
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].bytes, (Bytes{0x4A, 0xBC, 0x00, 0x05, 9, 8, 7, 6, 5, 0, 0, 0}));
  // Unpadded ChannelData on a stream is malformed (the framer would have cut it so).
  const Bytes unpadded = {0x4A, 0xBC, 0x00, 0x05, 9, 8, 7, 6, 5};
  EXPECT_TRUE(h.send(c.tuple(), unpadded).empty());
  EXPECT_EQ(h.host().to_peers.size(), 1U);
  EXPECT_EQ(h.metrics().dropped_malformed, 1U);
}

TEST(TurnChannel, UdpChannelDataMayCarryPadding) {
  Harness h;
  Client c(h, Harness::tuple(1));
  ASSERT_TRUE(c.allocate().success());
  ASSERT_TRUE(c.bind(0x4000, kPeer).success());
  const Bytes padded = {0x40, 0x00, 0x00, 0x02, 7, 7, 0, 0};
  EXPECT_TRUE(h.send(c.tuple(), padded).empty());
  ASSERT_EQ(h.host().to_peers.size(), 1U);
  EXPECT_EQ(h.host().to_peers[0].bytes, (Bytes{7, 7}));
  const Bytes truncated = {0x40, 0x00, 0x00, 0x09, 7, 7};
  h.send(c.tuple(), truncated);
  EXPECT_EQ(h.host().to_peers.size(), 1U);
}

TEST(TurnChannel, BindRules) {
  Harness h;
  Client c(h, Harness::tuple(1));
  ASSERT_TRUE(c.allocate().success());
  ASSERT_TRUE(c.bind(0x4000, kPeer).success());
  // The same binding again is a refresh.
  EXPECT_TRUE(c.bind(0x4000, kPeer).success());
  // The number bound to another peer, or the peer to another number: 400.
  EXPECT_EQ(c.bind(0x4000, ip4(198, 51, 100, 201, 7000)).code(), 400);
  EXPECT_EQ(c.bind(0x4001, kPeer).code(), 400);
  // Another port is another transport address: a new channel is fine.
  EXPECT_TRUE(c.bind(0x4001, ip4(198, 51, 100, 200, 7001)).success());
  EXPECT_EQ(h.metrics().channels, 2U);
  EXPECT_EQ(h.metrics().permissions, 1U);
}

Response bind_raw(Client& c, std::uint16_t n, const stun::Address& peer) {
  const std::uint8_t raw[4] = {static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n), 0, 0};
  return c.call(stun::Method::channel_bind, [&](stun::Builder& b) {
    b.add_raw(0x000C, raw);
    b.add<stun::attr::XorPeerAddress>(peer);
  });
}

TEST(TurnChannel, BadNumbersAndMissingAttributesAre400) {
  Harness h;
  Client c(h, Harness::tuple(1));
  ASSERT_TRUE(c.allocate().success());
  for (const int n : {0x0000, 0x3FFF, 0x8000, 0xBFFF, 0xFFFF})
    EXPECT_EQ(bind_raw(c, static_cast<std::uint16_t>(n), kPeer).code(), 400) << n;
  const std::uint8_t short_value[2] = {0x40, 0x00};
  EXPECT_EQ(c.call(stun::Method::channel_bind,
                   [&](stun::Builder& b) {
                     b.add_raw(0x000C, short_value);
                     b.add<stun::attr::XorPeerAddress>(kPeer);
                   })
                .code(),
            400);
  EXPECT_EQ(
      c.call(stun::Method::channel_bind, [](stun::Builder& b) { b.add<stun::attr::ChannelNumber>(0x4000); })
          .code(),
      400);
  EXPECT_EQ(
      c.call(stun::Method::channel_bind, [](stun::Builder& b) { b.add<stun::attr::XorPeerAddress>(kPeer); })
          .code(),
      400);
  EXPECT_EQ(h.metrics().channels, 0U);
}

// coturn's turnutils_uclient binds numbers such as 0x75AF (RFC 5766 allowed up to 0x7FFF): taken by default,
// both ways, on UDP and on a stream.
TEST(TurnChannel, Rfc5766ChannelNumbersByDefault) {
  Harness h;
  for (const Transport t : {Transport::udp, Transport::tcp}) {
    Client c(h, Harness::tuple(t == Transport::udp ? 1 : 2, t));
    ASSERT_TRUE(c.allocate().success());
    ASSERT_TRUE(bind_raw(c, 0x75AF, kPeer).success());
    ASSERT_TRUE(bind_raw(c, 0x5000, ip4(8, 8, 8, 8, 1)).success());
    const Bytes data = {1, 2, 3};
    Bytes frame = {0x75, 0xAF, 0x00, 0x03, 1, 2, 3};
    if (t != Transport::udp) frame.push_back(0);
    const std::size_t before = h.host().to_peers.size();
    EXPECT_TRUE(h.send(c.tuple(), frame).empty());
    ASSERT_EQ(h.host().to_peers.size(), before + 1);
    EXPECT_EQ(h.host().to_peers.back().bytes, data);
    const auto out = h.from_peer(h.host().to_peers.back().relay, kPeer, data);
    ASSERT_EQ(out.size(), 1U);
    EXPECT_EQ(out[0].bytes, frame);
    // The same rules as the codec's: too short for its length, or wrongly padded on a stream, is dropped.
    const Bytes truncated = {0x75, 0xAF, 0x00, 0x09, 1, 2, 3};
    EXPECT_TRUE(h.send(c.tuple(), truncated).empty());
    Bytes padded_too_much = {0x75, 0xAF, 0x00, 0x01, 1, 0, 0, 0, 0};
    EXPECT_TRUE(h.send(c.tuple(), padded_too_much).empty());
    EXPECT_EQ(h.host().to_peers.size(), before + 1);
  }
}

TEST(TurnChannel, StreamFramingTakesRfc5766Numbers) {
  const Bytes stream = {0x75, 0xAF, 0x00, 0x05, 1, 2, 3, 4, 5, 0, 0, 0, 0x00, 0x01};
  const stun::Frame f = next_stream_frame(stream, true);
  EXPECT_EQ(f.kind, stun::FrameKind::channel_data);
  EXPECT_EQ(f.size, 12U);
  EXPECT_EQ(next_stream_frame(stream, false).kind, stun::FrameKind::invalid);
  const Bytes low = {0x40, 0x00, 0x00, 0x01, 9, 0, 0, 0};
  EXPECT_EQ(next_stream_frame(low, true).size, 8U);
  const Bytes high = {0x80, 0x00, 0x00, 0x01};
  EXPECT_EQ(next_stream_frame(high, true).kind, stun::FrameKind::invalid);
  const Bytes few = {0x75};
  EXPECT_EQ(next_stream_frame(few, true).kind, stun::FrameKind::unknown);
}

TEST(TurnChannel, StrictRfc8656ChannelNumbers) {
  ServerConfig config = default_config();
  config.rfc5766_channels = false;
  Harness h(config);
  Client c(h, Harness::tuple(1));
  ASSERT_TRUE(c.allocate().success());
  EXPECT_EQ(bind_raw(c, 0x5000, kPeer).code(), 400);
  EXPECT_EQ(bind_raw(c, 0x7FFF, kPeer).code(), 400);
  EXPECT_TRUE(bind_raw(c, 0x4FFF, kPeer).success());
  const Bytes frame = {0x75, 0xAF, 0x00, 0x01, 1};
  EXPECT_TRUE(h.send(c.tuple(), frame).empty());
  EXPECT_EQ(h.metrics().dropped_malformed, 1U);
}

TEST(TurnChannel, AFullTableIs508) {
  ServerConfig config = default_config();
  config.limits.channels_per_allocation = 2;
  Harness h(config);
  Client c(h, Harness::tuple(1));
  ASSERT_TRUE(c.allocate().success());
  ASSERT_TRUE(c.bind(0x4000, ip4(8, 8, 8, 8, 1)).success());
  ASSERT_TRUE(c.bind(0x4001, ip4(8, 8, 8, 8, 2)).success());
  EXPECT_EQ(c.bind(0x4002, ip4(8, 8, 8, 8, 3)).code(), 508);
  EXPECT_TRUE(c.bind(0x4001, ip4(8, 8, 8, 8, 2)).success());  // a refresh needs no room
}

TEST(TurnChannel, ExpiresAt600SecondsAndThenTheNumberAndPeerAreFree) {
  Harness h;
  Client c(h, Harness::tuple(1));
  ASSERT_TRUE(c.allocate([](stun::Builder& b) { b.add<stun::attr::Lifetime>(3600); }).success());
  ASSERT_TRUE(c.bind(0x4000, kPeer).success());
  const Bytes data = {1};
  // The permission (300 s) needs refreshing on its own; a client does it with CreatePermission.
  h.advance(290s);
  ASSERT_TRUE(c.permit({kPeer}).success());
  h.advance(210s);
  ASSERT_TRUE(c.permit({kPeer}).success());  // until 800 s
  h.advance(99s);                            // 599 s
  c.channel_data(0x4000, data);
  EXPECT_EQ(h.host().to_peers.size(), 1U);
  ASSERT_EQ(h.from_peer(1, kPeer, data).size(), 1U);
  EXPECT_EQ(h.host().to_clients.back().bytes[0], 0x40);  // still ChannelData
  h.advance(1s);  // 600 s: the channel is over, the permission (refreshed at 500 s) is not
  c.channel_data(0x4000, data);
  EXPECT_EQ(h.host().to_peers.size(), 1U);
  const auto out = h.from_peer(1, kPeer, data);
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(Response{out[0].bytes}.message().method(), stun::Method::data);  // a Data indication now
  h.tick();
  EXPECT_EQ(h.metrics().channels, 0U);
  // The number and the peer can be bound afresh, to each other or to others.
  EXPECT_TRUE(c.bind(0x4000, ip4(8, 8, 8, 8, 1)).success());
  EXPECT_TRUE(c.bind(0x4001, kPeer).success());
}

TEST(TurnChannel, ThePermissionCanRunOutBeforeTheChannel) {
  Harness h;
  Client c(h, Harness::tuple(1));
  ASSERT_TRUE(c.allocate().success());
  ASSERT_TRUE(c.bind(0x4000, kPeer).success());
  h.advance(300s);
  const Bytes data = {1};
  c.channel_data(0x4000, data);
  EXPECT_TRUE(h.host().to_peers.empty());
  EXPECT_TRUE(h.from_peer(1, kPeer, data).empty());
  // Binding again refreshes both.
  ASSERT_TRUE(c.bind(0x4000, kPeer).success());
  c.channel_data(0x4000, data);
  EXPECT_EQ(h.host().to_peers.size(), 1U);
}

TEST(TurnChannel, UnboundChannelIsDropped) {
  Harness h;
  Client c(h, Harness::tuple(1));
  ASSERT_TRUE(c.allocate().success());
  const Bytes data = {1};
  c.channel_data(0x4000, data);
  EXPECT_TRUE(h.host().to_peers.empty());
  EXPECT_EQ(h.metrics().dropped_no_permission, 1U);
  // ChannelData from a 5-tuple with no allocation: dropped too.
  Client stranger(h, Harness::tuple(2));
  stranger.channel_data(0x4000, data);
  EXPECT_TRUE(h.host().to_peers.empty());
}

}  // namespace
}  // namespace peerhub::turn::testing
