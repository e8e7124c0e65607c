// One HTTP connection (plain or TLS) until it closes or upgrades to a WebSocket: static files of the web
// client, /healthz, /metrics and the /ws upgrade.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/ssl/context.hpp>

#include "net/socket.hpp"
#include "net/worker.hpp"
#include "net/ws_connection.hpp"

namespace peerhub::net {

// Limits of an HTTP request, whichever path reads it (the plain handshake or an Asio session).
inline constexpr std::size_t kHttpHeaderLimit = 8 * 1024;
inline constexpr auto kHttpRequestTimeout = std::chrono::seconds(30);  // head (and TLS handshake) by then

struct HttpServices {
  std::filesystem::path web_root;  // canonical
  NetMetrics& metrics;
  WsServices& ws;
  std::function<std::string()> metrics_text;
  std::vector<std::string> allowed_origins;  // empty: any page may open /ws
};

// Takes over an accepted socket on its worker's thread. With a TLS context the session starts with the TLS
// handshake. `early` holds bytes of the connection that were read already (a plain connection's handshake
// hands over whatever is not a WebSocket upgrade).
void start_http_session(TcpSocket socket, Worker& worker, HttpServices& services,
                        boost::asio::ssl::context* tls, std::string_view early = {});

}  // namespace peerhub::net
