// A quick figure for the relay path, not a timed test: relays an offer with a 3 KB SDP back and forth and
// prints ns per message. It asserts only that every message arrived intact (benchmarks live in bench/).
#include <chrono>
#include <cstdio>

#include "signaling_harness.hpp"

namespace peerhub::signaling::testing {
namespace {

enum class Receiver { kV1, kJava };

std::string fake_sdp(std::size_t bytes) {
  std::string sdp = "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";
  while (sdp.size() < bytes)
    sdp += "a=candidate:1 1 udp 2122260223 127.0.0.1 54321 typ host generation 0\r\n";
  return sdp;
}

// `idle`: connections logged in around the pair, so the tables are the size of a busy server's.
void run(Receiver receiver, const char* label, std::size_t sdp_bytes = 3000, std::size_t idle = 0) {
  HubConfig config;
  config.messages_per_second = 0;  // no rate limit for the measurement
  Hub hub(config);
  Now now;
  for (ConnId id = 100; id < 100 + idle; ++id) {
    hub.open(id, now);
    hub.text(id, R"({"type":"login","version":1,"name":"idle-)" + std::to_string(id) + "\"}", now);
  }
  hub.outbox().clear();
  hub.open(1, now);
  hub.open(2, now);
  hub.text(1, R"({"type":"login","name":"alice","version":1})", now);
  hub.text(2,
           receiver == Receiver::kJava ? R"({"type":"login","name":"bob"})"
                                       : R"({"type":"login","name":"bob","version":1})",
           now);
  hub.outbox().clear();
  std::string offer = json::serialize(json::object{
      {"type", "offer"}, {"name", "bob"}, {"offer", {{"type", "offer"}, {"sdp", fake_sdp(sdp_bytes)}}}});

  constexpr int kMessages = 20000;
  std::size_t delivered_bytes = 0;
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kMessages; ++i) {
    hub.text(1, offer, now);
    for (auto& out : hub.outbox())
      delivered_bytes += out.text->size();
    hub.outbox().clear();
  }
  auto elapsed = std::chrono::steady_clock::now() - start;
  double ns = std::chrono::duration<double, std::nano>(elapsed).count() / kMessages;
  std::printf("[ relay    ] %s, %zu-byte SDP, %zu idle: %.0f ns per offer (%.0fk messages/s on one core)\n",
              label, sdp_bytes, idle, ns, 1e6 / ns);
  EXPECT_GT(delivered_bytes, static_cast<std::size_t>(kMessages) * sdp_bytes);
  EXPECT_EQ(hub.metrics().messages_out[static_cast<std::size_t>(MsgType::kOffer)],
            static_cast<std::uint64_t>(kMessages));
}

TEST(SignalingRelaySpeed, OfferWith3KbSdpV1ToV1) {
  run(Receiver::kV1, "v1 -> v1");
}
TEST(SignalingRelaySpeed, SmallMessageV1ToV1) {
  run(Receiver::kV1, "v1 -> v1", 100);
}
TEST(SignalingRelaySpeed, SmallMessageV1ToV1Among10000Idle) {
  run(Receiver::kV1, "v1 -> v1", 100, 10000);
}
TEST(SignalingRelaySpeed, OfferWith3KbSdpV1ToJava) {
  run(Receiver::kJava, "v1 -> Java (payload as string)");
}

}  // namespace
}  // namespace peerhub::signaling::testing
