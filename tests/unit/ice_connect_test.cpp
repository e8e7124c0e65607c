// Two agents on the virtual network find each other: over host candidates, through a NAT with a STUN
// server, with a role conflict, with a lite agent, under loss, and not with a wrong password.
#include <gtest/gtest.h>

#include "ice_harness.hpp"

namespace peerhub::ice::testing {
namespace {

// Data both ways on the selected pairs.
void expect_data_flows(TwoPeers& p) {
  expect_data_flows(p, {0x17, 0xFE, 0xFD, 1, 2, 3});  // a DTLS-looking record (RFC 7983: 20..63)
}

TEST(IceConnect, HostCandidates) {
  TwoPeers p(config(Role::controlling, 1), config(Role::controlled, 2));
  exchange_credentials(p.a, p.b);
  p.net.add_base(p.a, 1, kA);
  p.net.add_base(p.b, 7, kB);
  ASSERT_TRUE(p.net.run_until([&] { return p.both_connected(); }, 2s));

  EXPECT_EQ(p.a.states.front(), State::checking);
  ASSERT_EQ(p.a.selections.size(), 1U);
  ASSERT_EQ(p.b.selections.size(), 1U);
  EXPECT_EQ(p.a.selections[0].local.address, kA);
  EXPECT_EQ(p.a.selections[0].remote.address, kB);
  EXPECT_EQ(p.a.selections[0].base_id, 1U);
  EXPECT_EQ(p.b.selections[0].remote.address, kA);
  EXPECT_EQ(p.b.selections[0].base_id, 7U);
  EXPECT_EQ(p.a.agent.role(), Role::controlling);
  EXPECT_EQ(p.b.agent.role(), Role::controlled);
  expect_data_flows(p);

  // With end-of-candidates on both sides and nothing left to check, the state is completed.
  p.a.agent.remote_end_of_candidates(p.net.now);
  p.b.agent.remote_end_of_candidates(p.net.now);
  EXPECT_TRUE(p.net.run_until([&] { return p.a.agent.state() == State::completed; }, 1s));
  EXPECT_EQ(p.a.gathering_complete, 1);
}

TEST(IceConnect, CredentialsAndCandidatesHaveTheRightShape) {
  Peer a(config(Role::controlling, 9));
  EXPECT_GE(a.agent.local_ufrag().size(), 4U);
  EXPECT_GE(a.agent.local_pwd().size(), 22U);
  for (const char c : a.agent.local_ufrag() + a.agent.local_pwd())
    EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/') << c;
  Peer b(config(Role::controlling, 10));
  EXPECT_NE(a.agent.local_pwd(), b.agent.local_pwd());

  Config given = config(Role::controlled, 3);
  given.ufrag = "abcd";
  given.pwd = "0123456789012345678901";
  Peer c(given);
  EXPECT_EQ(c.agent.local_ufrag(), "abcd");
  EXPECT_EQ(c.agent.local_pwd(), "0123456789012345678901");

  Network net;
  net.add(c);
  net.add_base(c, 3, kA);
  ASSERT_EQ(c.candidates.size(), 1U);
  EXPECT_EQ(c.candidates[0].type, CandidateType::host);
  EXPECT_EQ(c.candidates[0].address, kA);
  EXPECT_EQ(c.candidates[0].ufrag, "abcd");
  EXPECT_EQ(c.candidates[0].priority, candidate_priority(CandidateType::host, 65535));
  EXPECT_EQ(c.gathering_complete, 1);  // no STUN server: done at once
}

TEST(IceConnect, ServerReflexiveThroughANat) {
  const stun::Address stun_server = ip4(198, 51, 100, 1, 3478);
  const stun::Address nat = ip4(203, 0, 113, 9, 40001);
  Config ca = config(Role::controlling, 1);
  ca.stun_servers = {stun_server};
  TwoPeers p(ca, config(Role::controlled, 2));
  p.net.add_stun_server(stun_server);
  exchange_credentials(p.a, p.b);
  // A's host address is private: nothing reaches it but through the NAT.
  p.net.add_base(p.a, 1, kA, nat);
  p.net.add_base(p.b, 2, ip4(198, 51, 100, 20, 6000));
  ASSERT_TRUE(p.net.run_until([&] { return p.both_connected(); }, 5s));

  ASSERT_EQ(p.a.candidates.size(), 2U);
  const Candidate& srflx = p.a.candidates[1];
  EXPECT_EQ(srflx.type, CandidateType::srflx);
  EXPECT_EQ(srflx.address, nat);
  EXPECT_EQ(srflx.related, kA);
  EXPECT_EQ(srflx.priority, candidate_priority(CandidateType::srflx, 65535));
  EXPECT_EQ(p.a.gathering_complete, 1);
  EXPECT_EQ(p.b.selections.back().remote.address, nat);
  expect_data_flows(p);
}

TEST(IceConnect, UnansweredStunServerEndsGatheringWithinFiveSeconds) {
  Config c = config(Role::controlling, 1);
  c.stun_servers = {ip4(198, 51, 100, 99, 3478)};  // nobody there
  Peer a(c);
  Network net;
  net.add(a);
  const TimePoint start = net.now;
  net.add_base(a, 1, kA);
  ASSERT_TRUE(net.run_until([&] { return a.gathering_complete == 1; }, 10s));
  EXPECT_LE(net.now - start, 5s);
  EXPECT_GE(net.now - start, 4s);
  // RFC 8489 retransmissions at 0, 0.5, 1.5 and 3.5 s.
  EXPECT_EQ(a.count_sent(stun::Class::request), 4);
  EXPECT_EQ(a.candidates.size(), 1U);
}

TEST(IceConnect, Ipv6AndDualStack) {
  const stun::Address a6 = *stun::Address::parse("[2001:db8::1]:5000");
  const stun::Address b6 = *stun::Address::parse("[2001:db8::2]:6000");
  TwoPeers p(config(Role::controlling, 1), config(Role::controlled, 2));
  exchange_credentials(p.a, p.b);
  p.net.add_base(p.a, 1, a6);
  p.net.add_base(p.a, 2, kA);
  p.net.add_base(p.b, 3, b6);
  ASSERT_TRUE(p.net.run_until([&] { return p.both_connected(); }, 2s));
  EXPECT_EQ(p.a.selections.back().remote.address, b6);
  EXPECT_EQ(p.a.selections.back().base_id, 1U);
  expect_data_flows(p);
}

TEST(IceConnect, RoleConflictBothControlling) {
  for (const Role role : {Role::controlling, Role::controlled}) {
    TwoPeers p(config(role, 1), config(role, 2));
    exchange_credentials(p.a, p.b);
    p.net.add_base(p.a, 1, kA);
    p.net.add_base(p.b, 2, kB);
    ASSERT_TRUE(p.net.run_until([&] { return p.both_connected(); }, 3s));
    EXPECT_NE(p.a.agent.role(), p.b.agent.role());
    expect_data_flows(p);
  }
}

TEST(IceConnect, LiteAgentAgainstFullAgent) {
  Config lite = config(Role::controlling, 2);  // a lite agent is controlled whatever it is told
  lite.lite = true;
  lite.stun_servers = {ip4(198, 51, 100, 1, 3478)};  // and never gathers
  TwoPeers p(config(Role::controlling, 1), lite);
  p.a.signal_to = nullptr;  // the full agent's candidates are not needed by a lite server
  exchange_credentials(p.a, p.b);
  p.net.add_base(p.a, 1, kA);
  p.net.add_base(p.b, 2, kB);
  ASSERT_TRUE(p.net.run_until([&] { return p.both_connected(); }, 2s));
  EXPECT_EQ(p.b.agent.role(), Role::controlled);
  EXPECT_EQ(p.b.candidates.size(), 1U);
  EXPECT_EQ(p.b.selections.back().remote.address, kA);
  expect_data_flows(p);
  p.net.run_for(20s);
  EXPECT_TRUE(p.both_connected());
  // The lite agent answered every check and sent none of its own.
  EXPECT_EQ(p.b.count_sent(stun::Class::request), 0);
  EXPECT_GT(p.b.count_sent(stun::Class::success), 3);
}

TEST(IceConnect, TwentyPercentLossDuplicatesAndReordering) {
  Duration slowest{};
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    TwoPeers p(config(Role::controlling, seed * 2), config(Role::controlled, seed * 2 + 1), seed);
    p.net.loss = 0.2;
    p.net.duplicate = 0.1;
    p.net.reorder = 0.2;
    exchange_credentials(p.a, p.b);
    p.net.add_base(p.a, 1, kA);
    p.net.add_base(p.b, 2, kB);
    const TimePoint start = p.net.now;
    EXPECT_TRUE(p.net.run_until([&] { return p.both_connected(); }, 10s)) << "seed " << seed;
    slowest = std::max(slowest, p.net.now - start);
    // Stays up: consent survives the loss.
    p.net.run_for(60s);
    EXPECT_TRUE(p.both_connected()) << "seed " << seed << " " << to_string(p.a.agent.state()) << " "
                                    << to_string(p.b.agent.state());
  }
  EXPECT_LE(slowest, 8s);  // 40 seeds: the slowest takes ~5 s
}

TEST(IceConnect, WrongPasswordIsRefusedAndNeverConnects) {
  TwoPeers p(config(Role::controlling, 1), config(Role::controlled, 2));
  p.a.agent.set_remote_credentials(p.b.agent.local_ufrag(), "not-the-password-at-all");
  p.b.agent.set_remote_credentials(p.a.agent.local_ufrag(), p.a.agent.local_pwd());
  p.net.add_base(p.a, 1, kA);
  p.net.add_base(p.b, 2, kB);
  p.a.agent.remote_end_of_candidates(p.net.now);
  p.b.agent.remote_end_of_candidates(p.net.now);
  p.net.run_for(30s);
  EXPECT_FALSE(p.a.connected());
  EXPECT_FALSE(p.b.connected());
  EXPECT_TRUE(p.a.selections.empty());
  EXPECT_TRUE(p.b.selections.empty());
  EXPECT_GT(p.b.count_sent(stun::Class::error, 401), 0);
  EXPECT_EQ(p.a.agent.state(), State::failed);
  EXPECT_FALSE(p.a.agent.send(p.net.now, Bytes{1, 2, 3}));
}

TEST(IceConnect, UnreachablePeerFailsAfterEndOfCandidates) {
  TwoPeers p(config(Role::controlling, 1), config(Role::controlled, 2));
  exchange_credentials(p.a, p.b);
  p.net.add_base(p.a, 1, kA);
  p.net.add_base(p.b, 2, ip4(10, 0, 0, 99, 1));
  p.net.remove_route(ip4(10, 0, 0, 99, 1));  // B can't be reached
  p.a.agent.remote_end_of_candidates(p.net.now);
  ASSERT_TRUE(p.net.run_until([&] { return p.a.agent.state() == State::failed; }, 30s));
  EXPECT_FALSE(p.a.saw(State::connected));
}

}  // namespace
}  // namespace peerhub::ice::testing
