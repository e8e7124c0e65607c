// Two PeerConnections that may only use relayed candidates, from peerhub's TURN server core reached over TCP
// (Transmits with turn_stream; frames back through handle_turn_stream), on the virtual clock.
#include <gtest/gtest.h>

#include "peer_harness.hpp"

namespace peerhub::peer::test {
namespace {

using namespace std::chrono_literals;

const stun::Address kTurn = *stun::Address::parse("10.0.0.3:3478");

Configuration relay_only_over_tcp() {
  Configuration c;
  c.turn_servers = {{kTurn, true, "user", "pass"}};
  c.relay_only = true;
  return c;
}

struct RelayedCall {
  RelayedCall() : h({}, 7, relay_only_over_tcp()) { h.add_turn_server(kTurn); }

  ChannelId open_chat() {
    auto id = h.a().pc.create_data_channel("chat");
    EXPECT_TRUE(id) << id.error();
    h.negotiate();
    EXPECT_TRUE(h.connect()) << "a: " << h.a().failure << " b: " << h.b().failure;
    EXPECT_TRUE(h.run_until([&] { return h.a().open.count(*id) == 1 && h.b().open.size() == 1; }));
    return *id;
  }

  std::optional<event::SelectedPair> selected(const Side& side) const {
    std::optional<event::SelectedPair> last;
    for (const Event& e : side.events)
      if (const auto* p = std::get_if<event::SelectedPair>(&e)) last = *p;
    return last;
  }

  Harness h;
};

TEST(PeerTurnTcp, RelayOnlyCallConnectsThroughTheTcpConnectionAndCarriesMessagesBothWays) {
  RelayedCall call;
  Harness& h = call.h;
  const ChannelId id = call.open_chat();

  for (Side* s : {&h.a(), &h.b()}) {
    const auto pair = call.selected(*s);
    ASSERT_TRUE(pair) << s->name;
    EXPECT_EQ(pair->local.rfind("relay 10.0.0.3:", 0), 0U) << s->name << ": " << pair->local;
    EXPECT_EQ(pair->remote.rfind("relay 10.0.0.3:", 0), 0U) << s->name << ": " << pair->remote;
  }
  EXPECT_EQ(h.turn_server()->allocation_count(), 2U);
  EXPECT_GT(h.stream_frames(), 0U);

  // A message larger than one datagram, each way: SCTP over DTLS over ChannelData over TCP and back.
  std::vector<std::uint8_t> big(100 * 1024);
  for (std::size_t i = 0; i < big.size(); ++i)
    big[i] = static_cast<std::uint8_t>(i * 7 + 3);
  ASSERT_TRUE(h.a().pc.send(id, big));
  const ChannelId b_id = h.b().open.begin()->first;
  ASSERT_TRUE(h.b().pc.send(b_id, "hello over tcp"));
  ASSERT_TRUE(h.run_until([&] { return !h.a().messages.empty() && !h.b().messages.empty(); }));
  EXPECT_EQ(h.b().messages.front().bytes, big);
  EXPECT_EQ(std::string(h.a().messages.front().bytes.begin(), h.a().messages.front().bytes.end()),
            "hello over tcp");
}

TEST(PeerTurnTcp, LosingTheTcpConnectionFailsARelayOnlyCall) {
  RelayedCall call;
  Harness& h = call.h;
  call.open_chat();
  h.cut_turn_stream(h.a(), 0);
  // The only pair ran over that connection and nothing else can work: failed at once, not after consent's
  // 30 s of silence.
  EXPECT_TRUE(h.run_until([&] { return h.a().state == ConnectionState::failed; }, 100ms))
      << to_string(h.a().state);
}

TEST(PeerTurnTcp, ClosingThePeerReleasesItsAllocationOverTheConnection) {
  RelayedCall call;
  Harness& h = call.h;
  call.open_chat();
  ASSERT_EQ(h.turn_server()->allocation_count(), 2U);
  h.a().pc.close(h.now());
  h.drain();
  // a's Refresh with lifetime 0 leaves on its connection; b, told by close_notify, closes and does the same.
  // The connections themselves stay up here, so only those Refreshes can have ended the allocations.
  EXPECT_TRUE(h.run_until([&] { return h.turn_server()->allocation_count() == 0; }, 1s))
      << h.turn_server()->allocation_count();
  EXPECT_EQ(h.b().state, ConnectionState::closed);
}

}  // namespace
}  // namespace peerhub::peer::test
