#include "net/net_metrics.hpp"

#include <string_view>

namespace peerhub::net {
namespace {

void line(std::string& out, std::string_view name, std::string_view labels, std::uint64_t value) {
  out.append(name);
  if (!labels.empty()) out.append("{").append(labels).append("}");
  out.append(" ").append(std::to_string(value)).append("\n");
}

void head(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out.append("# HELP ").append(name).append(" ").append(help).append("\n");
  out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

}  // namespace

void append_prometheus(const NetMetrics& m, std::string& out) {
  head(out, "peerhub_http_connections", "gauge", "HTTP connections open (not upgraded).");
  line(out, "peerhub_http_connections", "", m.http_open.load());
  head(out, "peerhub_tcp_accepted_total", "counter", "TCP connections accepted.");
  line(out, "peerhub_tcp_accepted_total", "", m.tcp_accepted.load());
  head(out, "peerhub_tcp_refused_total", "counter", "TCP connections refused at the connection limit.");
  line(out, "peerhub_tcp_refused_total", "", m.tcp_refused.load());
  head(out, "peerhub_websocket_connections", "gauge", "WebSocket connections open.");
  line(out, "peerhub_websocket_connections", "", m.ws_open.load());
  head(out, "peerhub_websocket_upgrades_total", "counter", "HTTP requests upgraded to WebSocket.");
  line(out, "peerhub_websocket_upgrades_total", "", m.ws_upgrades.load());
  head(out, "peerhub_websocket_closed_total", "counter", "WebSocket connections ended, by reason.");
  static constexpr std::string_view kReasons[] = {"idle-timeout", "slow-reader", "protocol-error", "closed"};
  for (std::size_t i = 0; i < m.ws_closed.size(); ++i) {
    line(out, "peerhub_websocket_closed_total", "reason=\"" + std::string(kReasons[i]) + "\"",
         m.ws_closed[i].load());
  }
  head(out, "peerhub_websocket_too_big_total", "counter", "Messages refused for exceeding the frame limit.");
  line(out, "peerhub_websocket_too_big_total", "", m.too_big.load());
  head(out, "peerhub_websocket_bytes_in_total", "counter", "Bytes read from WebSocket clients.");
  line(out, "peerhub_websocket_bytes_in_total", "", m.bytes_in.load());
  head(out, "peerhub_websocket_bytes_out_total", "counter", "Bytes written to WebSocket clients.");
  line(out, "peerhub_websocket_bytes_out_total", "", m.bytes_out.load());
  head(out, "peerhub_http_responses_total", "counter", "HTTP responses, by status class.");
  for (std::size_t i = 1; i < m.http_responses.size(); ++i) {
    line(out, "peerhub_http_responses_total", "code=\"" + std::to_string(i) + "xx\"",
         m.http_responses[i].load());
  }
}

}  // namespace peerhub::net
