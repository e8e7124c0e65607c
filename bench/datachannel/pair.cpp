// peerhub ↔ peerhub data channel benchmark: two PeerConnections on real loopback UDP sockets (net::PeerHost),
// both driven by one thread, signaling passed in-process. Measures connection setup (offer created → channel
// open on the offerer) over many runs, then the throughput of one ordered, reliable channel with 64 KiB
// messages sent while the buffered amount stays under a high-water mark, and the process's CPU time and
// memory meanwhile. Prints "result key=value ..." lines for bench/datachannel/run.sh.
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdio>
#include <fstream>
#include <memory>
#include <optional>
#include <vector>

#include "common/overloaded.hpp"
#include "net/peer_host.hpp"

using namespace peerhub;

namespace {

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

long rss_kib() {
  std::ifstream status("/proc/self/status");
  std::string key;
  long value = 0;
  while (status >> key) {
    if (key == "VmRSS:") {
      status >> value;
      return value;
    }
  }
  return 0;
}

struct Pair {
  explicit Pair(boost::asio::io_context& io) {
    net::PeerHostOptions options;
    options.interfaces.include = {"127.0.0.1"};
    a = std::make_unique<net::PeerHost>(io, peer::Configuration{}, options);
    b = std::make_unique<net::PeerHost>(io, peer::Configuration{}, options);
  }
  std::unique_ptr<net::PeerHost> a;
  std::unique_ptr<net::PeerHost> b;
  std::optional<peer::ChannelId> a_channel;
  std::optional<peer::ChannelId> b_channel;
  std::uint64_t received = 0;
  std::function<void()> on_low;
  std::function<void()> on_open;
};

// Wires candidates across and runs offer/answer; `on_open` fires when a's channel is open.
void start(Pair& p) {
  const auto trickle = [](net::PeerHost& to) {
    return [&to](const peer::event::LocalCandidate& c) {
      (void)to.pc().add_ice_candidate(to.now(), c.candidate, c.mid);
      to.flush();
    };
  };
  auto to_b = trickle(*p.b);
  auto to_a = trickle(*p.a);
  (void)p.a->start([&p, to_b](peer::Event&& e) {
    std::visit(Overloaded{[&](peer::event::LocalCandidate& c) { to_b(c); },
                          [&](peer::event::ChannelOpen& o) {
                            p.a_channel = o.id;
                            if (p.on_open) p.on_open();
                          },
                          [&](peer::event::BufferedAmountLow&) {
                            if (p.on_low) p.on_low();
                          },
                          [](auto&) {}},
               e);
  });
  (void)p.b->start([&p, to_a](peer::Event&& e) {
    std::visit(Overloaded{[&](peer::event::LocalCandidate& c) { to_a(c); },
                          [&](peer::event::ChannelOpen& o) { p.b_channel = o.id; },
                          [&](peer::event::Message& m) { p.received += m.bytes.size(); }, [](auto&) {}},
               e);
  });
  auto& pa = p.a->pc();
  auto& pb = p.b->pc();
  (void)pa.create_data_channel("bench");
  auto offer = pa.create_offer();
  (void)pa.set_local_description(p.a->now(), *offer);
  (void)pb.set_remote_description(p.b->now(), *offer);
  auto answer = pb.create_answer();
  (void)pb.set_local_description(p.b->now(), *answer);
  (void)pa.set_remote_description(p.a->now(), *answer);
  p.a->flush();
  p.b->flush();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"peerhub data channel benchmark (peerhub ↔ peerhub on loopback)"};
  int setups = 50;
  std::uint64_t bytes = 256ULL << 20;
  std::size_t message = 64 * 1024;
  app.add_option("--setups", setups, "connections to time");
  app.add_option("--bytes", bytes, "bytes to send through one channel");
  app.add_option("--message", message, "message size");
  CLI11_PARSE(app, argc, argv);

  std::vector<double> setup_ms;
  for (int i = 0; i < setups; ++i) {
    boost::asio::io_context io;
    Pair p(io);
    const auto t0 = Clock::now();
    std::optional<Clock::time_point> t1;
    p.on_open = [&] {
      t1 = Clock::now();
      io.stop();
    };
    start(p);
    boost::asio::steady_timer limit(io, std::chrono::seconds(10));
    limit.async_wait([&](auto ec) {
      if (!ec) io.stop();
    });
    io.run();
    if (t1) setup_ms.push_back(std::chrono::duration<double, std::milli>(*t1 - t0).count());
  }
  std::sort(setup_ms.begin(), setup_ms.end());
  const auto pct = [&](double q) {
    return setup_ms.empty()
               ? -1.0
               : setup_ms[std::min(setup_ms.size() - 1,
                                   static_cast<std::size_t>(q * static_cast<double>(setup_ms.size())))];
  };
  std::printf("result setups=%zu failed=%zu setup_p50_ms=%.2f setup_p95_ms=%.2f setup_max_ms=%.2f\n",
              setup_ms.size(), static_cast<std::size_t>(setups) - setup_ms.size(), pct(0.5), pct(0.95),
              setup_ms.empty() ? -1.0 : setup_ms.back());

  boost::asio::io_context io;
  Pair p(io);
  std::vector<std::uint8_t> chunk(message, 0x5a);
  std::uint64_t sent = 0;
  const std::size_t high_water = 4 << 20;
  const auto pump = [&] {
    while (sent < bytes && p.a->pc().buffered_amount(*p.a_channel) < high_water) {
      auto ok = p.a->pc().send(*p.a_channel, std::span<const std::uint8_t>(chunk));
      if (!ok) break;
      sent += chunk.size();
    }
    p.a->flush();
  };
  double cpu0 = 0;
  Clock::time_point start_time;
  const long rss0 = rss_kib();
  long rss_peak = rss0;
  p.on_open = [&] {
    p.a->pc().set_buffered_amount_low_threshold(*p.a_channel, 1 << 20);
    cpu0 = cpu_seconds();
    start_time = Clock::now();
    pump();
  };
  p.on_low = pump;
  start(p);
  boost::asio::steady_timer watch(io);
  std::function<void()> check = [&] {
    rss_peak = std::max(rss_peak, rss_kib());
    if (p.received >= bytes) return io.stop();
    watch.expires_after(std::chrono::milliseconds(20));
    watch.async_wait([&](auto ec) {
      if (!ec) check();
    });
  };
  check();
  boost::asio::steady_timer limit(io, std::chrono::seconds(300));
  limit.async_wait([&](auto ec) {
    if (!ec) io.stop();
  });
  io.run();
  const double seconds = std::chrono::duration<double>(Clock::now() - start_time).count();
  const double cpu = cpu_seconds() - cpu0;
  const double gib = static_cast<double>(p.received) / (1ULL << 30);
  std::printf(
      "result bytes=%llu seconds=%.3f mbit_s=%.1f cpu_s=%.3f cpu_s_per_gib=%.2f rss_start_kib=%ld "
      "rss_peak_kib=%ld\n",
      static_cast<unsigned long long>(p.received), seconds,
      static_cast<double>(p.received) * 8 / seconds / 1e6, cpu, gib > 0 ? cpu / gib : -1.0, rss0, rss_peak);
  return p.received >= bytes ? 0 : 1;
}
