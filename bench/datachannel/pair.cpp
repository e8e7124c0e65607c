// peerhub ↔ peerhub data channel benchmark: two PeerConnections on real loopback UDP sockets (net::PeerHost),
// in two processes like two real peers (the offerer is this process, the answerer a forked child), each
// driven by one thread; signaling goes over a socket pair between them. Measures connection setup (offer
// created → channel open on the offerer) over many connections, then the throughput of one ordered, reliable
// channel with 64 KiB messages sent while the buffered amount stays under a high-water mark, counted until
// the answerer has received every byte, with both processes' CPU time and memory. Prints "result key=value
// ..." lines for bench/datachannel/run.sh.
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdio>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "common/overloaded.hpp"
#include "net/peer_host.hpp"

using namespace peerhub;
namespace asio = boost::asio;

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

// This process's CPU time and resident memory over a measured stretch: start() marks its beginning; once
// watching, the resident set's peak is sampled every 20 ms.
class Usage {
 public:
  explicit Usage(asio::io_context& io) : timer_(io) {}
  void start() {
    cpu0_ = cpu_seconds();
    rss_start_ = rss_peak_ = rss_kib();
  }
  void watch() {
    rss_peak_ = std::max(rss_peak_, rss_kib());
    timer_.expires_after(std::chrono::milliseconds(20));
    timer_.async_wait([this](auto ec) {
      if (!ec) watch();
    });
  }
  void stop() { timer_.cancel(); }
  double cpu() const { return cpu_seconds() - cpu0_; }
  long rss_start() const { return rss_start_; }
  long rss_peak() const { return rss_peak_; }

 private:
  asio::steady_timer timer_;
  double cpu0_ = 0;
  long rss_start_ = 0;
  long rss_peak_ = 0;
};

// One end of the signaling socket pair (SOCK_SEQPACKET: one send is one message). A message is a kind, a
// newline and a body.
class Signal {
 public:
  using OnMessage = std::function<void(const std::string& kind, const std::string& body)>;
  Signal(asio::io_context& io, int fd) : fd_(fd), watcher_(io, fd) {}

  void send(std::string_view kind, std::string_view body = {}) {
    std::string message(kind);
    message += '\n';
    message += body;
    if (::send(fd_, message.data(), message.size(), MSG_NOSIGNAL) < 0) std::perror("signal send");
  }

  void listen(OnMessage on_message) {
    on_message_ = std::move(on_message);
    wait();
  }

 private:
  void wait() {
    watcher_.async_wait(asio::posix::stream_descriptor::wait_read, [this](auto ec) {
      if (ec) return;
      std::vector<char> buffer(1 << 16);
      const auto n = ::recv(fd_, buffer.data(), buffer.size(), MSG_DONTWAIT);
      if (n == 0) return;  // the other process is gone
      if (n > 0) {
        const std::string message(buffer.data(), static_cast<std::size_t>(n));
        const auto newline = message.find('\n');
        on_message_(message.substr(0, newline),
                    newline == std::string::npos ? "" : message.substr(newline + 1));
      }
      wait();
    });
  }

  int fd_;
  asio::posix::stream_descriptor watcher_;
  OnMessage on_message_;
};

std::unique_ptr<net::PeerHost> make_host(asio::io_context& io) {
  net::PeerHostOptions options;
  options.interfaces.include = {"127.0.0.1"};
  return std::make_unique<net::PeerHost>(io, peer::Configuration{}, options);
}

void send_candidate(Signal& signal, const peer::event::LocalCandidate& c) {
  signal.send("candidate", c.mid + "\n" + c.candidate);
}

void add_candidate(net::PeerHost& host, const std::string& body) {
  const auto newline = body.find('\n');
  (void)host.pc().add_ice_candidate(host.now(), body.substr(newline + 1), body.substr(0, newline));
  host.flush();
}

// The answerer: answers each offer with a fresh PeerConnection, counts what its channel receives, and on
// "transfer N" reports its CPU time and memory once N bytes have arrived.
int run_answerer(int fd) {
  asio::io_context io;
  Signal signal(io, fd);
  std::unique_ptr<net::PeerHost> host;
  std::uint64_t received = 0;
  std::uint64_t expected = 0;
  Usage usage(io);
  signal.listen([&](const std::string& kind, const std::string& body) {
    if (kind == "offer") {
      if (host) host->close();
      host = make_host(io);
      received = 0;
      (void)host->start([&](peer::Event&& e) {
        std::visit(Overloaded{[&](peer::event::LocalCandidate& c) { send_candidate(signal, c); },
                              [&](peer::event::ChannelOpen&) { usage.start(); },
                              [&](peer::event::Message& m) {
                                received += m.bytes.size();
                                if (expected != 0 && received >= expected) {
                                  std::ostringstream report;
                                  report << "received=" << received << " cpu_s=" << usage.cpu()
                                         << " rss_start_kib=" << usage.rss_start()
                                         << " rss_peak_kib=" << usage.rss_peak();
                                  signal.send("done", report.str());
                                  expected = 0;
                                }
                              },
                              [](auto&) {}},
                   e);
      });
      auto& pc = host->pc();
      (void)pc.set_remote_description(host->now(), {peer::SdpType::offer, body});
      auto answer = pc.create_answer();
      (void)pc.set_local_description(host->now(), *answer);
      signal.send("answer", answer->sdp);
      host->flush();
    } else if (kind == "candidate" && host) {
      add_candidate(*host, body);
    } else if (kind == "transfer") {
      expected = std::stoull(body);
      usage.watch();
    } else if (kind == "close") {
      if (host) host->close();
      host.reset();
      signal.send("closed");
    } else if (kind == "exit") {
      io.stop();
    }
  });
  io.run();
  return 0;
}

// The offerer's side of one connection; the answerer's replies arrive through `signal`.
struct Offerer {
  std::unique_ptr<net::PeerHost> host;
  std::optional<peer::ChannelId> channel;
  std::function<void()> on_open;
  std::function<void()> on_low;
};

void start_offer(asio::io_context& io, Offerer& o, Signal& signal) {
  o.host = make_host(io);
  o.channel.reset();
  (void)o.host->start([&o, &signal](peer::Event&& e) {
    std::visit(Overloaded{[&](peer::event::LocalCandidate& c) { send_candidate(signal, c); },
                          [&](peer::event::ChannelOpen& open) {
                            o.channel = open.id;
                            if (o.on_open) o.on_open();
                          },
                          [&](peer::event::BufferedAmountLow&) {
                            if (o.on_low) o.on_low();
                          },
                          [](auto&) {}},
               e);
  });
  auto& pc = o.host->pc();
  (void)pc.create_data_channel("bench");
  auto offer = pc.create_offer();
  (void)pc.set_local_description(o.host->now(), *offer);
  signal.send("offer", offer->sdp);
  o.host->flush();
}

// Runs the io_context until `done` or the deadline; false on the deadline.
bool run_until(asio::io_context& io, const std::function<bool()>& done, std::chrono::seconds limit) {
  const auto deadline = Clock::now() + limit;
  while (!done()) {
    if (Clock::now() > deadline) return false;
    io.run_one_for(std::chrono::milliseconds(100));
  }
  return true;
}

std::string field(const std::string& report, const std::string& key) {
  const auto at = report.find(key + "=");
  if (at == std::string::npos) return "0";
  const auto start = at + key.size() + 1;
  return report.substr(start, report.find(' ', start) - start);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"peerhub data channel benchmark (peerhub ↔ peerhub on loopback, two processes)"};
  int setups = 50;
  std::uint64_t bytes = 256ULL << 20;
  std::size_t message = 64 * 1024;
  app.add_option("--setups", setups, "connections to time");
  app.add_option("--bytes", bytes, "bytes to send through one channel");
  app.add_option("--message", message, "message size");
  CLI11_PARSE(app, argc, argv);

  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) != 0) {
    std::perror("socketpair");
    return 1;
  }
  const pid_t child = ::fork();
  if (child < 0) {
    std::perror("fork");
    return 1;
  }
  if (child == 0) {
    ::close(fds[0]);
    return run_answerer(fds[1]);
  }
  ::close(fds[1]);

  asio::io_context io;
  Signal signal(io, fds[0]);
  Offerer o;
  bool closed = false;
  std::optional<std::string> done_report;
  signal.listen([&](const std::string& kind, const std::string& body) {
    if (kind == "answer" && o.host) {
      (void)o.host->pc().set_remote_description(o.host->now(), {peer::SdpType::answer, body});
      o.host->flush();
    } else if (kind == "candidate" && o.host) {
      add_candidate(*o.host, body);
    } else if (kind == "closed") {
      closed = true;
    } else if (kind == "done") {
      done_report = body;
    }
  });

  std::vector<double> setup_ms;
  for (int i = 0; i < setups; ++i) {
    const auto t0 = Clock::now();
    std::optional<Clock::time_point> t1;
    o.on_open = [&] { t1 = Clock::now(); };
    start_offer(io, o, signal);
    if (run_until(
            io, [&] { return t1.has_value(); }, std::chrono::seconds(10))) {
      setup_ms.push_back(std::chrono::duration<double, std::milli>(*t1 - t0).count());
    }
    o.host->close();
    o.host.reset();
    closed = false;
    signal.send("close");
    run_until(
        io, [&] { return closed; }, std::chrono::seconds(5));
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
  std::fflush(stdout);

  std::vector<std::uint8_t> chunk(message, 0x5a);
  std::uint64_t sent = 0;
  const std::size_t high_water = 4 << 20;
  const auto pump = [&] {
    while (sent < bytes && o.host->pc().buffered_amount(*o.channel) < high_water) {
      auto ok = o.host->pc().send(*o.channel, std::span<const std::uint8_t>(chunk));
      if (!ok) break;
      sent += chunk.size();
    }
    o.host->flush();
  };
  Usage usage(io);
  Clock::time_point start_time;
  o.on_open = [&] {
    o.host->pc().set_buffered_amount_low_threshold(*o.channel, 1 << 20);
    usage.start();
    start_time = Clock::now();
    pump();
  };
  o.on_low = pump;
  signal.send("transfer", std::to_string(bytes));
  start_offer(io, o, signal);
  usage.watch();
  const bool finished = run_until(
      io, [&] { return done_report.has_value(); }, std::chrono::seconds(300));
  const double seconds = std::chrono::duration<double>(Clock::now() - start_time).count();
  const double sender_cpu = usage.cpu();
  const double receiver_cpu = finished ? std::stod(field(*done_report, "cpu_s")) : 0.0;
  const double cpu = sender_cpu + receiver_cpu;
  const std::uint64_t received = finished ? std::stoull(field(*done_report, "received")) : 0;
  const double gib = static_cast<double>(received) / (1ULL << 30);
  // Memory of both processes: each one's resident set at channel open and its peak during the transfer.
  const long child_rss0 = finished ? std::stol(field(*done_report, "rss_start_kib")) : 0;
  const long child_peak = finished ? std::stol(field(*done_report, "rss_peak_kib")) : 0;
  std::printf(
      "result bytes=%llu seconds=%.3f mbit_s=%.1f cpu_s=%.3f cpu_s_per_gib=%.2f rss_start_kib=%ld "
      "rss_peak_kib=%ld sender_cpu_s=%.3f receiver_cpu_s=%.3f\n",
      static_cast<unsigned long long>(received), seconds, static_cast<double>(received) * 8 / seconds / 1e6,
      cpu, gib > 0 ? cpu / gib : -1.0, usage.rss_start() + child_rss0, usage.rss_peak() + child_peak,
      sender_cpu, receiver_cpu);
  usage.stop();
  signal.send("exit");
  int status = 0;
  ::waitpid(child, &status, 0);
  return finished ? 0 : 1;
}
