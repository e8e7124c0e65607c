// Two Associations in one process on a virtual clock, SCTP packets passed by hand (no DTLS), with seeded
// loss, duplication and reordering on the link. Shared by the sctp_*_test.cpp files.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <random>
#include <vector>

#include "sctp/association.hpp"

namespace peerhub::sctp::testing {

struct LinkFaults {
  explicit LinkFaults(double loss_ = 0, double duplicate_ = 0, double reorder_ = 0)
      : loss(loss_), duplicate(duplicate_), reorder(reorder_) {}
  double loss;       // probability a packet is dropped
  double duplicate;  // probability a packet is delivered twice
  double reorder;    // probability a packet is held back by an extra 1..20 ms
};

// ChannelOptions with a label, then whatever `adjust` sets.
inline ChannelOptions channel(std::string label, const std::function<void(ChannelOptions&)>& adjust = {}) {
  ChannelOptions o;
  o.label = std::move(label);
  if (adjust) adjust(o);
  return o;
}

class Pair {
 public:
  // a is the DTLS client and b the server, unless keep_roles (to test a peer that breaks the rule).
  explicit Pair(LinkFaults faults = LinkFaults(), std::uint32_t seed = 1, Config a_config = {},
                Config b_config = {}, bool keep_roles = false)
      : faults_(faults), rng_(seed) {
    if (!keep_roles) {
      a_config.dtls_role = DtlsRole::client;
      b_config.dtls_role = DtlsRole::server;
    }
    auto a = Association::create(a_config);
    auto b = Association::create(b_config);
    EXPECT_TRUE(a.ok()) << a.error();
    EXPECT_TRUE(b.ok()) << b.error();
    a_ = std::move(a.value());
    b_ = std::move(b.value());
  }

  Association& a() { return *a_; }
  Association& b() { return *b_; }
  std::vector<Event>& a_events() { return a_events_; }
  std::vector<Event>& b_events() { return b_events_; }
  TimePoint now() const { return now_; }
  std::size_t packets() const { return packets_; }
  std::size_t largest_packet() const { return largest_packet_; }
  // Called for every event as it is polled (tests that must react, e.g. refill a send buffer).
  std::function<void(bool from_a, const Event&)> on_event;
  // While set, b's events are left in b (as a slow application would).
  bool hold_b_events = false;

  // Time from the machine's steady clock instead of the virtual one, packets across at once: for pairs
  // driven by several threads at the same time (usrsctp's tick needs one clock for all of them).
  void use_real_clock() {
    real_clock_ = true;
    delay_ = std::chrono::milliseconds(0);
    now_ = Clock::now();
  }

  void connect() {
    a_->connect(now_);
    b_->connect(now_);
    drain();
  }

  // Moves packets and time until `done` holds or `limit` of virtual time has passed; true when done.
  bool run_until(const std::function<bool()>& done,
                 std::chrono::milliseconds limit = std::chrono::seconds(60)) {
    const TimePoint end = now_ + limit;
    while (!done()) {
      if (now_ >= end) return false;
      step();
    }
    return true;
  }

  void step() {
    drain();
    if (real_clock_) {
      now_ = Clock::now();
      deliver(to_a_, *a_);
      deliver(to_b_, *b_);
      a_->handle_timeout(now_);
      b_->handle_timeout(now_);
      drain();
      return;
    }
    // The next thing that happens: a packet arriving, or a timer.
    TimePoint next = now_ + std::chrono::milliseconds(10);
    for (auto* q : {&to_a_, &to_b_}) {
      for (auto& p : *q)
        next = std::min(next, p.at);
    }
    for (auto* s : {a_.get(), b_.get()}) {
      if (auto t = s->next_timeout()) next = std::min(next, *t);
    }
    now_ = std::max(now_, next);
    deliver(to_a_, *a_);
    deliver(to_b_, *b_);
    a_->handle_timeout(now_);
    b_->handle_timeout(now_);
    drain();
  }

  // Moves the clock to `t` (not before now) and lets both sides act: for several pairs on one clock.
  void advance_to(TimePoint t) {
    now_ = std::max(now_, t);
    deliver(to_a_, *a_);
    deliver(to_b_, *b_);
    a_->handle_timeout(now_);
    b_->handle_timeout(now_);
    drain();
  }

  void drain() {
    bool moved = true;
    while (moved) {
      moved = false;
      while (auto t = a_->poll_transmit()) {
        moved = true;
        carry(std::move(t->bytes), to_b_);
      }
      while (auto t = b_->poll_transmit()) {
        moved = true;
        carry(std::move(t->bytes), to_a_);
      }
      while (auto e = a_->poll_event()) {
        moved = true;
        record(true, std::move(*e));
      }
      while (!hold_b_events) {
        auto e = b_->poll_event();
        if (!e) break;
        moved = true;
        record(false, std::move(*e));
      }
      // Packets due now go across at once (a fast path; no faults skipped).
      moved = deliver(to_a_, *a_) || moved;
      moved = deliver(to_b_, *b_) || moved;
    }
  }

 private:
  // usrsctp's tick is process-wide: each pair's virtual clock starts 10 h after the previous pair's, so time
  // only ever moves forward for it (and far from the machine's steady clock, used by use_real_clock()).
  static TimePoint next_epoch() {
    static std::atomic<int> pairs{0};
    return TimePoint{} + std::chrono::hours(1000 + 10 * pairs++);
  }

  struct InFlight {
    TimePoint at;
    std::uint64_t order;
    std::vector<std::uint8_t> bytes;
  };

  bool chance(double p) { return p > 0 && std::uniform_real_distribution<double>(0, 1)(rng_) < p; }

  void carry(std::vector<std::uint8_t> bytes, std::deque<InFlight>& queue) {
    ++packets_;
    largest_packet_ = std::max(largest_packet_, bytes.size());
    if (chance(faults_.loss)) return;
    TimePoint at = now_ + delay_;
    if (chance(faults_.reorder)) at += std::chrono::milliseconds(1 + rng_() % 20);
    if (chance(faults_.duplicate)) queue.push_back({at, order_++, bytes});
    queue.push_back({at, order_++, std::move(bytes)});
  }

  bool deliver(std::deque<InFlight>& queue, Association& to) {
    bool any = false;
    while (true) {
      auto it = std::min_element(queue.begin(), queue.end(), [](const InFlight& x, const InFlight& y) {
        return x.at != y.at ? x.at < y.at : x.order < y.order;
      });
      if (it == queue.end() || it->at > now_) return any;
      auto bytes = std::move(it->bytes);
      queue.erase(it);
      to.handle_datagram(now_, bytes);
      any = true;
    }
  }

  void record(bool from_a, Event e) {
    if (on_event) on_event(from_a, e);
    (from_a ? a_events_ : b_events_).push_back(std::move(e));
  }

  LinkFaults faults_;
  std::mt19937 rng_;
  std::unique_ptr<Association> a_, b_;
  std::vector<Event> a_events_, b_events_;
  std::deque<InFlight> to_a_, to_b_;
  TimePoint now_ = next_epoch();
  std::chrono::milliseconds delay_{1};
  std::uint64_t order_ = 0;
  bool real_clock_ = false;
  std::size_t packets_ = 0;
  std::size_t largest_packet_ = 0;
};

template <class T>
std::vector<T> events_of(const std::vector<Event>& events) {
  std::vector<T> out;
  for (const auto& e : events) {
    if (const auto* x = std::get_if<T>(&e)) out.push_back(*x);
  }
  return out;
}

template <class T>
bool has_event(const std::vector<Event>& events) {
  return std::any_of(events.begin(), events.end(),
                     [](const Event& e) { return std::holds_alternative<T>(e); });
}

}  // namespace peerhub::sctp::testing
