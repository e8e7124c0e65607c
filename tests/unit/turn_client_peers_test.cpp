// turn::Client's permissions, channels and data both ways, against peerhub's own TURN server: what reaches
// the peer through the relay, and what the client hands back to its caller.
#include <gtest/gtest.h>

#include "stun/attributes.hpp"
#include "turn_client_harness.hpp"

namespace peerhub::turn::testing {
namespace {

using namespace std::chrono_literals;

std::span<const std::uint8_t> span_of(const Bytes& b) {
  return b;
}

TEST(TurnClientPeers, SendIndicationReachesThePeerOnlyAfterThePermission) {
  Harness h;
  Link link(h, client_config());
  link.allocate();
  EXPECT_FALSE(link.client.send_to(link.now(), kPeer, text("early")));  // no permission yet
  ASSERT_TRUE(link.client.create_permission(link.now(), kPeer));
  link.pump();
  const auto created = link.last<PermissionCreated>();
  ASSERT_TRUE(created.has_value());
  EXPECT_EQ(created->peer, kPeer);
  EXPECT_TRUE(link.client.has_permission(kPeer));
  // The permission is for the IP: another port of the same host is covered.
  stun::Address other_port = kPeer;
  other_port.port = 7000;
  EXPECT_TRUE(link.client.has_permission(other_port));

  ASSERT_TRUE(link.client.send_to(link.now(), kPeer, text("hello")));
  link.pump();
  EXPECT_TRUE(is_method(link.sent.back(), stun::Method::send, stun::Class::indication));
  ASSERT_EQ(link.at_peers().size(), 1U);
  EXPECT_EQ(link.at_peers()[0].peer, kPeer);
  EXPECT_EQ(link.at_peers()[0].bytes, text("hello"));
  EXPECT_EQ(link.at_peers()[0].relay, h.host().open.begin()->first);
}

TEST(TurnClientPeers, PeerDataComesBackFromADataIndication) {
  Harness h;
  Link link(h, client_config());
  link.allocate();
  link.client.create_permission(link.now(), kPeer);
  link.pump();
  const auto got = link.from_peer(kPeer, text("pong"));
  ASSERT_EQ(got.size(), 1U);
  EXPECT_EQ(got[0].kind, Received::Kind::peer_data);
  EXPECT_EQ(got[0].peer, kPeer);
  EXPECT_EQ(got[0].data, text("pong"));
  EXPECT_TRUE(is_method(got[0].bytes, stun::Method::data, stun::Class::indication));
}

TEST(TurnClientPeers, ADataIndicationFromAPeerWithoutPermissionIsDropped) {
  Harness h;
  Link link(h, client_config());
  link.allocate();
  link.client.create_permission(link.now(), kPeer);
  link.pump();
  // The server would never send it; a forged one is consumed and not handed on.
  Bytes forged;
  stun::Builder b(forged, stun::Method::data, stun::Class::indication, stun::TransactionId{1});
  b.add<stun::attr::XorPeerAddress>(kPeer2);
  b.add<stun::attr::Data>(span_of(text("spoof")));
  const Received r = link.client.handle_datagram(link.now(), forged);
  EXPECT_EQ(r.kind, Received::Kind::consumed);
  EXPECT_TRUE(r.data.empty());
}

TEST(TurnClientPeers, ChannelDataBothWaysAfterBindChannel) {
  Harness h;
  Link link(h, client_config());
  link.allocate();
  ASSERT_TRUE(link.client.bind_channel(link.now(), kPeer));
  link.pump();
  const auto bound = link.last<ChannelBound>();
  ASSERT_TRUE(bound.has_value()) << (link.last<ChannelFailed>() ? link.last<ChannelFailed>()->reason : "");
  EXPECT_EQ(bound->peer, kPeer);
  EXPECT_EQ(bound->channel, 0x4000);
  EXPECT_EQ(link.client.channel(kPeer), 0x4000);
  // ChannelBind installs the permission too (§12.2).
  EXPECT_TRUE(link.last<PermissionCreated>());
  EXPECT_TRUE(link.client.has_permission(kPeer));

  ASSERT_TRUE(link.client.send_to(link.now(), kPeer, text("over the channel")));
  link.pump();
  const Bytes& frame = link.sent.back();
  ASSERT_EQ(frame.size(), 4U + 16U);  // ChannelData over UDP: header and data, no STUN
  EXPECT_EQ(frame[0], 0x40);
  EXPECT_EQ(frame[1], 0x00);
  ASSERT_EQ(link.at_peers().size(), 1U);
  EXPECT_EQ(link.at_peers()[0].bytes, text("over the channel"));

  const auto got = link.from_peer(kPeer, text("back"));
  ASSERT_EQ(got.size(), 1U);
  EXPECT_EQ(got[0].kind, Received::Kind::peer_data);
  EXPECT_EQ(got[0].peer, kPeer);
  EXPECT_EQ(got[0].data, text("back"));
  EXPECT_EQ(got[0].bytes[0], 0x40);  // it came as ChannelData
}

TEST(TurnClientPeers, EachPeerGetsItsOwnChannelNumber) {
  Harness h;
  Link link(h, client_config());
  link.allocate();
  link.client.bind_channel(link.now(), kPeer);
  link.client.bind_channel(link.now(), kPeer2);
  link.pump();
  const auto bound = link.all<ChannelBound>();
  ASSERT_EQ(bound.size(), 2U);
  EXPECT_EQ(bound[0].channel, 0x4000);
  EXPECT_EQ(bound[1].channel, 0x4001);
  // Binding the same peer again is no new channel.
  EXPECT_TRUE(link.client.bind_channel(link.now(), kPeer));
  link.pump();
  EXPECT_EQ(link.all<ChannelBound>().size(), 2U);
  EXPECT_EQ(link.count_sent(stun::Method::channel_bind), 2U);
}

TEST(TurnClientPeers, ChannelDataFromAnUnboundChannelIsDropped) {
  Harness h;
  Link link(h, client_config());
  link.allocate();
  const Bytes frame = {0x40, 0x05, 0x00, 0x02, 'h', 'i'};
  EXPECT_EQ(link.client.handle_datagram(link.now(), frame).kind, Received::Kind::consumed);
}

TEST(TurnClientPeers, PermissionsAskedBeforeTheAllocationAreSentOnceItExists) {
  Harness h;
  Link link(h, client_config());
  EXPECT_TRUE(link.client.create_permission(link.now(), kPeer));
  EXPECT_TRUE(link.client.bind_channel(link.now(), kPeer2));
  link.start();
  ASSERT_TRUE(link.last<Allocated>()) << link.failure();
  EXPECT_EQ(link.all<PermissionCreated>().size(), 2U);
  EXPECT_TRUE(link.last<ChannelBound>());
  EXPECT_TRUE(link.client.send_to(link.now(), kPeer, text("a")));
  EXPECT_TRUE(link.client.send_to(link.now(), kPeer2, text("b")));
  link.pump();
  EXPECT_EQ(link.at_peers().size(), 2U);
}

TEST(TurnClientPeers, StaleNonceIsRetriedOnceWithTheNewOne) {
  ServerConfig config = default_config();
  config.nonce_lifetime = 60s;
  Harness h(config);
  Link link(h, client_config());
  link.allocate();
  link.run(2min);
  const std::size_t before = link.sent.size();
  ASSERT_TRUE(link.client.create_permission(link.now(), kPeer));
  link.pump();
  EXPECT_TRUE(link.last<PermissionCreated>())
      << (link.last<PermissionFailed>() ? link.last<PermissionFailed>()->reason : "");
  ASSERT_EQ(link.sent.size(), before + 2);
  const Response stale{link.sent[before]};
  const Response fresh{link.sent[before + 1]};
  EXPECT_NE(stale.get<stun::attr::Nonce>().value_or(""), fresh.get<stun::attr::Nonce>().value_or(""));
  EXPECT_EQ(Response{link.seen[link.seen.size() - 2].bytes}.code(), 438);
}

TEST(TurnClientPeers, ARefusedPeerIsPermissionFailedWithTheCode) {
  Harness h;  // the server refuses loopback peers by default
  Link link(h, client_config());
  link.allocate();
  const stun::Address loopback = ip4(127, 0, 0, 1, 9);
  ASSERT_TRUE(link.client.create_permission(link.now(), loopback));
  link.pump();
  const auto f = link.last<PermissionFailed>();
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->peer, loopback);
  EXPECT_EQ(f->code, 403);
  EXPECT_NE(f->reason.find("CreatePermission refused: 403"), std::string::npos) << f->reason;
  EXPECT_FALSE(link.client.has_permission(loopback));
  EXPECT_FALSE(link.client.send_to(link.now(), loopback, text("x")));
  EXPECT_EQ(link.client.state(), TurnClient::State::allocated);  // the allocation is unharmed
}

TEST(TurnClientPeers, TwentyMinutesOfTrafficKeepsPermissionsAndChannelsAlive) {
  Harness h;
  Link link(h, client_config());
  link.allocate();
  link.client.create_permission(link.now(), kPeer);
  link.client.bind_channel(link.now(), kPeer2);
  link.pump();
  for (int i = 0; i < 120; ++i) {
    link.run(10s);
    ASSERT_TRUE(link.client.send_to(link.now(), kPeer, text("i"))) << i;
    ASSERT_TRUE(link.client.send_to(link.now(), kPeer2, text("c"))) << i;
    link.pump();
  }
  EXPECT_FALSE(link.last<Failed>()) << link.failure();
  EXPECT_FALSE(link.last<PermissionFailed>());
  EXPECT_FALSE(link.last<ChannelFailed>());
  EXPECT_EQ(h.server().allocation_count(), 1U);
  EXPECT_EQ(link.at_peers().size(), 240U);  // every packet reached its peer
  // Both peers can still answer: the server still holds both permissions and the channel.
  const auto a = link.from_peer(kPeer, text("still here"));
  const auto b = link.from_peer(kPeer2, text("me too"));
  ASSERT_EQ(a.size(), 1U);
  ASSERT_EQ(b.size(), 1U);
  EXPECT_EQ(a[0].kind, Received::Kind::peer_data);
  EXPECT_EQ(b[0].kind, Received::Kind::peer_data);
  EXPECT_EQ(b[0].bytes[0], 0x40);
  // Permissions every 4 minutes (20 / 4 = 5), channels every 9 (2): each refresh before the 300 s / 600 s.
  EXPECT_GE(link.count_sent(stun::Method::create_permission), 1U + 4U);
  EXPECT_GE(link.count_sent(stun::Method::channel_bind), 1U + 2U);
}

TEST(TurnClientPeers, AnUnusedPermissionLapsesWithoutRefreshes) {
  Harness h;
  Link link(h, client_config());
  link.allocate();
  link.client.create_permission(link.now(), kPeer);
  link.pump();
  ASSERT_TRUE(link.client.has_permission(kPeer));
  link.run(6min);
  EXPECT_FALSE(link.client.has_permission(kPeer));
  EXPECT_FALSE(link.client.send_to(link.now(), kPeer, text("late")));
  EXPECT_EQ(link.count_sent(stun::Method::create_permission), 1U);
  // The server forgot it as well: the peer's data no longer comes through.
  EXPECT_TRUE(link.from_peer(kPeer, text("x")).empty());
}

TEST(TurnClientPeers, TablesAreBounded) {
  Harness h;
  ClientConfig c = client_config();
  c.max_permissions = 2;
  c.max_transactions = 3;
  Link link(h, c);
  link.allocate();
  EXPECT_TRUE(link.client.create_permission(link.now(), kPeer));
  EXPECT_TRUE(link.client.create_permission(link.now(), kPeer2));
  EXPECT_FALSE(link.client.create_permission(link.now(), ip4(93, 184, 216, 36)));  // permission table full
  link.pump();
  EXPECT_EQ(link.all<PermissionCreated>().size(), 2U);

  ClientConfig d = client_config();
  d.max_transactions = 1;
  Link other(h, d, Harness::tuple(2));
  other.allocate();
  EXPECT_TRUE(other.client.create_permission(other.now(), kPeer));
  EXPECT_FALSE(other.client.create_permission(other.now(), kPeer2));  // one request already waiting
  other.pump();
  EXPECT_TRUE(other.client.create_permission(other.now(), kPeer2));
}

TEST(TurnClientPeers, OverTcpChannelDataIsPaddedBothWays) {
  Harness h;
  ClientConfig c = client_config();
  c.transport = Transport::tcp;
  Link link(h, c, Harness::tuple(1, Transport::tcp));
  link.allocate();
  link.client.bind_channel(link.now(), kPeer);
  link.pump();
  ASSERT_TRUE(link.last<ChannelBound>());
  ASSERT_TRUE(link.client.send_to(link.now(), kPeer, text("five!")));
  link.pump();
  EXPECT_EQ(link.sent.back().size(), 4U + 8U);  // §12.5: padded to a multiple of 4 on a stream
  ASSERT_EQ(link.at_peers().size(), 1U);
  EXPECT_EQ(link.at_peers()[0].bytes, text("five!"));
  const auto got = link.from_peer(kPeer, text("abc"));
  ASSERT_EQ(got.size(), 1U);
  EXPECT_EQ(got[0].bytes.size(), 8U);
  EXPECT_EQ(got[0].data, text("abc"));
}

TEST(TurnClientPeers, AnAllocationTheServerLostIsFailedWith437) {
  Harness h;
  Link link(h, client_config());
  link.allocate();
  // Someone with the same credentials on the same 5-tuple deletes it behind the client's back.
  Client other(h, Harness::tuple(1));
  ASSERT_TRUE(other.refresh(0).success());
  ASSERT_EQ(h.server().allocation_count(), 0U);
  ASSERT_TRUE(link.client.create_permission(link.now(), kPeer));
  link.pump();
  const auto f = link.last<Failed>();
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->code, 437);
  EXPECT_NE(f->reason.find("no longer has this allocation"), std::string::npos) << f->reason;
  EXPECT_EQ(link.client.state(), TurnClient::State::failed);
}

TEST(TurnClientPeers, NothingIsSentAfterFailureOrClose) {
  Harness h;
  Link link(h, client_config());
  link.allocate();
  link.client.create_permission(link.now(), kPeer);
  link.pump();
  link.client.close(link.now());
  link.pump();
  EXPECT_FALSE(link.client.send_to(link.now(), kPeer, text("x")));
  EXPECT_FALSE(link.client.create_permission(link.now(), kPeer2));
  EXPECT_FALSE(link.client.bind_channel(link.now(), kPeer2));
  EXPECT_FALSE(link.client.poll_transmit());
}

}  // namespace
}  // namespace peerhub::turn::testing
