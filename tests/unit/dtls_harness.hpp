// Two DTLS sessions in one test on a virtual clock: datagrams are passed by hand, and a test may drop any
// of them. Used by the DTLS tests and by the SRTP tests (which need keys from a real handshake).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "dtls/session.hpp"

namespace peerhub::dtls::testing {

enum class Side { client, server };

inline const char* name(Side side) {
  return side == Side::client ? "client" : "server";
}

// One datagram on the wire, as the harness saw it.
struct Sent {
  Side from;
  std::vector<std::uint8_t> bytes;
  TimePoint at;
  bool dropped = false;
};

struct PairOptions {
  bool client_knows_fingerprint = true;  // set before start()
  bool server_knows_fingerprint = true;
  std::size_t mtu = 1200;
  std::vector<SrtpProfile> client_profiles{SrtpProfile::aead_aes128_gcm, SrtpProfile::aes128_cm_sha1_80};
  std::vector<SrtpProfile> server_profiles{SrtpProfile::aead_aes128_gcm, SrtpProfile::aes128_cm_sha1_80};
};

inline Certificate test_certificate() {
  return Certificate::generate(std::chrono::system_clock::now());
}

class Pair {
 public:
  explicit Pair(PairOptions options = {})
      : client_certificate(test_certificate()),
        server_certificate(test_certificate()),
        client(make(Role::client, client_certificate, options.mtu, options.client_profiles)),
        server(make(Role::server, server_certificate, options.mtu, options.server_profiles)) {
    if (options.client_knows_fingerprint) client.set_remote_fingerprint(server_certificate.fingerprint());
    if (options.server_knows_fingerprint) server.set_remote_fingerprint(client_certificate.fingerprint());
  }

  static Session make(Role role, const Certificate& certificate, std::size_t mtu,
                      std::vector<SrtpProfile> profiles) {
    Config config{.role = role, .certificate = certificate};
    config.mtu = mtu;
    config.srtp_profiles = std::move(profiles);
    return Session(config);
  }

  Session& session(Side side) { return side == Side::client ? client : server; }
  Session& other(Side side) { return side == Side::client ? server : client; }
  std::vector<Event>& events(Side side) { return side == Side::client ? client_events : server_events; }

  void start() {
    client.start(now);
    server.start(now);
    drain();
  }

  // Moves queued datagrams both ways until both sides are quiet (or `max_rounds` passes). `drop` decides,
  // for each datagram in the order sent, whether the network loses it.
  void pump(int max_rounds = 100) {
    for (int round = 0; round < max_rounds; ++round) {
      bool moved = false;
      for (Side from : {Side::client, Side::server}) {
        std::vector<std::vector<std::uint8_t>> batch;
        while (auto transmit = session(from).poll_transmit()) {
          moved = true;
          Sent sent{from, std::move(transmit->bytes), now};
          sent.dropped = drop && drop(sent);
          wire.push_back(sent);
          if (!sent.dropped) batch.push_back(wire.back().bytes);
        }
        if (reorder) std::reverse(batch.begin(), batch.end());
        for (const auto& bytes : batch) {
          for (int copy = 0; copy < (duplicate ? 2 : 1); ++copy)
            other(from).handle_datagram(now, bytes);
        }
      }
      drain();
      if (!moved) return;
    }
  }

  // Advances the virtual clock to the earlier of both sessions' timers (never past `limit`), fires them,
  // and pumps. False when neither has a timer.
  bool step_timers(TimePoint limit) {
    std::optional<TimePoint> next;
    for (Side side : {Side::client, Side::server}) {
      auto t = session(side).next_timeout();
      if (t && (!next || *t < *next)) next = t;
    }
    if (!next || *next > limit) return false;
    now = std::max(now, *next);
    client.handle_timeout(now);
    server.handle_timeout(now);
    drain();
    pump();
    return true;
  }

  // Pumps and fires timers until `done` or the virtual clock passes `budget` from now.
  bool run_until(const std::function<bool()>& done, Duration budget = std::chrono::seconds(120)) {
    const TimePoint limit = now + budget;
    pump();
    while (!done()) {
      if (!step_timers(limit)) return done();
    }
    return true;
  }

  bool connected() const { return has<Connected>(client_events) && has<Connected>(server_events); }

  template <typename T>
  static bool has(const std::vector<Event>& events) {
    for (const auto& e : events) {
      if (std::holds_alternative<T>(e)) return true;
    }
    return false;
  }

  template <typename T>
  static const T* find(const std::vector<Event>& events) {
    for (const auto& e : events) {
      if (const auto* t = std::get_if<T>(&e)) return t;
    }
    return nullptr;
  }

  static std::vector<std::vector<std::uint8_t>> data(const std::vector<Event>& events) {
    std::vector<std::vector<std::uint8_t>> out;
    for (const auto& e : events) {
      if (const auto* d = std::get_if<ApplicationData>(&e)) out.push_back(d->bytes);
    }
    return out;
  }

  std::size_t sent_by(Side side) const {
    std::size_t n = 0;
    for (const auto& s : wire)
      n += s.from == side ? 1 : 0;
    return n;
  }

  void drain() {
    while (auto e = client.poll_event())
      client_events.push_back(std::move(*e));
    while (auto e = server.poll_event())
      server_events.push_back(std::move(*e));
  }

  TimePoint now{std::chrono::hours(1000)};
  Certificate client_certificate;
  Certificate server_certificate;
  Session client;
  Session server;
  std::vector<Event> client_events;
  std::vector<Event> server_events;
  std::vector<Sent> wire;
  std::function<bool(const Sent&)> drop;
  bool reorder = false;    // each side's datagrams of one round arrive last first
  bool duplicate = false;  // every datagram arrives twice
};

// The DTLS record content type of a datagram's first record (RFC 6347 §4.1): 22 handshake, 20 CCS, 21 alert,
// 23 application data; and the handshake message type when it is an unencrypted handshake record.
inline int content_type(const std::vector<std::uint8_t>& datagram) {
  return datagram.empty() ? -1 : datagram[0];
}
inline int handshake_type(const std::vector<std::uint8_t>& datagram) {
  // 13-byte record header, then msg_type; epoch (bytes 3-4) 0 means unencrypted.
  if (datagram.size() < 14 || datagram[0] != 22 || datagram[3] != 0 || datagram[4] != 0) return -1;
  return datagram[13];
}

inline std::vector<std::uint8_t> bytes_of(std::size_t size, std::uint8_t seed = 1) {
  std::vector<std::uint8_t> out(size);
  for (std::size_t i = 0; i < size; ++i)
    out[i] = static_cast<std::uint8_t>(seed + i * 31);
  return out;
}

}  // namespace peerhub::dtls::testing
