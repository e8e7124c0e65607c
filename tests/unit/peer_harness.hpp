// Two PeerConnections in one process on a virtual clock, with datagrams passed by hand through a small
// network that can lose, duplicate, delay and reorder them (seeded, so every run is the same). Signaling is
// passed by hand too: each side's candidates go to the other as they come. Optionally peerhub's TURN server
// core sits in the network (add_turn_server), reached over UDP or over one TCP connection per side and server
// (turn_stream transmits: in order, never lost, cut into frames as a shell would).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "common/overloaded.hpp"
#include "peer/peer_connection.hpp"
#include "stun/framing.hpp"
#include "support/usrsctp_virtual_clock.hpp"
#include "support/virtual_turn_server.hpp"
#include "turn/server.hpp"

namespace peerhub::peer::test {

struct NetworkConditions {
  double loss = 0.0;       // each datagram is dropped with this probability
  double duplicate = 0.0;  // ... or sent twice
  std::chrono::microseconds delay{2000};
  std::chrono::microseconds jitter{0};  // uniform extra delay, which also reorders
};

struct Side {
  Side(std::string name_, stun::Address address_, Configuration c = configuration())
      : name(std::move(name_)), address(address_), pc(std::move(c), std::chrono::system_clock::now()) {}

  static Configuration configuration() {
    Configuration c;
    return c;
  }

  std::string name;
  stun::Address address;
  PeerConnection pc;
  std::vector<Event> events;
  std::vector<event::Message> messages;
  std::map<ChannelId, event::ChannelOpen> open;
  ConnectionState state = ConnectionState::new_;
  std::string failure;
  bool gathered = false;
};

class Harness {
 public:
  explicit Harness(NetworkConditions conditions = {}, unsigned seed = 7,
                   const Configuration& both = Side::configuration())
      : conditions_(conditions),
        rng_(seed),
        a_("a", *stun::Address::parse("10.0.0.1:50001"), both),
        b_("b", *stun::Address::parse("10.0.0.2:50002"), both) {}

  // peerhub's TURN server core at `address` (support/virtual_turn_server.hpp). Name it in the sides'
  // Configuration (the Harness constructor's `both`).
  void add_turn_server(const stun::Address& address) {
    turn_ = std::make_unique<testing::VirtualTurnServer>(
        address,
        [this](const turn::FiveTuple& to, std::vector<std::uint8_t> bytes) {
          if (to.transport == turn::Transport::udp)
            return send_datagram(Datagram{to.server, to.client, std::move(bytes)});
          for (auto& [key, stream] : streams_)
            if (stream.client == to.client && !stream.cut)
              in_flight_.emplace(now_ + conditions_.delay,
                                 Datagram{to.server, to.client, bytes, stream.side, stream.index, false});
        },
        [this](const stun::Address& from, const stun::Address& to, std::vector<std::uint8_t> bytes) {
          send_datagram(Datagram{from, to, std::move(bytes)});
        },
        now_);
  }
  turn::Server* turn_server() { return turn_ ? &turn_->server() : nullptr; }
  // The TCP connection of `side` for its Configuration::turn_servers[index] ends (the server closes it).
  void cut_turn_stream(Side& side, std::size_t index) {
    const auto it = streams_.find(stream_key(side, index));
    if (it == streams_.end() || it->second.cut) return;
    it->second.cut = true;
    turn_->stream_closed(now_, it->second.client);
    side.pc.turn_stream_closed(now_, index);
    drain();
  }
  // Frames each side wrote to a TURN server's TCP connection.
  std::size_t stream_frames() const { return stream_frames_; }

  Side& a() { return a_; }
  Side& b() { return b_; }
  TimePoint now() const { return now_; }
  NetworkConditions& conditions() { return conditions_; }
  std::size_t delivered() const { return delivered_; }
  std::size_t dropped() const { return dropped_; }

  // The sockets: one base each, as the shell would announce them.
  void add_bases() {
    a_.pc.add_local_base(now_, {1, a_.address});
    b_.pc.add_local_base(now_, {1, b_.address});
    drain();
  }

  // a offers, b answers; candidates trickle as they are gathered.
  void negotiate() {
    auto offer = a_.pc.create_offer();
    ASSERT_TRUE(offer) << offer.error();
    ASSERT_TRUE(a_.pc.set_local_description(now_, *offer));
    auto set = b_.pc.set_remote_description(now_, *offer);
    ASSERT_TRUE(set) << set.error();
    auto answer = b_.pc.create_answer();
    ASSERT_TRUE(answer) << answer.error();
    ASSERT_TRUE(b_.pc.set_local_description(now_, *answer));
    set = a_.pc.set_remote_description(now_, *answer);
    ASSERT_TRUE(set) << set.error();
    add_bases();
  }

  // Runs the virtual world until `done` holds or `limit` of virtual time has passed.
  bool run_until(const std::function<bool()>& done, Duration limit = std::chrono::seconds(30)) {
    const TimePoint end = now_ + limit;
    for (;;) {
      drain();
      if (done()) return true;
      if (now_ >= end) return false;
      std::optional<TimePoint> next;
      const auto consider = [&next](std::optional<TimePoint> t) {
        if (t && (!next || *t < *next)) next = t;
      };
      consider(a_.pc.next_timeout());
      consider(b_.pc.next_timeout());
      if (!in_flight_.empty()) consider(in_flight_.begin()->first);
      if (turn_) consider(turn_->next_tick());
      if (!next || *next > end) next = end;
      if (*next > now_) now_ = *next;
      if (turn_) turn_->tick(now_);
      deliver();
      for (Side* s : {&a_, &b_}) {
        const auto t = s->pc.next_timeout();
        if (t && *t <= now_) s->pc.handle_timeout(now_);
      }
    }
  }

  bool connect(Duration limit = std::chrono::seconds(30)) {
    return run_until(
        [this] { return a_.state == ConnectionState::connected && b_.state == ConnectionState::connected; },
        limit);
  }

  // Moves every transmit into the network and every event into its side, until nothing is left.
  void drain() {
    for (int round = 0; round < 1000; ++round) {
      bool moved = false;
      for (Side* s : {&a_, &b_}) {
        Side& other = s == &a_ ? b_ : a_;
        while (auto t = s->pc.poll_transmit()) {
          moved = true;
          send(*s, *t);
        }
        while (auto e = s->pc.poll_event()) {
          moved = true;
          on_event(*s, other, std::move(*e));
        }
      }
      if (!moved) return;
    }
  }

 private:
  struct Datagram {
    stun::Address from;
    stun::Address to;
    std::vector<std::uint8_t> bytes;
    // Frames on a side's TCP connection to the TURN server.
    Side* stream_side = nullptr;
    std::size_t stream_index = 0;
    bool to_server = false;
  };
  struct Stream {
    Side* side = nullptr;
    std::size_t index = 0;
    stun::Address client;  // the side's end of the connection, as the server sees it
    bool cut = false;
  };

  std::string stream_key(Side& side, std::size_t index) const {
    return side.name + "/" + std::to_string(index);
  }

  void send(Side& side, ice::Transmit& t) {
    if (t.turn_stream) {
      // TCP: in order (one fixed delay), never lost, nothing once the connection is cut.
      if (!turn_) return;
      auto it = streams_.find(stream_key(side, *t.turn_stream));
      if (it == streams_.end()) {
        const auto client =
            stun::Address::v4({172, 16, 0, static_cast<std::uint8_t>(streams_.size() + 1)}, 40000);
        it = streams_.emplace(stream_key(side, *t.turn_stream), Stream{&side, *t.turn_stream, client}).first;
      }
      if (it->second.cut) return;
      ++stream_frames_;
      in_flight_.emplace(now_ + conditions_.delay,
                         Datagram{it->second.client, t.destination, t.bytes, &side, *t.turn_stream, true});
      return;
    }
    send_datagram(Datagram{t.source, t.destination, t.bytes});
  }

  void send_datagram(Datagram d) {
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    if (unit(rng_) < conditions_.loss) {
      ++dropped_;
      return;
    }
    const int copies = unit(rng_) < conditions_.duplicate ? 2 : 1;
    for (int i = 0; i < copies; ++i) {
      auto delay = conditions_.delay;
      if (conditions_.jitter.count() > 0) {
        std::uniform_int_distribution<long> extra(0, conditions_.jitter.count());
        delay += std::chrono::microseconds(extra(rng_));
      }
      in_flight_.emplace(now_ + delay, d);
    }
  }

  void deliver() {
    while (!in_flight_.empty() && in_flight_.begin()->first <= now_) {
      auto node = in_flight_.extract(in_flight_.begin());
      Datagram& d = node.mapped();
      if (d.stream_side != nullptr) {
        deliver_stream(d);
        continue;
      }
      if (turn_ && turn_->deliver_datagram(now_, d.from, d.to, d.bytes)) continue;
      Side* to = d.to == a_.address ? &a_ : d.to == b_.address ? &b_ : nullptr;
      if (to == nullptr) continue;
      ++delivered_;
      to->pc.handle_datagram(now_, 1, d.from, d.bytes);
    }
  }

  void deliver_stream(const Datagram& d) {
    const auto it = streams_.find(stream_key(*d.stream_side, d.stream_index));
    if (it == streams_.end() || it->second.cut) return;
    if (d.to_server) {
      turn_->deliver_stream(now_, d.from, d.bytes);
      return;
    }
    // What the server wrote, cut into frames as the shell does.
    std::span<const std::uint8_t> rest(d.bytes);
    while (!rest.empty()) {
      const stun::Frame f = stun::next_frame(rest);
      ASSERT_TRUE(f.kind == stun::FrameKind::stun || f.kind == stun::FrameKind::channel_data);
      ASSERT_LE(f.size, rest.size());
      d.stream_side->pc.handle_turn_stream(now_, d.stream_index, rest.first(f.size));
      rest = rest.subspan(f.size);
    }
  }

  void on_event(Side& side, Side& other, Event&& e) {
    std::visit(Overloaded{
                   [&](event::LocalCandidate& c) {
                     // Trickle: the other side learns it at once (once it has a remote description).
                     (void)other.pc.add_ice_candidate(now_, c.candidate, c.mid);
                   },
                   [&](event::GatheringComplete&) { side.gathered = true; },
                   [&](event::StateChanged& s) {
                     side.state = s.state;
                     if (!s.reason.empty()) side.failure = s.reason;
                   },
                   [&](event::ChannelOpen& o) { side.open[o.id] = o; },
                   [&](event::Message& m) { side.messages.push_back(std::move(m)); },
                   [&](auto&) {},
               },
               e);
    side.events.push_back(std::move(e));
  }

  NetworkConditions conditions_;
  std::mt19937 rng_;
  Side a_;
  Side b_;
  TimePoint now_{std::chrono::seconds(1000)};
  testing::UseVirtualWallClock wall_clock_{now_};  // what usrsctp reads follows now_
  std::multimap<TimePoint, Datagram> in_flight_;
  std::size_t delivered_ = 0;
  std::size_t dropped_ = 0;
  std::unique_ptr<testing::VirtualTurnServer> turn_;
  std::map<std::string, Stream> streams_;
  std::size_t stream_frames_ = 0;
};

}  // namespace peerhub::peer::test
