// peerhub_bench_turn: makes TURN allocations against a server (peerhub or coturn) as fast as it answers, the
// way a browser does — an Allocate without credentials, the 401 with REALM and NONCE, the same Allocate
// signed with the long-term key (RFC 8656 §7.1, RFC 8489 §9.2) — each from a UDP socket of its own (one
// 5-tuple per allocation). Messages are built and checked with peerhub's STUN codec (src/stun); the server is
// whatever listens on --server. See bench/README.md.
//
//   --mode setup: N allocations, --concurrency in flight; prints allocations/s and the server's CPU per
//                 allocation. The sockets are opened before the clock starts.
//   --mode idle:  the same, then --hold seconds; prints the server's VmRSS growth per allocation.
//
// One thread, epoll, connected non-blocking sockets. A request unanswered for 500 ms is sent again (three
// tries).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "../signaling/proc_stats.hpp"
#include "stun/address.hpp"
#include "stun/attributes.hpp"
#include "stun/builder.hpp"
#include "stun/credentials.hpp"
#include "stun/integrity.hpp"
#include "stun/message.hpp"

namespace {

using namespace peerhub;
using Clock = std::chrono::steady_clock;

struct Options {
  std::string server = "127.0.0.1:3478";
  std::string mode = "setup";
  std::string label = "server";
  std::string user = "u";
  std::string password = "p";
  pid_t server_pid = 0;
  int allocations = 2000;
  int concurrency = 64;
  double hold_s = 1;
  double timeout_s = 60;
};

enum class Step : std::uint8_t { idle, challenge, signed_request, done };

struct Slot {
  int fd = -1;
  Step step = Step::idle;
  stun::TransactionId tid{};
  std::string nonce;
  Clock::time_point sent_at;
  int tries = 0;
};

// CPU seconds of `pid` with nanosecond resolution (/proc/PID/task/*/schedstat, field 1), or utime+stime.
double cpu_seconds(pid_t pid) {
  double ns = 0;
  std::error_code ec;
  for (const auto& task : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task", ec)) {
    std::ifstream in(task.path() / "schedstat");
    double run = 0;
    if (in >> run) ns += run;
  }
  return ns > 0 ? ns / 1e9 : bench::cpu_seconds(pid);
}

double own_cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  const auto s = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return s(u.ru_utime) + s(u.ru_stime);
}

class Generator {
 public:
  Generator(const Options& o, const stun::Address& server) : o_(o), server_(server), slots_(o.allocations) {}

  bool open_sockets() {
    epoll_ = epoll_create1(EPOLL_CLOEXEC);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(server_.port);
    std::memcpy(&to.sin_addr, server_.bytes.data(), 4);
    for (std::size_t i = 0; i < slots_.size(); ++i) {
      const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
      if (fd < 0 || connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof to) != 0) {
        std::perror("socket/connect (is ulimit -n above --allocations?)");
        return false;
      }
      epoll_event ev{};
      ev.events = EPOLLIN;
      ev.data.u32 = static_cast<std::uint32_t>(i);
      epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &ev);
      slots_[i].fd = fd;
    }
    return true;
  }

  // Runs until every allocation succeeded or failed (or the timeout).
  void run() {
    const auto deadline = Clock::now() + std::chrono::duration<double>(o_.timeout_s);
    while (next_ < slots_.size() && in_flight_ < static_cast<std::size_t>(o_.concurrency))
      start(next_++);
    std::array<epoll_event, 256> events{};
    auto last_sweep = Clock::now();
    while (done_ + failed_ < slots_.size() && Clock::now() < deadline) {
      const int n = epoll_wait(epoll_, events.data(), static_cast<int>(events.size()), 50);
      for (int e = 0; e < n; ++e)
        drain(events[static_cast<std::size_t>(e)].data.u32);
      if (Clock::now() - last_sweep > std::chrono::milliseconds(100)) {
        retransmit_late();
        last_sweep = Clock::now();
      }
    }
  }

  std::size_t done() const { return done_; }
  std::size_t failed() const { return failed_; }
  std::size_t retransmits() const { return retransmits_; }
  const std::string& first_error() const { return first_error_; }

 private:
  void start(std::size_t i) {
    ++in_flight_;
    slots_[i].step = Step::challenge;
    send(i, true);
  }

  void finish(std::size_t i, bool ok, const std::string& why = {}) {
    slots_[i].step = Step::done;
    --in_flight_;
    ok ? ++done_ : ++failed_;
    if (!ok && first_error_.empty()) first_error_ = why;
    while (next_ < slots_.size() && in_flight_ < static_cast<std::size_t>(o_.concurrency))
      start(next_++);
  }

  // Builds the slot's current request and sends it: a new transaction, or a retransmission (RFC 8489 §6.2.1:
  // same transaction ID).
  void send(std::size_t i, bool new_transaction) {
    Slot& s = slots_[i];
    if (new_transaction)
      for (auto& b : s.tid)
        b = static_cast<std::uint8_t>(rng_());
    stun::Builder b(out_, stun::Method::allocate, stun::Class::request, s.tid);
    b.add<stun::attr::RequestedTransport>(stun::attr::RequestedTransport::kUdp);
    if (s.step == Step::signed_request) {
      b.add<stun::attr::Username>(o_.user).add<stun::attr::Realm>(realm_).add<stun::attr::Nonce>(s.nonce);
      b.add_message_integrity(key_.bytes());
    }
    b.add_fingerprint();
    const auto bytes = b.finish();
    if (!bytes) return finish(i, false, "cannot build the request");
    s.sent_at = Clock::now();
    ++s.tries;
    (void)::send(s.fd, bytes->data(), bytes->size(), 0);
  }

  void drain(std::size_t i) {
    std::array<std::uint8_t, 1500> buf{};
    for (;;) {
      const ssize_t n = recv(slots_[i].fd, buf.data(), buf.size(), 0);
      if (n <= 0) return;
      on_response(i, std::span<const std::uint8_t>(buf.data(), static_cast<std::size_t>(n)));
    }
  }

  void on_response(std::size_t i, std::span<const std::uint8_t> bytes) {
    Slot& s = slots_[i];
    const auto m = stun::Message::parse(bytes);
    if (!m || m->transaction_id() != s.tid || s.step == Step::done)
      return;  // a late answer to a retransmission
    if (m->cls() == stun::Class::success) {
      const bool verified = s.step == Step::signed_request &&
                            stun::verify_message_integrity(*m, key_.bytes()) == stun::Error::none;
      return finish(i, verified, "a success response whose MESSAGE-INTEGRITY does not verify");
    }
    const auto err = m->get<stun::attr::ErrorCode>();
    const int code = err ? err->code : 0;
    // RFC 8489 §9.2.5: after a 401 (first try) or a 438, take REALM and NONCE and sign the request.
    if ((code == 401 && s.step == Step::challenge) || code == 438) {
      const auto realm = m->get<stun::attr::Realm>();
      const auto nonce = m->get<stun::attr::Nonce>();
      if (!realm || !nonce) return finish(i, false, "a 401 without REALM or NONCE");
      if (realm_ != *realm) {
        realm_ = std::string(*realm);
        const auto key = stun::long_term_key(o_.user, realm_, o_.password);
        if (!key) return finish(i, false, "cannot derive the key");
        key_ = *key;
      }
      s.nonce = std::string(*nonce);
      s.step = Step::signed_request;
      s.tries = 0;
      return send(i, true);
    }
    finish(i, false, "error " + std::to_string(code) + " " + std::string(err ? err->reason : ""));
  }

  void retransmit_late() {
    const auto now = Clock::now();
    for (std::size_t i = 0; i < next_; ++i) {
      Slot& s = slots_[i];
      if (s.step == Step::done || now - s.sent_at < std::chrono::milliseconds(500)) continue;
      if (s.tries >= 3) {
        finish(i, false, "no answer after three tries");
      } else {
        ++retransmits_;
        send(i, false);
      }
    }
  }

  const Options& o_;
  stun::Address server_;
  std::vector<Slot> slots_;
  std::vector<std::uint8_t> out_;
  std::string realm_;
  stun::LongTermKey key_;
  std::mt19937_64 rng_{std::random_device{}()};
  int epoll_ = -1;
  std::size_t next_ = 0;
  std::size_t in_flight_ = 0;
  std::size_t done_ = 0;
  std::size_t failed_ = 0;
  std::size_t retransmits_ = 0;
  std::string first_error_;
};

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"TURN allocation load generator (long-term credentials) for peerhub and coturn"};
  app.add_option("--server", o.server, "IPv4:PORT of the TURN server (UDP)");
  app.add_option("--mode", o.mode, "setup | idle")->check(CLI::IsMember({"setup", "idle"}));
  app.add_option("--server-pid", o.server_pid, "server process to read CPU and RSS of")->required();
  app.add_option("--allocations", o.allocations, "allocations to make")->check(CLI::Range(1, 60000));
  app.add_option("--concurrency", o.concurrency, "allocations in flight")->check(CLI::Range(1, 10000));
  app.add_option("--user", o.user, "long-term username");
  app.add_option("--password", o.password, "long-term password");
  app.add_option("--hold", o.hold_s, "idle: seconds to wait before reading RSS");
  app.add_option("--timeout", o.timeout_s, "give up after this many seconds");
  app.add_option("--label", o.label, "server name in the result line");
  CLI11_PARSE(app, argc, argv);
  const auto server = stun::Address::parse(o.server);
  if (!server || server->family != stun::Family::ipv4) {
    std::fprintf(stderr, "bad --server %s (IPv4:PORT)\n", o.server.c_str());
    return 2;
  }

  Generator g(o, *server);
  if (!g.open_sockets()) return 1;
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const long rss0 = bench::rss_kib(o.server_pid);
  const double cpu0 = cpu_seconds(o.server_pid);
  const double own0 = own_cpu_seconds();
  const auto t0 = Clock::now();
  g.run();
  const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  const double cpu = cpu_seconds(o.server_pid) - cpu0;
  const double own = own_cpu_seconds() - own0;
  if (g.failed() > 0)
    std::fprintf(stderr, "peerhub_bench_turn: %zu allocations failed, the first: %s\n", g.failed(),
                 g.first_error().c_str());
  const auto made = static_cast<double>(g.done());
  if (o.mode == "idle") {
    std::this_thread::sleep_for(std::chrono::duration<double>(o.hold_s));
    const long rss1 = bench::rss_kib(o.server_pid);
    std::printf(
        "result mode=idle server=%s allocations=%zu failed=%zu rss_before_kib=%ld rss_after_kib=%ld "
        "bytes_per_alloc=%.0f\n",
        o.label.c_str(), g.done(), g.failed(), rss0, rss1,
        made > 0 ? static_cast<double>(rss1 - rss0) * 1024.0 / made : -1.0);
  } else {
    std::printf(
        "result mode=setup server=%s allocations=%zu failed=%zu retransmits=%zu concurrency=%d seconds=%.3f "
        "rate=%.1f server_cpu_s=%.3f server_cpu_us_per_alloc=%.2f loadgen_cpu_s=%.3f\n",
        o.label.c_str(), g.done(), g.failed(), g.retransmits(), o.concurrency, seconds, made / seconds, cpu,
        made > 0 ? cpu / made * 1e6 : -1.0, own);
  }
  return g.failed() == 0 ? 0 : 1;
}
