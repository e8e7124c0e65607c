// Retransmission on a virtual clock (RFC 6347 §4.2.4): lost flights come again after 1 s, 2 s, 4 s…, and a
// handshake that cannot finish fails after the bounded time. No real time passes in these tests: they show
// that OpenSSL's own wall-clock timer plays no part.
#include <gtest/gtest.h>

#include <chrono>

#include "dtls_harness.hpp"

namespace peerhub::dtls {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::Pair;
using testing::Sent;
using testing::Side;

// Times (since `start`) at which `side` sent a datagram whose first record is a handshake message of `type`.
std::vector<Duration> sent_times(const Pair& pair, Side side, int type, TimePoint start) {
  std::vector<Duration> out;
  for (const auto& sent : pair.wire) {
    if (sent.from == side && testing::handshake_type(sent.bytes) == type) out.push_back(sent.at - start);
  }
  return out;
}

TEST(DtlsRetransmit, LostClientHelloIsSentAgainAfterOneSecond) {
  Pair pair;
  const TimePoint start = pair.now;
  int hellos = 0;
  pair.drop = [&](const Sent& s) { return testing::handshake_type(s.bytes) == 1 && ++hellos == 1; };
  pair.start();
  pair.pump();
  EXPECT_FALSE(pair.connected());
  ASSERT_EQ(pair.client.next_timeout(), start + seconds(1));

  // Half a second: nothing is due, nothing is sent.
  pair.now = start + milliseconds(500);
  pair.client.handle_timeout(pair.now);
  EXPECT_EQ(pair.client.poll_transmit(), std::nullopt);

  ASSERT_TRUE(pair.run_until([&] { return pair.connected(); }));
  EXPECT_EQ(sent_times(pair, Side::client, 1, start), (std::vector<Duration>{seconds(0), seconds(1)}));
  EXPECT_EQ(pair.now - start, seconds(1));
}

TEST(DtlsRetransmit, TimerDoublesWhileTheServerFlightIsLost) {
  Pair pair;
  const TimePoint start = pair.now;
  int server_hellos = 0;
  // ServerHello (type 2) opens the server's flight; lose the whole flight three times.
  pair.drop = [&](const Sent& s) {
    if (s.from != Side::server) return false;
    if (testing::handshake_type(s.bytes) == 2) ++server_hellos;
    return server_hellos <= 3;
  };
  pair.start();
  ASSERT_TRUE(pair.run_until([&] { return pair.connected(); }));
  // Both timers run the same schedule (timeouts of 1, 2 and 4 s): the client repeats its ClientHello and
  // the server its flight at 1, 3 and 7 s, and the fourth server flight gets through.
  const auto hellos = sent_times(pair, Side::client, 1, start);
  EXPECT_EQ(hellos, (std::vector<Duration>{seconds(0), seconds(1), seconds(3), seconds(7)}));
  const auto flights = sent_times(pair, Side::server, 2, start);
  EXPECT_EQ(flights, (std::vector<Duration>{seconds(0), seconds(1), seconds(3), seconds(7)}));
  EXPECT_EQ(pair.now - start, seconds(7));
  const auto* c = Pair::find<Connected>(pair.client_events);
  const auto* s = Pair::find<Connected>(pair.server_events);
  ASSERT_TRUE(c && s);
  EXPECT_EQ(c->keys, s->keys);
}

TEST(DtlsRetransmit, LostClientFinishedFlightIsSentAgain) {
  Pair pair;
  const TimePoint start = pair.now;
  int client_flights = 0;
  // The client's second flight starts with its Certificate (type 11); lose it once.
  pair.drop = [&](const Sent& s) {
    if (s.from == Side::client && testing::handshake_type(s.bytes) == 11) ++client_flights;
    return s.from == Side::client && client_flights == 1 && testing::content_type(s.bytes) != -1 &&
           testing::handshake_type(s.bytes) != 1;
  };
  pair.start();
  ASSERT_TRUE(pair.run_until([&] { return pair.connected(); }));
  EXPECT_EQ(client_flights, 2);
  EXPECT_EQ(pair.now - start, seconds(1));
}

TEST(DtlsRetransmit, TimerRestartsAtOneSecondWhenTheHandshakeAdvances) {
  Pair pair;
  const TimePoint start = pair.now;
  int hellos = 0, certificates = 0;
  // Lose the first ClientHello (the client's timer is then at 2 s) and the client's first Certificate
  // flight: that new flight is repeated 1 s after it was sent, not 2 s.
  pair.drop = [&](const Sent& s) {
    if (s.from != Side::client) return false;
    if (testing::handshake_type(s.bytes) == 1) return ++hellos == 1;
    if (testing::handshake_type(s.bytes) == 11) ++certificates;
    return certificates == 1;
  };
  pair.start();
  ASSERT_TRUE(pair.run_until([&] { return pair.connected(); }));
  EXPECT_EQ(sent_times(pair, Side::client, 1, start), (std::vector<Duration>{seconds(0), seconds(1)}));
  EXPECT_EQ(sent_times(pair, Side::client, 11, start), (std::vector<Duration>{seconds(1), seconds(2)}));
  EXPECT_EQ(pair.now - start, seconds(2));
}

TEST(DtlsRetransmit, LostServerFinishedIsRecoveredByTheClientsRetransmission) {
  Pair pair;
  const TimePoint start = pair.now;
  // The server's last flight is ChangeCipherSpec (content type 20) and its encrypted Finished; lose it.
  bool lost = false;
  pair.drop = [&](const Sent& s) {
    if (s.from == Side::server && testing::content_type(s.bytes) == 20 && !lost) {
      lost = true;
      return true;
    }
    return false;
  };
  pair.start();
  pair.pump();
  EXPECT_TRUE(Pair::has<Connected>(pair.server_events));  // the server is done after sending Finished
  EXPECT_FALSE(Pair::has<Connected>(pair.client_events));
  EXPECT_EQ(pair.server.next_timeout(), std::nullopt);
  ASSERT_EQ(pair.client.next_timeout(), start + seconds(1));
  ASSERT_TRUE(pair.run_until([&] { return pair.connected(); }));
  EXPECT_EQ(pair.now - start, seconds(1));
  EXPECT_EQ(Pair::find<Connected>(pair.client_events)->keys, Pair::find<Connected>(pair.server_events)->keys);
}

TEST(DtlsRetransmit, TotalLossFailsAfterTheBoundedTime) {
  Pair pair;
  const TimePoint start = pair.now;
  pair.drop = [](const Sent&) { return true; };
  pair.start();
  pair.run_until([&] { return pair.client.state() == State::failed; }, seconds(120));

  const auto* failed = Pair::find<Failed>(pair.client_events);
  ASSERT_NE(failed, nullptr);
  EXPECT_EQ(failed->reason, "DTLS handshake timed out");
  EXPECT_EQ(pair.now - start, seconds(30));
  // 1, 2, 4, 8, 16 s apart (RFC 6347 §4.2.4.1), then the 30 s bound.
  EXPECT_EQ(sent_times(pair, Side::client, 1, start),
            (std::vector<Duration>{seconds(0), seconds(1), seconds(3), seconds(7), seconds(15)}));
  EXPECT_EQ(pair.client.next_timeout(), std::nullopt);
  EXPECT_EQ(pair.client.poll_transmit(), std::nullopt);
  EXPECT_FALSE(Pair::has<Connected>(pair.client_events));
  // The server never heard anything and also gives up 30 s after start().
  EXPECT_EQ(pair.server.state(), State::failed);
}

TEST(DtlsRetransmit, ServerFlightRepeatsWhenTheClientFinishedNeverComes) {
  Pair pair;
  const TimePoint start = pair.now;
  // Everything the client sends after its ClientHello is lost: the server keeps repeating its flight.
  int client_sent = 0;
  pair.drop = [&](const Sent& s) { return s.from == Side::client && ++client_sent > 1; };
  pair.start();
  pair.run_until([&] { return pair.server.state() == State::failed; }, seconds(120));
  EXPECT_EQ(Pair::find<Failed>(pair.server_events)->reason, "DTLS handshake timed out");
  const auto flights = sent_times(pair, Side::server, 2, start);
  EXPECT_EQ(flights, (std::vector<Duration>{seconds(0), seconds(1), seconds(3), seconds(7), seconds(15)}));
}

TEST(DtlsRetransmit, WaitingForTheFingerprintIsBounded) {
  testing::PairOptions options;
  options.server_knows_fingerprint = false;
  Pair pair(options);
  const TimePoint start = pair.now;
  pair.start();
  pair.run_until([&] { return pair.server.state() == State::failed; }, seconds(120));
  const auto* failed = Pair::find<Failed>(pair.server_events);
  ASSERT_NE(failed, nullptr);
  EXPECT_EQ(failed->reason, "DTLS handshake timed out waiting for the remote fingerprint (a=fingerprint)");
  EXPECT_EQ(pair.now - start, seconds(30));
}

TEST(DtlsRetransmit, ReorderedAndDuplicatedDatagramsStillConnect) {
  testing::PairOptions options;
  options.mtu = 300;  // many fragments per flight, so reordering has something to shuffle
  Pair pair(options);
  pair.reorder = true;
  pair.duplicate = true;
  pair.start();
  ASSERT_TRUE(pair.run_until([&] { return pair.connected(); }, seconds(29)));
  EXPECT_EQ(Pair::find<Connected>(pair.client_events)->keys, Pair::find<Connected>(pair.server_events)->keys);
  // Data, reordered and duplicated too: DTLS's replay window drops the copies; datagram order is the
  // network's (DTLS does not reorder application data).
  std::vector<std::vector<std::uint8_t>> sent;
  for (std::uint8_t i = 1; i <= 5; ++i) {
    sent.push_back(testing::bytes_of(50, i));
    ASSERT_EQ(pair.client.send(sent.back()), SendResult::sent);
  }
  pair.pump();
  std::reverse(sent.begin(), sent.end());
  EXPECT_EQ(Pair::data(pair.server_events), sent);
}

TEST(DtlsRetransmit, TwentyPercentLossStillConnects) {
  // A fixed pseudo-random loss pattern per seed (deterministic), a fifth of all datagrams either way.
  for (std::uint32_t seed = 1; seed <= 20; ++seed) {
    Pair pair;
    std::uint32_t state = seed;
    pair.drop = [&](const Sent&) {
      state = state * 1664525U + 1013904223U;
      return (state >> 24) % 5 == 0;
    };
    pair.start();
    ASSERT_TRUE(pair.run_until([&] { return pair.connected(); }, seconds(29))) << "seed " << seed;
    EXPECT_EQ(Pair::find<Connected>(pair.client_events)->keys,
              Pair::find<Connected>(pair.server_events)->keys);
  }
}

}  // namespace
}  // namespace peerhub::dtls
