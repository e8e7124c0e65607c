// Relay modes: N pairs log in, then either answer every relayed message at once with a window of messages in
// flight per pair (max rate), or send at a fixed total rate without answering (CPU per message, latency).
#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <vector>

#include "messages.hpp"
#include "modes.hpp"
#include "proc_stats.hpp"

namespace peerhub::bench {
namespace {

class RelayBench final : public Handler {
 public:
  RelayBench(const Options& o, bool paced) : o_(o), paced_(paced), client_(o.target, *this) {
    latencies_.reserve(1 << 20);
  }

  int run();

  void on_open(Conn& c) override { client_.send_text(c, login_message(name(c.id))); }

  void on_text(Conn& c, std::string_view text) override {
    const Kind kind = classify(text);
    if (kind == Kind::login_ok) return void(++logged_in_);
    if (kind == Kind::login_failed) return void(++failures_);
    if (kind == Kind::error) return void(++errors_);
    if (kind != Kind::offer && kind != Kind::answer && kind != Kind::candidate) return;
    if (measuring_) {
      ++relayed_;
      const std::int64_t sent = sent_at(text);
      if (sent > 0 && latencies_.size() < latencies_.capacity()) latencies_.push_back(now_ns() - sent);
    }
    if (!paced_ && running_) send(c.id, next_kind(kind));
  }

  void on_close(Conn&, std::string_view why) override {
    if (!stopping_) {
      ++failures_;
      last_close_ = std::string(why);
    }
  }

 private:
  std::string name(std::uint32_t id) const { return o_.tag + std::to_string(id); }

  // Sends a message of `kind` from connection `from` to its partner (pairs are ids 2k and 2k+1).
  void send(std::uint32_t from, Kind kind) {
    build_relay(scratch_, kind, names_[from ^ 1U], now_ns(), o_.sdp_bytes);
    client_.send_text(*conns_[from], scratch_);
  }

  const Options& o_;
  bool paced_;
  Client client_;
  std::vector<Conn*> conns_;
  std::vector<std::string> names_;
  std::string scratch_;
  std::vector<std::int64_t> latencies_;
  std::size_t logged_in_ = 0;
  std::size_t failures_ = 0;
  std::size_t errors_ = 0;
  std::uint64_t relayed_ = 0;
  bool measuring_ = false;
  bool running_ = false;
  bool stopping_ = false;
  std::string last_close_;
};

double seconds_since(std::int64_t t0) {
  return static_cast<double>(now_ns() - t0) / 1e9;
}

// CPU seconds of this process, to show when the load generator itself is the bottleneck.
double own_cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  const auto s = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return s(u.ru_utime) + s(u.ru_stime);
}

int RelayBench::run() {
  const std::size_t n = static_cast<std::size_t>(o_.pairs) * 2;
  const std::int64_t t0 = now_ns();
  for (std::uint32_t i = 0; i < n; ++i) {
    Conn* c = client_.connect();
    if (c == nullptr) {
      std::printf("result mode=%s error=connect-failed\n", o_.label.c_str());
      return 1;
    }
    conns_.push_back(c);
    names_.push_back(name(c->id));
  }
  while (logged_in_ < n && failures_ == 0 && seconds_since(t0) < o_.timeout_s)
    client_.poll(10);
  if (logged_in_ < n) {
    std::printf("result mode=%s error=login logged_in=%zu of=%zu failures=%zu last_close=\"%s\"\n",
                o_.label.c_str(), logged_in_, n, failures_, last_close_.c_str());
    return 1;
  }

  running_ = true;
  if (!paced_) {
    for (std::uint32_t i = 0; i < n; i += 2)
      for (int w = 0; w < o_.window; ++w)
        send(i, Kind::offer);
  }
  const std::int64_t start = now_ns();
  const auto at = [&](double s) { return start + static_cast<std::int64_t>(s * 1e9); };
  const std::int64_t measure_from = at(o_.warmup_s);
  const std::int64_t measure_to = at(o_.warmup_s + o_.duration_s);
  std::uint64_t sent = 0;
  std::size_t next_sender = 0;
  double cpu0 = 0;
  double own0 = 0;
  std::int64_t measured_ns = 0;
  for (;;) {
    const std::int64_t now = now_ns();
    if (!measuring_ && now >= measure_from) {
      measuring_ = true;
      cpu0 = o_.server_pid ? cpu_seconds(o_.server_pid) : 0;
      own0 = own_cpu_seconds();
      measured_ns = now;
    }
    if (now >= measure_to) break;
    if (paced_) {
      // Spread the offered rate evenly: whatever is due since the start goes out now, round-robin.
      const auto due = static_cast<std::uint64_t>(o_.rate * static_cast<double>(now - start) / 1e9);
      for (std::uint64_t k = 0; sent < due && k < 20000; ++k, ++sent) {
        const auto from = static_cast<std::uint32_t>(next_sender);
        send(from, static_cast<Kind>(sent / n % 3));
        next_sender = (next_sender + 1) % n;
      }
      client_.flush();  // now, not after the next wait: the timestamps are already in the messages
    }
    client_.poll(paced_ ? 1 : 5);
    if (client_.open_count() < n) break;
  }
  const double window_s = static_cast<double>(now_ns() - measured_ns) / 1e9;
  const double cpu = o_.server_pid ? cpu_seconds(o_.server_pid) - cpu0 : 0;
  const double own = own_cpu_seconds() - own0;
  measuring_ = false;
  running_ = false;
  stopping_ = true;
  client_.abort_all();

  std::sort(latencies_.begin(), latencies_.end());
  const auto pct = [&](double p) {
    if (latencies_.empty()) return -1.0;
    const auto i = static_cast<std::size_t>(p * static_cast<double>(latencies_.size() - 1));
    return static_cast<double>(latencies_[i]) / 1e3;
  };
  std::printf(
      "result mode=%s pairs=%d window=%d offered_rate=%.0f seconds=%.2f relayed=%llu rate=%.0f "
      "p50_us=%.1f p99_us=%.1f server_cpu_s=%.3f cpu_us_per_msg=%.2f loadgen_cpu_s=%.3f errors=%zu "
      "dropped=%zu\n",
      o_.label.c_str(), o_.pairs, paced_ ? 0 : o_.window, paced_ ? o_.rate : 0.0, window_s,
      static_cast<unsigned long long>(relayed_), static_cast<double>(relayed_) / window_s, pct(0.5),
      pct(0.99), cpu, relayed_ ? cpu * 1e6 / static_cast<double>(relayed_) : -1.0, own, errors_, failures_);
  return failures_ == 0 ? 0 : 1;
}

}  // namespace

int run_relay(const Options& options, bool paced) {
  RelayBench bench(options, paced);
  return bench.run();
}

}  // namespace peerhub::bench
