// Counters of the network shell, read by GET /metrics. Relaxed atomics: each is independent.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

namespace peerhub::net {

enum class DropReason : std::uint8_t { idle_timeout, slow_reader, protocol_error, closed, count };

struct NetMetrics {
  std::atomic<std::uint64_t> http_open{0};  // before any upgrade
  std::atomic<std::uint64_t> tcp_accepted{0};
  std::atomic<std::uint64_t> tcp_refused{0};
  std::atomic<std::uint64_t> ws_open{0};
  std::atomic<std::uint64_t> ws_upgrades{0};
  std::atomic<std::uint64_t> bytes_in{0};
  std::atomic<std::uint64_t> bytes_out{0};
  std::atomic<std::uint64_t> too_big{0};
  std::array<std::atomic<std::uint64_t>, static_cast<std::size_t>(DropReason::count)> ws_closed{};
  // HTTP responses by status: 1xx..5xx.
  std::array<std::atomic<std::uint64_t>, 6> http_responses{};

  void count_response(unsigned status) { http_responses[status / 100 < 6 ? status / 100 : 0]++; }
  void count_close(DropReason r) { ws_closed[static_cast<std::size_t>(r)]++; }
};

void append_prometheus(const NetMetrics& metrics, std::string& out);

}  // namespace peerhub::net
