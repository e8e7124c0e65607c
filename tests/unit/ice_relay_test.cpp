// Relayed candidates through peerhub's own TURN server core (src/turn), over UDP and over TCP: the agents
// connect when only the relay gets through, data flows, and the allocation is released on close.
#include <gtest/gtest.h>

#include "ice_harness.hpp"

namespace peerhub::ice::testing {
namespace {

const stun::Address kTurn = ip4(10, 9, 9, 9, 3478);

bool is_turn(const stun::Address& a) {
  return a.family == kTurn.family && std::equal(a.ip().begin(), a.ip().end(), kTurn.ip().begin());
}

// A (controlling, with the TURN server) and B; behind a firewall that lets them reach only the TURN server,
// unless `firewall` is false.
struct Relayed : TwoPeers {
  explicit Relayed(Transport transport) : Relayed(make(transport), true) {}
  Relayed(const Config& a_config, bool firewall) : TwoPeers(a_config, config(Role::controlled, 2)) {
    net.add_turn_server(kTurn);
    if (firewall) {
      net.allowed = [](const stun::Address& from, const stun::Address& to) {
        return is_turn(from) || is_turn(to);
      };
    }
    exchange_credentials(a, b);
  }
  static Config make(Transport transport, std::string password = "pass") {
    Config c = config(Role::controlling, 1);
    c.turn_servers = {TurnServer{kTurn, transport, "user", std::move(password)}};
    return c;
  }
  void connect() {
    add_bases();
    ASSERT_TRUE(net.run_until([&] { return both_connected(); }, 10s));
  }
};

void expect_relayed_data(Relayed& r) {
  expect_data_flows(r, {0x17, 0xFE, 0xFD, 9});
}

TEST(IceRelay, ConnectsThroughTurnOverUdp) {
  Relayed r(Transport::udp);
  r.connect();
  const auto relay = std::find_if(r.a.candidates.begin(), r.a.candidates.end(),
                                  [](const Candidate& c) { return c.type == CandidateType::relay; });
  ASSERT_NE(relay, r.a.candidates.end());
  EXPECT_TRUE(is_turn(relay->address));
  EXPECT_EQ(relay->related, kA);  // the mapped address the server saw (no NAT here)
  EXPECT_EQ(relay->priority, candidate_priority(CandidateType::relay, 65535));
  EXPECT_EQ(r.a.gathering_complete, 1);
  ASSERT_FALSE(r.a.selections.empty());
  EXPECT_TRUE(r.a.selections.back().relayed);
  EXPECT_EQ(r.a.selections.back().local.type, CandidateType::relay);
  EXPECT_EQ(r.a.selections.back().base_id, 1U);
  EXPECT_EQ(r.b.selections.back().remote.address, relay->address);
  expect_relayed_data(r);
  // Consent and the allocation's refreshes keep it up.
  r.net.run_for(15min);
  EXPECT_TRUE(r.a.connected() && r.b.connected());
  expect_relayed_data(r);

  // close() releases the allocation on the server.
  EXPECT_EQ(r.net.turn_server()->allocation_count(), 1U);
  r.a.agent.close();
  r.net.pump();
  r.net.run_for(1s);
  EXPECT_EQ(r.net.turn_server()->allocation_count(), 0U);
}

TEST(IceRelay, ConnectsThroughTurnOverTcp) {
  Relayed r(Transport::tcp);
  r.connect();
  ASSERT_FALSE(r.a.selections.empty());
  EXPECT_TRUE(r.a.selections.back().relayed);
  EXPECT_EQ(r.a.selections.back().local.priority, candidate_priority(CandidateType::relay, 32767));
  // Everything for the server went on the stream.
  for (const Transmit& t : r.a.sent)
    if (t.destination == kTurn) {
      EXPECT_EQ(t.turn_stream, std::optional<std::size_t>{0});
    }
  expect_relayed_data(r);

  // The connection drops: the selected pair ran through it, so the agent fails at once instead of after
  // consent's 30 s of silence.
  r.net.cut_turn_stream(r.a, 0);
  EXPECT_EQ(r.a.agent.state(), State::failed);
}

TEST(IceRelay, TurnServerGivesTheServerReflexiveCandidateToo) {
  Relayed r(Transport::udp);
  const stun::Address nat = ip4(203, 0, 113, 9, 40001);
  r.net.add_base(r.a, 1, kA, nat);
  ASSERT_TRUE(r.net.run_until([&] { return r.a.gathering_complete == 1; }, 15s));
  ASSERT_EQ(r.a.candidates.size(), 3U);
  EXPECT_EQ(r.a.candidates[1].type, CandidateType::srflx);
  EXPECT_EQ(r.a.candidates[1].address, nat);
  EXPECT_EQ(r.a.candidates[1].related, kA);
  EXPECT_EQ(r.a.candidates[2].type, CandidateType::relay);
  EXPECT_EQ(r.a.candidates[2].related, nat);
  EXPECT_EQ(r.a.agent.local_candidates(), r.a.candidates);
}

TEST(IceRelay, DirectPathIsPreferredWhenItWorks) {
  Relayed r(Transport::udp);
  r.net.allowed = nullptr;
  r.connect();
  r.net.run_for(2s);
  EXPECT_FALSE(r.a.selections.back().relayed);
  EXPECT_EQ(r.a.selections.back().local.type, CandidateType::host);
}

TEST(IceRelay, WrongTurnPasswordStillLetsHostCandidatesWork) {
  Relayed r(Relayed::make(Transport::udp, "wrong"), false);
  r.add_bases();
  ASSERT_TRUE(r.net.run_until(
      [&] { return r.a.connected() && r.b.connected() && r.a.gathering_complete == 1; }, 15s));
  EXPECT_TRUE(std::none_of(r.a.candidates.begin(), r.a.candidates.end(),
                           [](const Candidate& x) { return x.type == CandidateType::relay; }));
}

TEST(IceRelay, RelayOnlyWithEveryAllocationFailedIsFailedOnceGatheringEnds) {
  Config c = Relayed::make(Transport::udp, "wrong");
  c.relay_only = true;
  Relayed r(c, false);
  r.add_bases();
  // No end-of-candidates from b: the failure comes from a's own side, not from every pair failing.
  ASSERT_TRUE(r.net.run_until([&] { return r.a.agent.state() == State::failed; }, 15s));
  EXPECT_EQ(r.a.gathering_complete, 1);
  EXPECT_TRUE(r.a.selections.empty());
  EXPECT_TRUE(std::none_of(r.a.candidates.begin(), r.a.candidates.end(),
                           [](const Candidate& x) { return x.type == CandidateType::relay; }));
}

}  // namespace
}  // namespace peerhub::ice::testing
