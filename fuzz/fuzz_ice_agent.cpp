// libFuzzer target for the ICE agent (src/ice/agent.hpp) fed arbitrary input.
//
// One controlled agent with fixed credentials, two local bases, a STUN server and one remote candidate. The
// input is a list of operations, each a byte then a length-prefixed (1 byte) chunk:
//   0  a datagram of the chunk's bytes from one of four addresses to one of three base ids (one unknown)
//   1  a Binding request signed with the agent's password, whose attributes before MESSAGE-INTEGRITY are
//      the chunk's bytes (so the fuzzer reaches what comes after the credential check)
//   2  an answer to the agent's latest request (signed with the remote password when the first chunk byte
//      is even), success or error, with the chunk as its attributes
//   3  time passes (chunk[0] * 7 ms) and the timer fires
//   4  the chunk as a candidate line for add_remote_candidate
//   5  send(), restart(), remote_end_of_candidates(), close() or turn_stream_closed(), by chunk[0]
//   6  the chunk as a frame from the TCP connection to the TURN server
// The agent has a UDP TURN server (also its STUN server, so datagrams from it go through the TURN client
// first) and a TCP one.
// After every operation all transmits and events are drained. Checked: no transmit is empty, a fired timer
// never asks to be called again in the past, and nothing crashes or leaks (ASan/UBSan).
// Seeds (fuzz/corpus/fuzz_ice_agent/): a signed request with PRIORITY, ICE-CONTROLLING and USE-CANDIDATE; a
// DTLS-looking datagram; time passing; a candidate line; a success answer.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "ice/agent.hpp"
#include "stun/builder.hpp"
#include "stun/message.hpp"

namespace {

using namespace peerhub;
using namespace std::chrono_literals;

void check(bool ok) {
  if (!ok) std::abort();
}

const stun::Address kBase1 = stun::Address::v4({10, 0, 0, 1}, 5000);
const stun::Address kBase2 = *stun::Address::parse("[2001:db8::1]:5000");
const stun::Address kFrom[4] = {
    stun::Address::v4({10, 0, 0, 2}, 6000), stun::Address::v4({198, 51, 100, 1}, 3478),
    *stun::Address::parse("[2001:db8::2]:6000"), stun::Address::v4({10, 0, 0, 3}, 1)};
const std::string kPwd = "local-password-0123456789";
const std::string kRemotePwd = "remote-password-0123456789";

std::span<const std::uint8_t> key(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

struct Harness {
  ice::Agent agent;
  TimePoint now = TimePoint{} + 1000h;
  std::optional<stun::TransactionId> last_request;
  std::optional<stun::Address> last_destination;
  std::uint32_t counter = 0;

  static ice::Config make() {
    ice::Config c;
    c.role = ice::Role::controlled;
    c.ufrag = "loca";
    c.pwd = kPwd;
    c.tie_breaker = 42;
    c.stun_servers = {kFrom[1]};
    c.turn_servers = {ice::TurnServer{kFrom[1], ice::Transport::udp, "user", "pass"},
                      ice::TurnServer{kFrom[3], ice::Transport::tcp, "user", "pass"}};
    auto state = std::make_shared<std::uint32_t>(1);
    c.random = [state](std::span<std::uint8_t> out) {
      for (std::uint8_t& b : out) {
        *state = *state * 1103515245U + 12345U;
        b = static_cast<std::uint8_t>(*state >> 16);
      }
    };
    return c;
  }
  Harness() : agent(make()) {
    agent.add_local_base(now, ice::LocalBase{1, kBase1, ice::Transport::udp});
    agent.add_local_base(now, ice::LocalBase{2, kBase2, ice::Transport::udp});
    agent.set_remote_credentials("remo", kRemotePwd);
    agent.add_remote_candidate(
        now, *ice::parse_candidate("candidate:1 1 udp 2130706431 10.0.0.2 6000 typ host").candidate);
    drain();
  }

  void drain() {
    while (auto t = agent.poll_transmit()) {
      check(!t->bytes.empty());
      check(!t->turn_stream || *t->turn_stream == 1);
      if (stun::looks_like_stun(t->bytes)) {
        const auto m = stun::Message::parse(t->bytes);
        check(m.ok());
        if (m->cls() == stun::Class::request) {
          last_request = m->transaction_id();
          last_destination = t->destination;
        }
      }
    }
    while (agent.poll_event()) {
    }
  }

  std::vector<std::uint8_t> message(stun::Class cls, const stun::TransactionId& id,
                                    std::span<const std::uint8_t> attributes, const std::string* signing,
                                    bool username) {
    std::vector<std::uint8_t> out;
    stun::Builder b(out, stun::Method::binding, cls, id);
    if (username) b.add<stun::attr::Username>("loca:remo");
    // The chunk as raw attributes: walk it as type/length/value and add what fits.
    std::size_t i = 0;
    while (i + 4 <= attributes.size()) {
      const auto type = static_cast<std::uint16_t>((attributes[i] << 8) | attributes[i + 1]);
      const std::size_t length = std::min<std::size_t>(attributes[i + 3], attributes.size() - i - 4);
      b.add_raw(type, attributes.subspan(i + 4, length));
      i += 4 + length;
    }
    if (signing != nullptr) b.add_message_integrity(key(*signing));
    b.add_fingerprint();
    return out;
  }

  void run(std::uint8_t op, std::span<const std::uint8_t> chunk) {
    const std::uint8_t first = chunk.empty() ? 0 : chunk[0];
    switch (op % 7) {
      case 0:
        agent.handle_datagram(now, first % 3, kFrom[(first >> 2) % 4], chunk);
        break;
      case 1: {
        stun::TransactionId id{};
        id[0] = static_cast<std::uint8_t>(++counter);
        id[1] = static_cast<std::uint8_t>(counter >> 8);
        const auto bytes = message(stun::Class::request, id, chunk, &kPwd, true);
        agent.handle_datagram(now, 1 + (first & 1), kFrom[(first >> 1) % 4], bytes);
        break;
      }
      case 2: {
        if (!last_request || !last_destination) break;
        const stun::Class cls = (first & 2) != 0 ? stun::Class::error : stun::Class::success;
        const auto bytes = message(cls, *last_request, chunk.empty() ? chunk : chunk.subspan(1),
                                   (first & 1) == 0 ? &kRemotePwd : nullptr, false);
        agent.handle_datagram(now, 1, *last_destination, bytes);
        break;
      }
      case 3: {
        now += std::chrono::milliseconds(first * 7);
        if (const auto t = agent.next_timeout(); t && *t <= now) {
          agent.handle_timeout(now);
          const auto next = agent.next_timeout();
          check(!next || *next > now);
        }
        break;
      }
      case 4: {
        const auto parsed =
            ice::parse_candidate(std::string_view(reinterpret_cast<const char*>(chunk.data()), chunk.size()));
        if (parsed) agent.add_remote_candidate(now, *parsed.candidate);
        break;
      }
      case 5:
        switch (first % 8) {
          case 0:
            agent.restart(now);
            agent.set_remote_credentials("rem2", kRemotePwd);
            break;
          case 1:
            agent.remote_end_of_candidates(now);
            break;
          case 2:
            agent.close();
            break;
          case 3:
            agent.turn_stream_closed(now, 1);
            break;
          default:
            agent.send(now, chunk);
        }
        break;
      case 6:
        agent.handle_turn_stream(now, first % 3, chunk);
        break;
    }
    drain();
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Harness h;
  std::span<const std::uint8_t> in(data, size);
  while (in.size() >= 2) {
    const std::uint8_t op = in[0];
    const std::size_t length = std::min<std::size_t>(in[1], in.size() - 2);
    h.run(op, in.subspan(2, length));
    in = in.subspan(2 + length);
  }
  // Let every timer run out: the agent must settle, not spin.
  for (int i = 0; i < 2000; ++i) {
    const auto t = h.agent.next_timeout();
    if (!t) break;
    h.now = std::max(h.now, *t);
    h.agent.handle_timeout(h.now);
    h.drain();
    const auto next = h.agent.next_timeout();
    check(!next || *next > h.now);
  }
  return 0;
}
