// Time, bounds and threads: the shared usrsctp tick, how often an association asks to be woken, packets that
// come before connect(), an application that does not read, and a message bigger than we accept.
#include <gtest/gtest.h>

#include <thread>

#include "sctp_pair.hpp"

namespace peerhub::sctp {
namespace {

using namespace std::chrono_literals;
using testing::channel;
using testing::events_of;
using testing::has_event;
using testing::LinkFaults;
using testing::Pair;

bool both_connected(Pair& pair) {
  return pair.a().state() == State::connected && pair.b().state() == State::connected;
}

// usrsctp has one tick for the process. Two sessions on one clock must see time pass once, not twice: an
// unanswered INIT gives up after the same ~65 s (1+2+4+8+10+10+10+10+10) however many associations advance
// the tick.
TEST(SctpTiming, SharedTickRunsAtTheClocksPaceWithManyAssociations) {
  Pair first(LinkFaults(1.0), 1);
  Pair second(LinkFaults(1.0), 2);
  // One clock for both: the later of their starting points.
  const TimePoint start = std::max(first.now(), second.now());
  first.advance_to(start);
  second.advance_to(start);
  first.connect();
  second.connect();
  std::optional<Duration> first_failed, second_failed;
  for (TimePoint t = start; t < start + 200s && !(first_failed && second_failed); t += 10ms) {
    first.advance_to(t);
    second.advance_to(t);
    if (!first_failed && has_event<event::Failed>(first.a_events())) first_failed = t - start;
    if (!second_failed && has_event<event::Failed>(second.a_events())) second_failed = t - start;
  }
  ASSERT_TRUE(first_failed && second_failed);
  EXPECT_GT(*first_failed, 50s);
  EXPECT_LT(*first_failed, 80s);
  EXPECT_GT(*second_failed, 50s);
  EXPECT_LT(*second_failed, 80s);
}

TEST(SctpTiming, IdleAssociationAsksForTimeOncePerSecondBusyOneEvery10Ms) {
  Pair pair;
  pair.connect();
  ASSERT_TRUE(pair.run_until([&] { return both_connected(pair); }));
  auto id = pair.a().open_channel(channel("c"));
  ASSERT_TRUE(id.ok());
  pair.run_until([] { return false; }, 3s);
  ASSERT_TRUE(pair.a().next_timeout());
  EXPECT_GE(*pair.a().next_timeout() - pair.now(), 500ms);
  ASSERT_TRUE(pair.a().send(*id, false, std::vector<std::uint8_t>{'x'}).ok());
  pair.drain();
  EXPECT_LE(*pair.a().next_timeout() - pair.now(), 10ms);
  ASSERT_TRUE(pair.run_until([&] { return !events_of<event::Message>(pair.b_events()).empty(); }));
}

// The peer's INIT can come before our connect() (its DTLS finished first). Without keeping it, usrsctp would
// answer ABORT and the peer's association would fail.
TEST(SctpTiming, PacketsBeforeConnectAreKeptUntilIt) {
  Pair pair;
  pair.a().connect(pair.now());
  pair.drain();  // a's INIT reaches b, which has not called connect()
  EXPECT_EQ(pair.b().state(), State::idle);
  pair.b().connect(pair.now());
  ASSERT_TRUE(pair.run_until([&] { return both_connected(pair); }, 200ms));
  EXPECT_FALSE(has_event<event::Failed>(pair.a_events()));
}

TEST(SctpBounds, ApplicationThatDoesNotReadPausesTheFlowWithoutLosingMessages) {
  Config sender;
  sender.sctp_send_buffer = 64 * 1024;
  Config small;
  small.max_events = 8;
  small.sctp_receive_buffer = 64 * 1024;
  Pair pair(LinkFaults(), 1, sender, small);
  pair.connect();
  auto id = pair.a().open_channel(channel("c"));
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(pair.run_until([&] { return !events_of<event::ChannelOpen>(pair.b_events()).empty(); }));
  pair.hold_b_events = true;
  for (std::uint32_t i = 0; i < 500; ++i) {
    std::vector<std::uint8_t> bytes(1000, static_cast<std::uint8_t>(i));
    bytes[0] = static_cast<std::uint8_t>(i >> 8);
    ASSERT_TRUE(pair.a().send(*id, true, bytes).ok());
  }
  pair.run_until([] { return false; }, 2s);
  // b stopped reading from SCTP, its window closed, and a's messages back up in a's own queue.
  EXPECT_GT(pair.a().buffered_amount(*id), 300u * 1000);
  // What b holds is its 8 events plus what fits its 64 KiB SCTP receive buffer, not the 500 messages.
  std::size_t held = 0;
  while (auto e = pair.b().poll_event()) {
    ++held;
    pair.b_events().push_back(std::move(*e));
  }
  EXPECT_LT(held, 8u + 80u);
  pair.hold_b_events = false;
  ASSERT_TRUE(pair.run_until([&] { return events_of<event::Message>(pair.b_events()).size() == 500; }));
  const auto got = events_of<event::Message>(pair.b_events());
  for (std::uint32_t i = 0; i < 500; ++i) {
    EXPECT_EQ(got[i].bytes[0], static_cast<std::uint8_t>(i >> 8));
    EXPECT_EQ(got[i].bytes[1], static_cast<std::uint8_t>(i)) << "message " << i;
  }
}

// Over the limit in pieces (100 KiB, read 64 KiB at a time) and in one read (1000 bytes).
TEST(SctpBounds, IncomingMessageOverOurMaxMessageSizeClosesTheChannel) {
  for (const std::size_t limit : {std::size_t{100 * 1024}, std::size_t{1000}}) {
    SCOPED_TRACE("limit " + std::to_string(limit));
    Config sender;
    sender.remote_max_message_size = 1024 * 1024;  // a believes b takes 1 MiB
    Config receiver;
    receiver.local_max_message_size = limit;  // but it does not
    Pair pair(LinkFaults(), 1, sender, receiver);
    pair.connect();
    auto id = pair.a().open_channel(channel("big"));
    auto other = pair.a().open_channel(channel("other"));
    ASSERT_TRUE(id.ok() && other.ok());
    ASSERT_TRUE(pair.a().send(*id, true, std::vector<std::uint8_t>(2 * limit, 1)).ok());
    ASSERT_TRUE(pair.run_until([&] {
      return has_event<event::ChannelClosed>(pair.a_events()) &&
             has_event<event::ChannelClosed>(pair.b_events());
    }));
    EXPECT_TRUE(events_of<event::Message>(pair.b_events()).empty());
    EXPECT_EQ(events_of<event::ChannelClosed>(pair.b_events()).at(0).id, *id);
    // The association and the other channel carry on; a message of exactly the limit is fine.
    ASSERT_TRUE(pair.a().send(*other, true, std::vector<std::uint8_t>(limit, 2)).ok());
    ASSERT_TRUE(pair.run_until([&] { return events_of<event::Message>(pair.b_events()).size() == 1; }));
    EXPECT_EQ(events_of<event::Message>(pair.b_events()).at(0).bytes.size(), limit);
  }
}

}  // namespace
}  // namespace peerhub::sctp

namespace peerhub::sctp {
namespace {

// Shells on several threads drive their own associations at once; usrsctp's timers, the id registry and
// the outboxes are shared underneath. Each session must still deliver everything, intact.
TEST(SctpThreads, SessionsOnSeveralThreadsAtOnce) {
  constexpr int kThreads = 3;
  std::vector<int> delivered(kThreads, 0);
  std::vector<int> intact(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([t, &delivered, &intact] {
      Pair pair(LinkFaults(0.02, 0.01, 0.0), static_cast<std::uint32_t>(100 + t));
      pair.use_real_clock();
      pair.connect();
      auto id = pair.a().open_channel(channel("t" + std::to_string(t)));
      if (!id.ok()) return;
      for (int i = 0; i < 40; ++i) {
        std::vector<std::uint8_t> bytes(16 * 1024, static_cast<std::uint8_t>(i + t));
        if (!pair.a().send(*id, true, bytes).ok()) return;
      }
      pair.run_until([&] { return events_of<event::Message>(pair.b_events()).size() == 40; }, 30s);
      const auto got = events_of<event::Message>(pair.b_events());
      delivered[t] = static_cast<int>(got.size());
      for (std::size_t i = 0; i < got.size(); ++i) {
        intact[t] +=
            got[i].bytes == std::vector<std::uint8_t>(16 * 1024, static_cast<std::uint8_t>(i + t)) ? 1 : 0;
      }
    });
  }
  for (auto& thread : threads)
    thread.join();
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(delivered[t], 40) << "thread " << t;
    EXPECT_EQ(intact[t], 40) << "thread " << t;
  }
}

}  // namespace
}  // namespace peerhub::sctp
