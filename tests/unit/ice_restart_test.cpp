// ICE restart (RFC 8445 §9): new credentials and a fresh checklist while the old pair keeps carrying data.
#include <gtest/gtest.h>

#include "ice_harness.hpp"

namespace peerhub::ice::testing {
namespace {

struct Connected : TwoPeers {
  Connected() : TwoPeers(config(Role::controlling, 1), config(Role::controlled, 2)) {
    exchange_credentials(a, b);
    add_bases();
    EXPECT_TRUE(net.run_until([&] { return both_connected(); }, 2s));
  }
  // As JSEP does it: both sides restart, then each learns the other's new credentials.
  void restart_both() {
    a.agent.restart(net.now);
    b.agent.restart(net.now);
    exchange_credentials(a, b);
    net.pump();
  }
};

TEST(IceRestart, NewCredentialsNewPairAndDataFlowsThroughout) {
  Connected c;
  const std::string old_ufrag = c.a.agent.local_ufrag();
  int sent = 0;
  std::size_t a_before = c.a.received.size(), b_before = c.b.received.size();
  const auto send_for = [&](Duration d) {
    const TimePoint end = c.net.now + d;
    while (c.net.now < end) {
      const Bytes payload = {0x17, static_cast<std::uint8_t>(sent)};
      EXPECT_TRUE(c.a.agent.send(c.net.now, payload)) << to_string(c.a.agent.state());
      EXPECT_TRUE(c.b.agent.send(c.net.now, payload));
      ++sent;
      c.net.pump();
      c.net.run_for(20ms);
    }
  };
  send_for(500ms);
  c.restart_both();
  EXPECT_NE(c.a.agent.local_ufrag(), old_ufrag);
  send_for(3s);
  c.net.run_for(100ms);
  // Every datagram arrived: the old pair carried data until the new one was selected.
  EXPECT_EQ(c.a.received.size() - a_before, static_cast<std::size_t>(sent));
  EXPECT_EQ(c.b.received.size() - b_before, static_cast<std::size_t>(sent));
  ASSERT_EQ(c.a.selections.size(), 2U);
  ASSERT_EQ(c.b.selections.size(), 2U);
  EXPECT_EQ(c.a.selections[1].local.ufrag, c.a.agent.local_ufrag());
  EXPECT_EQ(c.b.selections[1].local.ufrag, c.b.agent.local_ufrag());
  for (const State s : c.a.states)
    EXPECT_TRUE(s == State::checking || s == State::connected || s == State::completed) << to_string(s);
  // The old credentials no longer work.
  c.net.run_for(40s);
  EXPECT_TRUE(c.a.connected() && c.b.connected());
}

TEST(IceRestart, MovesToANewInterface) {
  Connected c;
  // A's interface goes away: nothing reaches it any more; a new one comes up.
  c.net.remove_route(kA);
  const stun::Address a2 = ip4(10, 0, 1, 1, 5002);
  c.net.add_base(c.a, 9, a2);
  c.restart_both();
  ASSERT_TRUE(c.net.run_until([&] { return c.a.selections.size() == 2 && c.b.selections.size() == 2; }, 5s));
  EXPECT_EQ(c.a.selections.back().base_id, 9U);
  EXPECT_EQ(c.a.selections.back().local.address, a2);
  EXPECT_EQ(c.b.selections.back().remote.address, a2);
  const Bytes hello = {0x17, 1};
  ASSERT_TRUE(c.b.agent.send(c.net.now, hello));
  c.net.run_for(50ms);
  EXPECT_EQ(c.a.received.back(), hello);
  c.net.run_for(40s);
  EXPECT_TRUE(c.a.connected() && c.b.connected());
}

TEST(IceRestart, ResendsCandidatesWithTheNewUfrag) {
  Connected c;
  const std::size_t before = c.a.candidates.size();
  c.a.agent.restart(c.net.now, "newU", "a-new-password-0123456789");
  c.net.pump();
  EXPECT_EQ(c.a.agent.local_ufrag(), "newU");
  EXPECT_EQ(c.a.agent.local_pwd(), "a-new-password-0123456789");
  ASSERT_EQ(c.a.candidates.size(), before + 1);
  EXPECT_EQ(c.a.candidates.back().ufrag, "newU");
  EXPECT_EQ(c.a.gathering_complete, 2);
}

}  // namespace
}  // namespace peerhub::ice::testing
