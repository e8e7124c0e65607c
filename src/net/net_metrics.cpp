#include "net/net_metrics.hpp"

#include <string_view>

#include "common/prometheus.hpp"

namespace peerhub::net {

void append_prometheus(const NetMetrics& m, std::string& out) {
  PrometheusWriter w(out, "peerhub_");
  w.single("http_connections", "gauge", "HTTP connections open (not upgraded).", m.http_open.load());
  w.single("tcp_accepted_total", "counter", "TCP connections accepted.", m.tcp_accepted.load());
  w.single("tcp_refused_total", "counter", "TCP connections refused at the connection limit.",
           m.tcp_refused.load());
  w.single("websocket_connections", "gauge", "WebSocket connections open.", m.ws_open.load());
  w.single("websocket_upgrades_total", "counter", "HTTP requests upgraded to WebSocket.",
           m.ws_upgrades.load());
  w.family("websocket_closed_total", "counter", "WebSocket connections ended, by reason.");
  static constexpr std::string_view kReasons[] = {"idle-timeout", "slow-reader", "protocol-error", "closed"};
  for (std::size_t i = 0; i < m.ws_closed.size(); ++i) {
    w.sample("websocket_closed_total", "reason", kReasons[i], m.ws_closed[i].load());
  }
  w.single("websocket_too_big_total", "counter", "Messages refused for exceeding the frame limit.",
           m.too_big.load());
  w.single("websocket_bytes_in_total", "counter", "Bytes read from WebSocket clients.", m.bytes_in.load());
  w.single("websocket_bytes_out_total", "counter", "Bytes written to WebSocket clients.", m.bytes_out.load());
  w.family("http_responses_total", "counter", "HTTP responses, by status class.");
  static constexpr std::string_view kClasses[] = {"", "1xx", "2xx", "3xx", "4xx", "5xx"};
  for (std::size_t i = 1; i < m.http_responses.size(); ++i) {
    w.sample("http_responses_total", "code", kClasses[i], m.http_responses[i].load());
  }
}

}  // namespace peerhub::net
