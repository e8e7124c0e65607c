// Trickle ICE (RFC 8838): candidates that come late, checks that come before the credentials, and the bounds
// on what a peer can make the agent remember.
#include <gtest/gtest.h>

#include <set>

#include "ice_harness.hpp"

namespace peerhub::ice::testing {
namespace {

TEST(IceTrickle, CandidatesArriveLate) {
  Network net;
  Peer a(config(Role::controlling, 1)), b(config(Role::controlled, 2));
  net.add(a);
  net.add(b);
  exchange_credentials(a, b);
  net.add_base(a, 1, kA);
  net.add_base(b, 2, kB);
  net.run_for(2s);
  EXPECT_FALSE(a.connected());
  EXPECT_EQ(a.count_sent(stun::Class::request), 0);  // nobody to check yet
  ASSERT_EQ(b.candidates.size(), 1U);
  EXPECT_EQ(a.agent.add_remote_candidate(net.now, b.candidates[0]), AddCandidateResult::added);
  const TimePoint added = net.now;
  ASSERT_TRUE(net.run_until([&] { return a.connected() && b.connected(); }, 2s));
  EXPECT_LT(net.now - added, 500ms);
  // B never got A's candidate: it learned A as peer-reflexive from A's checks.
  EXPECT_EQ(b.selections.back().remote.type, CandidateType::prflx);
  EXPECT_EQ(b.selections.back().remote.address, kA);
}

TEST(IceTrickle, ChecksBeforeTheRemoteCredentialsAreAnsweredAndRememberedForLater) {
  Network net;
  Peer a(config(Role::controlled, 1)), b(config(Role::controlling, 2));
  net.add(a);
  net.add(b);
  b.signal_to = &a;  // only B's candidates travel; A learns nothing else yet
  b.agent.set_remote_credentials(a.agent.local_ufrag(), a.agent.local_pwd());
  net.add_base(a, 1, kA);
  ASSERT_EQ(b.agent.add_remote_candidate(net.now, a.candidates[0]), AddCandidateResult::added);
  b.signal_to = nullptr;  // B's host candidate never reaches A
  net.add_base(b, 2, kB);
  net.run_for(3s);
  // A answered B's checks with its own password, and sent none of its own (it cannot sign them yet).
  EXPECT_GT(a.count_sent(stun::Class::success), 0);
  EXPECT_EQ(a.count_sent(stun::Class::request), 0);
  EXPECT_FALSE(a.connected());

  a.agent.set_remote_credentials(b.agent.local_ufrag(), b.agent.local_pwd());
  const TimePoint given = net.now;
  ASSERT_TRUE(net.run_until([&] { return a.connected() && b.connected(); }, 2s));
  EXPECT_LT(net.now - given, 200ms);
  EXPECT_EQ(a.selections.back().remote.address, kB);
  EXPECT_EQ(a.selections.back().remote.type, CandidateType::prflx);

  // The signalled candidate, when it finally comes, replaces the peer-reflexive one; nothing breaks.
  ASSERT_EQ(b.candidates.size(), 1U);
  EXPECT_EQ(a.agent.add_remote_candidate(net.now, b.candidates[0]), AddCandidateResult::added);
  EXPECT_EQ(a.agent.add_remote_candidate(net.now, b.candidates[0]), AddCandidateResult::duplicate);
  net.run_for(10s);
  EXPECT_TRUE(a.connected());
  EXPECT_EQ(a.selections.size(), 1U);
}

TEST(IceTrickle, CandidatesBeforeCredentialsWait) {
  Network net;
  Peer a(config(Role::controlling, 1)), b(config(Role::controlled, 2));
  net.add(a);
  net.add(b);
  a.signal_to = &b;
  b.signal_to = &a;
  net.add_base(a, 1, kA);
  net.add_base(b, 2, kB);
  net.run_for(2s);
  EXPECT_EQ(a.count_sent(stun::Class::request), 0);
  EXPECT_EQ(b.count_sent(stun::Class::request), 0);
  EXPECT_EQ(a.agent.state(), State::new_);
  exchange_credentials(a, b);
  ASSERT_TRUE(net.run_until([&] { return a.connected() && b.connected(); }, 1s));
}

TEST(IceTrickle, WhatTheAgentIgnores) {
  Peer a(config(Role::controlling, 1));
  const TimePoint now{};
  a.agent.set_remote_credentials("rem1", "remote-password-0123456789");
  Candidate c = *parse_candidate("candidate:1 1 udp 2130706431 10.0.0.9 4000 typ host").candidate;
  EXPECT_EQ(a.agent.add_remote_candidate(now, c), AddCandidateResult::added);
  EXPECT_EQ(a.agent.add_remote_candidate(now, c), AddCandidateResult::duplicate);
  EXPECT_EQ(
      a.agent.add_remote_candidate(
          now, *parse_candidate("candidate:1 1 udp 2130706431 4f3e8c6e-2c8d.local 4000 typ host").candidate),
      AddCandidateResult::unresolvable);
  EXPECT_EQ(
      a.agent.add_remote_candidate(
          now, *parse_candidate("candidate:1 1 tcp 2130706431 10.0.0.9 9 typ host tcptype active").candidate),
      AddCandidateResult::unsupported);
  EXPECT_EQ(a.agent.add_remote_candidate(
                now, *parse_candidate("candidate:1 2 udp 2130706430 10.0.0.9 4001 typ host").candidate),
            AddCandidateResult::unsupported);
  EXPECT_EQ(
      a.agent.add_remote_candidate(
          now, *parse_candidate("candidate:1 1 udp 2130706431 10.0.0.9 4002 typ host ufrag old1").candidate),
      AddCandidateResult::stale);
}

TEST(IceTrickle, RemoteCandidatesAndPairsAreBounded) {
  Network net;
  Peer a(config(Role::controlling, 1));
  net.add(a);
  a.agent.set_remote_credentials("rem1", "remote-password-0123456789");
  for (std::uint32_t base = 1; base <= 3; ++base)
    net.add_base(a, base, ip4(10, 0, 0, static_cast<std::uint8_t>(base), 5000));
  int added = 0;
  int refused = 0;
  for (int i = 0; i < 150; ++i) {
    Candidate c;
    c.foundation = std::to_string(i);
    c.priority = 1000U + static_cast<std::uint32_t>(i);
    c.address = ip4(192, 0, 2, static_cast<std::uint8_t>(i), 7000);
    const auto r = a.agent.add_remote_candidate(net.now, c);
    added += r == AddCandidateResult::added;
    refused += r == AddCandidateResult::too_many;
  }
  EXPECT_EQ(added, 100);
  EXPECT_EQ(refused, 50);
  net.run_for(60s);  // nobody answers
  std::set<std::string> checked;
  for (const Transmit& t : a.sent)
    if (stun::Message::parse(t.bytes) && stun::Message::parse(t.bytes)->cls() == stun::Class::request)
      checked.insert(std::to_string(t.base_id) + "/" + stun::to_string(t.destination));
  EXPECT_LE(checked.size(), 100U);  // at most 100 pairs, although 300 could be formed
  EXPECT_GE(checked.size(), 90U);
  // Paced: at most one new check per Ta = 50 ms plus retransmissions.
  EXPECT_LE(a.count_sent(stun::Class::request), 100 * 7);
  EXPECT_FALSE(a.connected());
}

}  // namespace
}  // namespace peerhub::ice::testing
