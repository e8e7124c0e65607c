// Two (or more) ICE agents on a virtual clock, with a tiny network passed by hand: addresses route to an
// agent's base, an optional NAT per base (endpoint-independent mapping, so the fake STUN server's answer is
// the address the peer sees), fake STUN servers, and injectable loss, duplication, reordering and a
// blackhole, all from a seeded RNG. Candidates can be signalled automatically (through their text form, as a
// browser would get them) or by hand.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <variant>
#include <vector>

#include "ice/agent.hpp"
#include "stun/attributes.hpp"
#include "stun/builder.hpp"
#include "stun/message.hpp"
#include "support/virtual_turn_server.hpp"
#include "turn/server.hpp"

namespace peerhub::ice::testing {

using Bytes = std::vector<std::uint8_t>;
using namespace std::chrono_literals;
using peerhub::testing::VirtualTurnServer;

inline stun::Address ip4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d, std::uint16_t port) {
  return stun::Address::v4({a, b, c, d}, port);
}

inline RandomFill seeded_random(std::uint64_t seed) {
  auto rng = std::make_shared<std::mt19937_64>(seed);
  return [rng](std::span<std::uint8_t> out) {
    for (std::uint8_t& b : out)
      b = static_cast<std::uint8_t>((*rng)() & 0xFF);
  };
}

// What one agent did, as the shell would see it.
struct Peer {
  explicit Peer(Config c) : agent(std::move(c)) {}
  Agent agent;
  std::vector<State> states;
  std::vector<Candidate> candidates;  // LocalCandidate events
  std::vector<PairInfo> selections;   // SelectedPairChanged events
  int gathering_complete = 0;
  std::vector<Bytes> received;  // application data
  std::vector<Transmit> sent;   // everything it transmitted
  std::vector<TimePoint> sent_at;
  Peer* signal_to = nullptr;  // LocalCandidate events are added to this peer's agent at once

  bool connected() const { return agent.state() == State::connected || agent.state() == State::completed; }
  bool saw(State s) const { return std::find(states.begin(), states.end(), s) != states.end(); }
  // STUN messages of this class and method it sent.
  int count_sent(stun::Class cls, std::optional<std::uint16_t> error = std::nullopt) const {
    int n = 0;
    for (const Transmit& t : sent) {
      if (!stun::looks_like_stun(t.bytes)) continue;
      const auto m = stun::Message::parse(t.bytes);
      if (!m || m->cls() != cls) continue;
      if (error) {
        const auto e = m->get<stun::attr::ErrorCode>();
        if (!e || e->code != *error) continue;
      }
      ++n;
    }
    return n;
  }
};

inline Config config(Role role, std::uint64_t seed) {
  Config c;
  c.role = role;
  c.random = seeded_random(seed);
  return c;
}

// Both agents learn each other's credentials.
inline void exchange_credentials(Peer& a, Peer& b) {
  a.agent.set_remote_credentials(b.agent.local_ufrag(), b.agent.local_pwd());
  b.agent.set_remote_credentials(a.agent.local_ufrag(), a.agent.local_pwd());
}

class Network {
 public:
  explicit Network(std::uint64_t seed = 1) : rng_(seed) {}

  TimePoint now = TimePoint{} + 1000h;
  double loss = 0;       // probability a datagram is lost
  double duplicate = 0;  // probability it arrives twice
  double reorder = 0;    // probability it is held back by up to 30 ms
  Duration latency = 5ms;
  bool blackhole = false;  // everything is lost
  // Whether a datagram from one address to another gets through (a firewall); empty = everything does.
  std::function<bool(const stun::Address& from, const stun::Address& to)> allowed;
  std::size_t delivered = 0;

  void add(Peer& p) { peers_.push_back(&p); }

  // A socket of `p`; with `nat`, what leaves it comes from `nat` and what is sent to `nat` reaches it.
  void add_base(Peer& p, std::uint32_t id, const stun::Address& address,
                std::optional<stun::Address> nat = std::nullopt) {
    routes_[key(nat ? *nat : address)] = Route{&p, id, address};
    if (nat) nat_[key(address)] = *nat;
    p.agent.add_local_base(now, LocalBase{id, address, Transport::udp});
    pump();
  }
  // Nothing reaches this address any more (an interface that went away).
  void remove_route(const stun::Address& address) { routes_.erase(key(address)); }

  // A STUN server: answers Binding requests with the source it sees in XOR-MAPPED-ADDRESS.
  void add_stun_server(const stun::Address& address) { stun_servers_.push_back(address); }
  int stun_requests = 0;

  // peerhub's own TURN server core at `address` (UDP and TCP), user "user" / "pass", relays on the same IP
  // from port 50000, private peers allowed.
  void add_turn_server(const stun::Address& address) {
    turn_ = std::make_unique<VirtualTurnServer>(
        address,
        [this](const turn::FiveTuple& to, Bytes bytes) {
          if (to.transport == turn::Transport::udp) return send_raw(to.server, to.client, std::move(bytes));
          for (const auto& [key, stream] : streams_)
            if (stream.client == to.client)
              flight_.push_back(InFlight{now + latency, order_++, to.server, to.client, bytes, stream.peer,
                                         stream.index, false});
        },
        [this](const stun::Address& from, const stun::Address& to, Bytes bytes) {
          send_raw(from, to, std::move(bytes));
        },
        now);
  }
  turn::Server* turn_server() { return turn_ ? &turn_->server() : nullptr; }
  // The TURN server's TCP connection to `p` for its Config::turn_servers[index] is cut.
  void cut_turn_stream(Peer& p, std::size_t index) {
    const stun::Address client = stream_client(p, index);
    turn_->stream_closed(now, client);
    p.agent.turn_stream_closed(now, index);
  }

  // Drains every agent's transmits and events.
  void pump() {
    bool more = true;
    while (more) {
      more = false;
      for (Peer* p : peers_) {
        while (auto e = p->agent.poll_event()) {
          more = true;
          on_event(*p, *e);
        }
        while (auto t = p->agent.poll_transmit()) {
          more = true;
          p->sent.push_back(*t);
          p->sent_at.push_back(now);
          send(*p, *t);
        }
      }
    }
  }

  // Runs the clock until `done` holds (true) or `limit` passed (false).
  bool run_until(const std::function<bool()>& done, Duration limit) {
    const TimePoint end = now + limit;
    for (int steps = 0; steps < 2'000'000; ++steps) {
      pump();
      if (done()) return true;
      std::optional<TimePoint> next;
      for (const InFlight& f : flight_)
        if (!next || f.at < *next) next = f.at;
      for (Peer* p : peers_)
        if (const auto t = p->agent.next_timeout(); t && (!next || *t < *next)) next = t;
      if (turn_ && (!next || turn_->next_tick() < *next)) next = turn_->next_tick();
      if (!next || *next > end) {
        now = end;
        return done();
      }
      now = std::max(now, *next);
      if (turn_) turn_->tick(now);
      deliver_due();
      for (Peer* p : peers_)
        if (const auto t = p->agent.next_timeout(); t && *t <= now) p->agent.handle_timeout(now);
    }
    ADD_FAILURE() << "the agents never let the clock advance (a timer in the past?)";
    return false;
  }
  void run_for(Duration d) {
    run_until([] { return false; }, d);
  }

 private:
  struct Route {
    Peer* peer = nullptr;
    std::uint32_t base_id = 0;
    stun::Address address;
  };
  struct InFlight {
    TimePoint at;
    std::uint64_t order = 0;
    stun::Address from;
    stun::Address to;
    Bytes bytes;
    // A frame on a TCP connection between a peer and the TURN server (never lost: TCP).
    Peer* stream_peer = nullptr;
    std::size_t stream_index = 0;
    bool to_server = false;
  };

  struct Stream {
    Peer* peer = nullptr;
    std::size_t index = 0;
    stun::Address client;
  };

  stun::Address stream_client(Peer& p, std::size_t index) {
    const std::string k = std::to_string(reinterpret_cast<std::uintptr_t>(&p)) + "/" + std::to_string(index);
    auto it = streams_.find(k);
    if (it == streams_.end())
      it = streams_
               .emplace(k, Stream{&p, index,
                                  ip4(172, 16, 0, static_cast<std::uint8_t>(streams_.size() + 1), 40000)})
               .first;
    return it->second.client;
  }
  // A datagram that is not an agent's Transmit (from the TURN server or a relay).
  void send_raw(const stun::Address& from, const stun::Address& to, Bytes bytes) {
    if (blackhole || uniform() < loss) return;
    if (allowed && !allowed(from, to)) return;
    flight_.push_back(InFlight{now + latency, order_++, from, to, std::move(bytes)});
  }

  static std::string key(const stun::Address& a) { return stun::to_string(a); }

  double uniform() { return std::uniform_real_distribution<double>(0, 1)(rng_); }

  void on_event(Peer& p, const Event& e) {
    if (const auto* c = std::get_if<event::LocalCandidate>(&e)) {
      p.candidates.push_back(c->candidate);
      if (p.signal_to != nullptr) {
        // Through the text form, as signalling carries it.
        const CandidateParse parsed = parse_candidate("a=" + c->candidate.to_string());
        EXPECT_TRUE(parsed) << parsed.error;
        if (parsed) p.signal_to->agent.add_remote_candidate(now, *parsed.candidate);
      }
    } else if (std::holds_alternative<event::GatheringComplete>(e)) {
      ++p.gathering_complete;
    } else if (const auto* state = std::get_if<event::StateChanged>(&e)) {
      p.states.push_back(state->state);
    } else if (const auto* selected = std::get_if<event::SelectedPairChanged>(&e)) {
      p.selections.push_back(selected->pair);
    }
  }

  void send(Peer& owner, const Transmit& t) {
    if (t.turn_stream) {
      if (!turn_) return;
      const stun::Address client = stream_client(owner, *t.turn_stream);
      flight_.push_back(
          InFlight{now + latency, order_++, client, t.destination, t.bytes, &owner, *t.turn_stream, true});
      return;
    }
    stun::Address from = t.source;
    if (const auto n = nat_.find(key(t.source)); n != nat_.end()) from = n->second;
    if (blackhole || uniform() < loss) return;
    if (allowed && !allowed(from, t.destination)) return;
    const int copies = uniform() < duplicate ? 2 : 1;
    for (int i = 0; i < copies; ++i) {
      Duration delay = latency;
      if (uniform() < reorder) delay += std::chrono::milliseconds(static_cast<int>(uniform() * 30));
      flight_.push_back(InFlight{now + delay, order_++, from, t.destination, t.bytes});
    }
  }

  void deliver_due() {
    std::stable_sort(flight_.begin(), flight_.end(), [](const InFlight& a, const InFlight& b) {
      return a.at != b.at ? a.at < b.at : a.order < b.order;
    });
    while (!flight_.empty() && flight_.front().at <= now) {
      InFlight f = std::move(flight_.front());
      flight_.erase(flight_.begin());
      deliver(f);
      pump();
    }
  }

  void deliver(const InFlight& f) {
    if (f.stream_peer != nullptr) {
      if (f.to_server)
        turn_->deliver_stream(now, f.from, f.bytes);
      else
        record(*f.stream_peer, f.stream_peer->agent.handle_turn_stream(now, f.stream_index, f.bytes));
      return;
    }
    if (turn_ && turn_->deliver_datagram(now, f.from, f.to, f.bytes)) return;
    if (std::find(stun_servers_.begin(), stun_servers_.end(), f.to) != stun_servers_.end()) {
      const auto m = stun::Message::parse(f.bytes);
      if (!m || m->cls() != stun::Class::request) return;
      ++stun_requests;
      Bytes out;
      stun::Builder b(out, stun::Method::binding, stun::Class::success, m->transaction_id());
      b.add<stun::attr::XorMappedAddress>(f.from);
      b.add_fingerprint();
      flight_.push_back(InFlight{now + latency, order_++, f.to, f.from, out});
      return;
    }
    const auto r = routes_.find(key(f.to));
    if (r == routes_.end()) return;
    ++delivered;
    Peer& p = *r->second.peer;
    record(p, p.agent.handle_datagram(now, r->second.base_id, f.from, f.bytes));
  }

  static void record(Peer& p, const Received& got) {
    if (got.kind == Received::Kind::data) p.received.emplace_back(got.data.begin(), got.data.end());
  }

  std::mt19937_64 rng_;
  std::uint64_t order_ = 0;
  std::vector<Peer*> peers_;
  std::map<std::string, Route> routes_;
  std::map<std::string, stun::Address> nat_;
  std::vector<stun::Address> stun_servers_;
  std::vector<InFlight> flight_;
  std::unique_ptr<VirtualTurnServer> turn_;
  std::map<std::string, Stream> streams_;
};

// The hosts of the two peers most tests use.
inline const stun::Address kA = ip4(10, 0, 0, 1, 5000);
inline const stun::Address kB = ip4(10, 0, 0, 2, 6000);

// Two agents on one network, each the other's signaling peer; a's base is kA, b's kB.
struct TwoPeers {
  Network net;
  Peer a;
  Peer b;
  TwoPeers(Config ca, Config cb, std::uint64_t seed = 1) : net(seed), a(std::move(ca)), b(std::move(cb)) {
    net.add(a);
    net.add(b);
    a.signal_to = &b;
    b.signal_to = &a;
  }
  bool both_connected() const { return a.connected() && b.connected(); }
  void add_bases() {
    net.add_base(a, 1, kA);
    net.add_base(b, 2, kB);
  }
};

// `record` both ways on the selected pairs, arriving as sent.
inline void expect_data_flows(TwoPeers& p, const Bytes& record) {
  ASSERT_TRUE(p.a.agent.send(p.net.now, record));
  ASSERT_TRUE(p.b.agent.send(p.net.now, record));
  p.net.pump();
  p.net.run_for(std::chrono::milliseconds(100));
  ASSERT_FALSE(p.a.received.empty());
  ASSERT_FALSE(p.b.received.empty());
  EXPECT_EQ(p.a.received.back(), record);
  EXPECT_EQ(p.b.received.back(), record);
}

}  // namespace peerhub::ice::testing
