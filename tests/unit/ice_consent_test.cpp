// Consent freshness (RFC 7675) and keepalives (RFC 8445 §11): checks every 5 s ± 20 %, "disconnected" after
// a few silent seconds, "failed" 30 s after the last answer, and recovery when the path comes back.
#include <gtest/gtest.h>

#include "ice_harness.hpp"

namespace peerhub::ice::testing {
namespace {

struct Connected : TwoPeers {
  explicit Connected(bool lite_b = false) : TwoPeers(config(Role::controlling, 1), make_b(lite_b)) {
    exchange_credentials(a, b);
    add_bases();
    EXPECT_TRUE(net.run_until([&] { return both_connected(); }, 2s));
  }
  static Config make_b(bool lite) {
    Config c = config(Role::controlled, 2);
    c.lite = lite;
    return c;
  }
};

TEST(IceConsent, ChecksEveryFiveSecondsRandomized) {
  Connected c;
  const TimePoint start = c.net.now;
  const std::size_t first = c.a.sent.size();
  c.net.run_for(120s);
  std::vector<TimePoint> requests;
  for (std::size_t i = first; i < c.a.sent.size(); ++i) {
    const auto m = stun::Message::parse(c.a.sent[i].bytes);
    if (m && m->cls() == stun::Class::request) requests.push_back(c.a.sent_at[i]);
  }
  ASSERT_GE(requests.size(), 20U);
  ASSERT_LE(requests.size(), 30U);
  Duration shortest = 1h, longest{};
  for (std::size_t i = 1; i < requests.size(); ++i) {
    shortest = std::min(shortest, requests[i] - requests[i - 1]);
    longest = std::max(longest, requests[i] - requests[i - 1]);
  }
  EXPECT_GE(shortest, 4s);
  EXPECT_LE(longest, 6s);
  EXPECT_LT(shortest + 200ms, longest);  // randomized, not a fixed period
  EXPECT_TRUE(c.a.connected() && c.b.connected());
  (void)start;
}

TEST(IceConsent, LostPathIsDisconnectedThenFailedAtThirtySeconds) {
  Connected c;
  c.net.blackhole = true;
  const TimePoint cut = c.net.now;
  ASSERT_TRUE(c.net.run_until([&] { return c.a.agent.state() == State::disconnected; }, 10s));
  EXPECT_GE(c.net.now - cut, 5s);
  EXPECT_LE(c.net.now - cut, 8s);
  ASSERT_TRUE(c.net.run_until([&] { return c.a.agent.state() == State::failed; }, 40s));
  EXPECT_GE(c.net.now - cut, 25s);
  EXPECT_LE(c.net.now - cut, 31s);
  EXPECT_FALSE(c.a.agent.send(c.net.now, Bytes{0x17}));
  EXPECT_FALSE(c.a.agent.selected_pair().has_value());
  // The controlled side too.
  ASSERT_TRUE(c.net.run_until([&] { return c.b.agent.state() == State::failed; }, 5s));
  // Nothing more is sent for the dead pair.
  const std::size_t after = c.a.sent.size();
  c.net.run_for(60s);
  EXPECT_EQ(c.a.sent.size(), after);
}

TEST(IceConsent, RecoversWhenThePathComesBack) {
  Connected c;
  c.net.blackhole = true;
  ASSERT_TRUE(c.net.run_until([&] { return c.a.agent.state() == State::disconnected; }, 10s));
  c.net.run_for(5s);
  c.net.blackhole = false;
  ASSERT_TRUE(c.net.run_until([&] { return c.a.connected() && c.b.connected(); }, 3s));
  EXPECT_TRUE(c.a.saw(State::disconnected));
  c.net.run_for(60s);
  EXPECT_TRUE(c.a.connected() && c.b.connected());
  EXPECT_EQ(c.a.selections.size(), 1U);
}

TEST(IceConsent, LiteAgentNoticesASilentPeer) {
  Connected c(true);
  c.net.run_for(60s);
  EXPECT_TRUE(c.b.connected());  // the full agent's consent checks keep it alive
  c.net.blackhole = true;
  const TimePoint cut = c.net.now;
  ASSERT_TRUE(c.net.run_until([&] { return c.b.agent.state() == State::disconnected; }, 10s));
  ASSERT_TRUE(c.net.run_until([&] { return c.b.agent.state() == State::failed; }, 40s));
  EXPECT_LE(c.net.now - cut, 31s);
}

TEST(IceConsent, AnswersToChecksAreKeepaliveEnough) {
  Connected c(true);
  // The lite agent sends no checks, but answers the full agent's consent checks every 5 s: RFC 8445 §11
  // wants a keepalive only after 15 s without sending anything on the pair.
  const std::size_t first = c.b.sent.size();
  c.net.run_for(61s);
  int indications = 0;
  for (std::size_t i = first; i < c.b.sent.size(); ++i) {
    const auto m = stun::Message::parse(c.b.sent[i].bytes);
    if (m && m->cls() == stun::Class::indication) ++indications;
  }
  EXPECT_EQ(indications, 0);
  EXPECT_GT(c.b.count_sent(stun::Class::success), 8);
}

TEST(IceConsent, CloseStopsEverything) {
  Connected c;
  c.a.agent.close();
  c.net.pump();
  EXPECT_EQ(c.a.agent.state(), State::closed);
  EXPECT_EQ(c.a.states.back(), State::closed);
  EXPECT_FALSE(c.a.agent.next_timeout().has_value());
  EXPECT_FALSE(c.a.agent.send(c.net.now, Bytes{0x17}));
  const std::size_t after = c.a.sent.size();
  c.net.run_for(10s);
  EXPECT_EQ(c.a.sent.size(), after);
}

}  // namespace
}  // namespace peerhub::ice::testing
