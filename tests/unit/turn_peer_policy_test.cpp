// The peer policy (server.hpp's PeerPolicy): every denied range refused with 403 by CreatePermission and
// ChannelBind, in its IPv4 form and in the IPv6 forms that carry it; allow_loopback, allowed ranges and the
// TURN-to-TURN exception.
#include "turn/peer_policy.hpp"
#include "turn_harness.hpp"

namespace peerhub::turn::testing {
namespace {

PeerVerdict verdict(const std::string& ip, const PeerPolicy& policy = {}) {
  return check_peer(policy, addr(ip));
}

TEST(TurnPeerPolicy, DeniedIpv4Ranges) {
  for (const char* ip :
       {"0.0.0.0", "0.1.2.3", "127.0.0.1", "127.255.255.254", "10.0.0.1", "10.255.255.255", "172.16.0.1",
        "172.31.255.255", "192.168.0.1", "192.168.255.255", "100.64.0.1", "100.127.255.255", "169.254.0.1",
        "169.254.169.254", "224.0.0.1", "239.255.255.255", "240.0.0.1", "255.255.255.255"})
    EXPECT_EQ(verdict(ip), PeerVerdict::denied) << ip;
  for (const char* ip : {"8.8.8.8", "1.1.1.1", "172.15.255.255", "172.32.0.0", "100.63.255.255",
                         "100.128.0.0", "192.167.255.255", "192.169.0.0", "11.0.0.1", "126.255.255.255",
                         "128.0.0.0", "223.255.255.255", "169.253.255.255", "203.0.113.9"})
    EXPECT_EQ(verdict(ip), PeerVerdict::allowed) << ip;
}

TEST(TurnPeerPolicy, DeniedIpv6Ranges) {
  for (const char* ip : {"::", "::1", "fe80::1", "febf::1", "fec0::1", "fc00::1", "fd12:3456::1",
                         "fd00:ec2::254", "ff02::1", "ff0e::1"})
    EXPECT_EQ(verdict(ip), PeerVerdict::denied) << ip;
  for (const char* ip : {"2001:db8::1", "2606:4700::1111", "fe7f::1", "fbff::1", "2001::1"})
    EXPECT_EQ(verdict(ip), PeerVerdict::allowed) << ip;
}

TEST(TurnPeerPolicy, Ipv6FormsThatCarryADeniedIpv4Address) {
  for (const char* ip :
       {"::ffff:127.0.0.1", "::ffff:10.1.2.3", "::ffff:169.254.169.254", "::ffff:0.0.0.0",
        "::ffff:192.168.1.1", "::ffff:224.0.0.1", "::127.0.0.1", "::10.0.0.1", "::0.0.0.2",
        "64:ff9b::127.0.0.1", "64:ff9b::a9fe:a9fe", "2002:7f00:1::1", "2002:a00:1::", "2002:c0a8:101::1"})
    EXPECT_EQ(verdict(ip), PeerVerdict::denied) << ip;
  // The same forms of a public address are that public address.
  for (const char* ip : {"::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1"})
    EXPECT_EQ(verdict(ip), PeerVerdict::allowed) << ip;
}

TEST(TurnPeerPolicy, AllowLoopbackOpensLoopbackAndPrivateButNotMetadataOrTheRest) {
  PeerPolicy p;
  p.allow_loopback = true;
  for (const char* ip :
       {"127.0.0.1", "10.1.1.1", "172.16.5.4", "192.168.1.1", "::1", "fd12::1", "::ffff:127.0.0.1"})
    EXPECT_EQ(verdict(ip, p), PeerVerdict::allowed) << ip;
  for (const char* ip : {"169.254.169.254", "fd00:ec2::254", "::ffff:169.254.169.254", "0.0.0.0", "::",
                         "224.0.0.1", "ff02::1", "169.254.1.1", "fe80::1", "100.64.0.1", "255.255.255.255"})
    EXPECT_EQ(verdict(ip, p), PeerVerdict::denied) << ip;
}

TEST(TurnPeerPolicy, AllowedRangesOverrideTheDefaults) {
  PeerPolicy p;
  p.allowed.push_back({addr("10.20.0.0"), 16});
  p.allowed.push_back({addr("fd00::"), 8});
  p.allowed.push_back({addr("169.254.169.254"), 32});
  EXPECT_EQ(verdict("10.20.1.2", p), PeerVerdict::allowed);
  EXPECT_EQ(verdict("10.21.1.2", p), PeerVerdict::denied);
  EXPECT_EQ(verdict("fd00:ec2::254", p), PeerVerdict::allowed);  // the operator asked for it
  EXPECT_EQ(verdict("fc00::1", p), PeerVerdict::denied);
  EXPECT_EQ(verdict("169.254.169.254", p), PeerVerdict::allowed);
  EXPECT_EQ(verdict("::ffff:10.20.1.2", p), PeerVerdict::allowed);  // the mapped form gets the same verdict
  PeerPolicy all;
  all.allowed.push_back({addr("0.0.0.0"), 0});
  EXPECT_EQ(verdict("127.0.0.1", all), PeerVerdict::allowed);
  EXPECT_EQ(verdict("::1", all), PeerVerdict::denied);  // a range never crosses families
}

TEST(TurnPeerPolicy, OwnRelayAddressesOnRelayPortsOnly) {
  PeerPolicy p;
  p.own_relays = {addr("127.0.0.1")};
  p.own_port_min = 49152;
  p.own_port_max = 65535;
  EXPECT_EQ(verdict("127.0.0.1", p), PeerVerdict::own_relay);
  EXPECT_EQ(verdict("127.0.0.2", p), PeerVerdict::denied);
  EXPECT_EQ(verdict("::ffff:127.0.0.1", p), PeerVerdict::denied);
  EXPECT_TRUE(own_relay_port(p, 49152));
  EXPECT_FALSE(own_relay_port(p, 8080));
  p.own_port_max = 0;
  EXPECT_EQ(verdict("127.0.0.1", p), PeerVerdict::denied);
}

// Through the protocol: CreatePermission and ChannelBind answer 403 for a denied peer, counted.
TEST(TurnPeerPolicy, CreatePermissionAndChannelBindRefuseEachDeniedRangeWith403) {
  Harness h;
  Client c(h, Harness::tuple(1));
  ASSERT_TRUE(c.allocate().success());
  Client c6(h, Harness::tuple(2));
  ASSERT_TRUE(c6.allocate([](stun::Builder& b) {
                  b.add<stun::attr::RequestedAddressFamily>(stun::Family::ipv6);
                }).success());
  std::uint64_t refused = 0;
  for (const char* ip : {"0.0.0.1", "127.0.0.1", "10.0.0.1", "172.16.0.1", "192.168.1.1", "100.64.0.1",
                         "169.254.1.1", "169.254.169.254", "224.0.0.1", "240.0.0.1", "255.255.255.255"}) {
    EXPECT_EQ(c.permit({addr(ip)}).code(), 403) << ip;
    EXPECT_EQ(c.bind(0x4001, addr(std::string(ip) + ":9")).code(), 403) << ip;
    refused += 2;
  }
  for (const char* ip :
       {"::", "::1", "fe80::1", "fc00::1", "fd00:ec2::254", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1",
        "::ffff:169.254.169.254", "::10.0.0.1", "64:ff9b::7f00:1", "2002:7f00:1::"}) {
    EXPECT_EQ(c6.permit({addr(ip)}).code(), 403) << ip;
    refused += 1;
  }
  EXPECT_EQ(h.metrics().refused_peer, refused);
  EXPECT_EQ(h.metrics().errors_by_code[2], refused);
  EXPECT_EQ(h.metrics().permissions, 0U);
  // One refused peer refuses the whole request.
  EXPECT_EQ(c.permit({ip4(8, 8, 8, 8), ip4(127, 0, 0, 1)}).code(), 403);
  EXPECT_EQ(h.metrics().permissions, 0U);
}

TEST(TurnPeerPolicy, ConfiguredRangesAndLoopbackThroughTheProtocol) {
  ServerConfig config = default_config();
  config.peers.allowed.push_back({addr("10.1.0.0"), 16});
  Harness h(config);
  Client c(h, Harness::tuple(1));
  ASSERT_TRUE(c.allocate().success());
  EXPECT_TRUE(c.permit({ip4(10, 1, 2, 3)}).success());
  EXPECT_EQ(c.permit({ip4(10, 2, 2, 3)}).code(), 403);

  ServerConfig loop = default_config();
  loop.peers.allow_loopback = true;
  Harness h2(loop);
  Client d(h2, Harness::tuple(1));
  ASSERT_TRUE(d.allocate().success());
  EXPECT_TRUE(d.permit({ip4(127, 0, 0, 1)}).success());
  EXPECT_TRUE(d.bind(0x4000, ip4(192, 168, 1, 5, 5000)).success());
  EXPECT_EQ(d.permit({ip4(169, 254, 169, 254)}).code(), 403);
}

// Two relay-only clients of one server on loopback: each is the other's peer at a relay address.
TEST(TurnPeerPolicy, TurnToTurnOnRelayPortsOnly) {
  ServerConfig config = default_config();
  config.peers.own_relays = {ip4(127, 0, 0, 1)};
  config.peers.own_port_min = 50000;
  config.peers.own_port_max = 50999;
  Harness h(config);
  h.host().ipv4_relay = ip4(127, 0, 0, 1);
  Client a(h, Harness::tuple(1));
  Client b(h, Harness::tuple(2));
  const stun::Address ra = a.allocated();
  const stun::Address rb = b.allocated();
  ASSERT_TRUE(a.permit({rb}).success());
  ASSERT_TRUE(b.bind(0x4000, ra).success());
  // A's Send to B's relay port goes out; one to another port of the same host (say, its HTTP server) does
  // not.
  const Bytes hello = {'h', 'i'};
  a.send(rb, hello);
  ASSERT_EQ(h.host().to_peers.size(), 1U);
  EXPECT_EQ(h.host().to_peers[0].peer, rb);
  a.send(ip4(127, 0, 0, 1, 8080), hello);
  EXPECT_EQ(h.host().to_peers.size(), 1U);
  EXPECT_EQ(h.metrics().dropped_no_permission, 1U);
  // Nor can a channel be bound to a non-relay port there.
  EXPECT_EQ(a.bind(0x4001, ip4(127, 0, 0, 1, 6379)).code(), 403);
  // Data from a relay port is delivered; from another port it is dropped.
  EXPECT_EQ(h.from_peer(1, rb, hello).size(), 1U);
  EXPECT_TRUE(h.from_peer(1, ip4(127, 0, 0, 1, 22), hello).empty());
}

}  // namespace
}  // namespace peerhub::turn::testing
