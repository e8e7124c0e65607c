// A sanity check of throughput, not a benchmark (bench/ has those): 64 MiB crosses between two associations
// in one process, with the sender keeping its buffer topped up the way a file transfer does.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <ctime>

#include "sctp_pair.hpp"

namespace peerhub::sctp {
namespace {

using testing::channel;
using testing::Pair;

TEST(SctpThroughput, SixtyFourMebibytesCrossInSeconds) {
  Config config;
  config.remote_max_message_size = 256 * 1024;
  Pair pair(testing::LinkFaults(), 1, config, config);
  pair.connect();
  auto id = pair.a().open_channel(channel("file"));
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(pair.run_until([&] { return pair.b().state() == State::connected; }));

  constexpr std::size_t kTotal = 64 * 1024 * 1024;
  constexpr std::size_t kChunk = 64 * 1024;
  constexpr std::size_t kHighWater = 1024 * 1024;
  std::vector<std::uint8_t> chunk(kChunk);
  for (std::size_t i = 0; i < kChunk; ++i)
    chunk[i] = static_cast<std::uint8_t>(i * 7);
  std::size_t sent = 0;
  std::size_t received = 0;
  std::size_t messages = 0;
  bool intact = true;
  pair.on_event = [&](bool from_a, const Event& e) {
    if (const auto* m = std::get_if<event::Message>(&e); m && !from_a) {
      received += m->bytes.size();
      ++messages;
      intact = intact && m->bytes == chunk;
    }
  };
  const auto start = std::chrono::steady_clock::now();
  const TimePoint virtual_start = pair.now();
  const std::clock_t cpu_start = std::clock();
  ASSERT_TRUE(pair.run_until(
      [&] {
        while (sent < kTotal && pair.a().buffered_amount(*id) < kHighWater) {
          auto r = pair.a().send(*id, true, chunk);
          if (!r.ok()) break;
          sent += kChunk;
        }
        pair.b_events().clear();  // the messages were counted as they came
        return received == kTotal;
      },
      std::chrono::minutes(10)));
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double cpu = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  EXPECT_TRUE(intact);
  EXPECT_EQ(messages, kTotal / kChunk);
  // Both ends run on this one thread: CPU seconds are the figure that does not depend on the machine's load.
  std::printf(
      "64 MiB in %.2f s: %.0f MiB/s, %.2f CPU-s for both ends (%zu SCTP packets, virtual time %.2f s)\n",
      seconds, 64 / seconds, cpu, pair.packets(),
      std::chrono::duration<double>(pair.now() - virtual_start).count());
}

}  // namespace
}  // namespace peerhub::sctp
