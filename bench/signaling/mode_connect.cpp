// Connection modes: open, upgrade and log in N connections with a bounded number in flight; report how fast
// that went and, holding them idle, how much resident memory the server spent per connection.
#include <cstdio>
#include <thread>

#include "messages.hpp"
#include "modes.hpp"
#include "proc_stats.hpp"

namespace peerhub::bench {
namespace {

class ConnectBench final : public Handler {
 public:
  explicit ConnectBench(const Options& o) : o_(o), client_(o.target, *this) {}

  int run(bool hold_idle);

  void on_open(Conn& c) override { client_.send_text(c, login_message(o_.tag + std::to_string(c.id))); }

  void on_text(Conn&, std::string_view text) override {
    const Kind kind = classify(text);
    if (kind == Kind::login_ok) {
      ++logged_in_;
      --in_flight_;
    } else if (kind == Kind::login_failed) {
      ++failures_;
      --in_flight_;
    }
  }

  void on_close(Conn& c, std::string_view why) override {
    if (stopping_) return;
    ++failures_;
    if (c.user == 0) --in_flight_;
    last_close_ = std::string(why);
  }

 private:
  const Options& o_;
  Client client_;
  std::size_t logged_in_ = 0;
  std::size_t failures_ = 0;
  std::size_t in_flight_ = 0;
  bool stopping_ = false;
  std::string last_close_;
};

int ConnectBench::run(bool hold_idle) {
  const auto n = static_cast<std::size_t>(o_.connections);
  const auto limit = static_cast<std::size_t>(o_.concurrency);
  const long rss0 = o_.server_pid ? rss_kib(o_.server_pid) : -1;
  const double cpu0 = o_.server_pid ? cpu_seconds(o_.server_pid) : 0;
  const std::int64_t t0 = now_ns();
  const auto elapsed = [&] { return static_cast<double>(now_ns() - t0) / 1e9; };
  std::size_t started = 0;
  while (logged_in_ < n && elapsed() < o_.timeout_s) {
    while (started < n && in_flight_ < limit) {
      if (client_.connect() == nullptr) {
        std::printf("result mode=%s error=connect-failed started=%zu (raise ulimit -n?)\n",
                    hold_idle ? "idle" : "connect", started);
        return 1;
      }
      ++started;
      ++in_flight_;
    }
    if (failures_ > 0) break;
    client_.poll(5);
  }
  const double took = elapsed();
  const double cpu = o_.server_pid ? cpu_seconds(o_.server_pid) - cpu0 : 0;
  long rss1 = -1;
  if (hold_idle && failures_ == 0) {
    // Let the server settle (allocator, lazily freed handshake buffers) while answering its pings.
    const std::int64_t until = now_ns() + static_cast<std::int64_t>(o_.hold_s * 1e9);
    while (now_ns() < until)
      client_.poll(20);
    rss1 = o_.server_pid ? rss_kib(o_.server_pid) : -1;
  }
  stopping_ = true;
  client_.abort_all();
  const double per_conn = rss1 >= 0 && logged_in_
                              ? static_cast<double>(rss1 - rss0) * 1024.0 / static_cast<double>(logged_in_)
                              : -1;
  std::printf(
      "result mode=%s connections=%zu logged_in=%zu seconds=%.3f rate=%.0f server_cpu_s=%.3f "
      "rss_before_kib=%ld rss_after_kib=%ld bytes_per_conn=%.0f failures=%zu last_close=\"%s\"\n",
      hold_idle ? "idle" : "connect", n, logged_in_, took, static_cast<double>(logged_in_) / took, cpu, rss0,
      rss1, per_conn, failures_, last_close_.c_str());
  return logged_in_ == n ? 0 : 1;
}

}  // namespace

int run_connect(const Options& options, bool hold_idle) {
  ConnectBench bench(options);
  return bench.run(hold_idle);
}

}  // namespace peerhub::bench
