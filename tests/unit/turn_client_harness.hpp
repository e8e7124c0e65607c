// Drives a turn::Client against peerhub's own turn::Server (turn_harness.hpp's FakeHost and virtual clock):
// the client's transmits go to the server as from one 5-tuple, the server's answers come back to the client,
// and time advances from timer to timer (the client's and the server's), with loss injected by a predicate.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <string>
#include <variant>
#include <vector>

#include "turn/client.hpp"
#include "turn_harness.hpp"

namespace peerhub::turn::testing {

// turn_harness.hpp has its own hand-driven Client; this is the core under test.
using TurnClient = peerhub::turn::Client;

inline const stun::Address kServer = ip4(192, 0, 2, 1, 3478);
inline const stun::Address kPeer = ip4(93, 184, 216, 34, 5000);
inline const stun::Address kPeer2 = ip4(93, 184, 216, 35, 6000);

inline ClientConfig client_config(std::string user = "alice", std::string password = "alice-pass") {
  ClientConfig c;
  c.server = kServer;
  c.username = std::move(user);
  c.password = std::move(password);
  // Deterministic transaction ids: a counter, as the random source.
  c.random_fill = [n = std::uint32_t{0}](std::span<std::uint8_t> out) mutable {
    ++n;
    for (std::size_t i = 0; i < out.size(); ++i)
      out[i] = static_cast<std::uint8_t>((n >> (8 * (i % 4))) + i);
  };
  return c;
}

// A received message, kept with its bytes.
struct Seen {
  Bytes bytes;
  Received::Kind kind = Received::Kind::not_mine;
  stun::Address peer;
  Bytes data;  // peer data, copied out of the view
};

class Link {
 public:
  Link(Harness& h, ClientConfig config, FiveTuple tuple = Harness::tuple(1))
      : h_(h), tuple_(tuple), client(std::move(config)) {}

  Harness& h_;
  FiveTuple tuple_;
  TurnClient client;
  std::vector<ClientEvent> events;
  std::vector<Bytes> sent;                      // every transmit the client made, dropped or not
  std::vector<TimePoint> sent_at;               //
  std::vector<Seen> seen;                       // every answer handed to the client
  std::function<bool(const Bytes&)> drop;       // true: the transmit is lost on its way to the server
  std::function<bool(const Bytes&)> drop_back;  // true: the server's answer is lost

  TimePoint now() { return h_.now().steady; }

  void start() {
    client.start(now());
    pump();
  }

  // Moves transmits to the server and its answers back until both are quiet; collects events.
  void pump() {
    for (int rounds = 0; rounds < 1000; ++rounds) {
      auto t = client.poll_transmit();
      if (!t) break;
      EXPECT_EQ(t->destination, kServer);
      sent.push_back(t->bytes);
      sent_at.push_back(now());
      if (drop && drop(t->bytes)) continue;
      const std::size_t before = h_.host().to_clients.size();
      h_.server().on_client_data(tuple_, t->bytes, h_.now());
      deliver_from(before);
    }
    while (auto e = client.poll_event())
      events.push_back(std::move(*e));
  }

  // Data from `peer` arriving at the allocation's relay; what the client made of it.
  std::vector<Seen> from_peer(const stun::Address& peer, const Bytes& data) {
    const std::size_t before_seen = seen.size();
    EXPECT_EQ(h_.host().open.size(), 1U);
    const RelayId relay = h_.host().open.empty() ? 0 : h_.host().open.begin()->first;
    const std::size_t before = h_.host().to_clients.size();
    h_.server().on_peer_data(relay, peer, data, h_.now());
    deliver_from(before);
    pump();
    return {seen.begin() + static_cast<std::ptrdiff_t>(before_seen), seen.end()};
  }

  // Runs the virtual clock for `d`, waking at every timer of the client and the server.
  void run(Duration d) {
    const TimePoint end = now() + d;
    TimePoint server_next = h_.tick();
    for (int steps = 0; steps < 100000 && now() < end; ++steps) {
      TimePoint next = std::min(end, server_next);
      if (const auto c = client.next_timeout()) next = std::min(next, std::max(*c, now()));
      if (next > now()) h_.advance(std::chrono::ceil<std::chrono::milliseconds>(next - now()));
      client.handle_timeout(now());
      pump();
      if (now() >= server_next) server_next = h_.tick();
    }
  }

  template <class E>
  std::vector<E> all() const {
    std::vector<E> out;
    for (const auto& e : events)
      if (const E* x = std::get_if<E>(&e)) out.push_back(*x);
    return out;
  }
  template <class E>
  std::optional<E> last() const {
    const auto v = all<E>();
    if (v.empty()) return std::nullopt;
    return v.back();
  }

  // Transmits the client made of one method and class.
  std::size_t count_sent(stun::Method method, stun::Class cls = stun::Class::request) const {
    return static_cast<std::size_t>(std::count_if(sent.begin(), sent.end(), [&](const Bytes& b) {
      const auto m = stun::Message::parse(std::span<const std::uint8_t>(b));
      return m && m->method() == method && m->cls() == cls;
    }));
  }

  // What reached the peers (through the relay).
  const std::vector<PeerSend>& at_peers() const { return h_.host().to_peers; }

  // Allocates (start and pump) and expects success.
  Allocated allocate() {
    start();
    const auto a = last<Allocated>();
    EXPECT_TRUE(a.has_value()) << failure();
    return a.value_or(Allocated{});
  }
  std::string failure() const {
    const auto f = last<Failed>();
    return f ? std::to_string(f->code) + " " + f->reason : "no Failed event";
  }

 private:
  void deliver_from(std::size_t before) {
    // Copy first: the client's answer may make the server send more.
    const std::vector<ClientSend> answers(h_.host().to_clients.begin() + static_cast<std::ptrdiff_t>(before),
                                          h_.host().to_clients.end());
    for (const ClientSend& s : answers) {
      EXPECT_EQ(s.to, tuple_);
      if (drop_back && drop_back(s.bytes)) continue;
      const Received r = client.handle_datagram(now(), s.bytes);
      Seen x{s.bytes, r.kind, r.peer, Bytes(r.data.begin(), r.data.end())};
      if (r.kind == Received::Kind::peer_data) {
        // Zero-copy: the view lies inside the bytes handed in.
        EXPECT_GE(r.data.data(), s.bytes.data());
        EXPECT_LE(r.data.data() + r.data.size(), s.bytes.data() + s.bytes.size());
      }
      seen.push_back(std::move(x));
    }
  }
};

inline bool is_method(const Bytes& b, stun::Method method, stun::Class cls = stun::Class::request) {
  const auto m = stun::Message::parse(std::span<const std::uint8_t>(b));
  return m && m->method() == method && m->cls() == cls;
}

inline Bytes text(std::string_view s) {
  return Bytes(s.begin(), s.end());
}

}  // namespace peerhub::turn::testing
