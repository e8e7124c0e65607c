// A WebSocket client for one signaling connection (ws:// or wss://), on the caller's io_context: the native
// peer's way to the server. Text frames in and out; one callback for each message, one for the end.
//
// Outgoing messages queue while a write is in flight (bounded: a peer that cannot keep up is cut off with an
// error, not buffered without end). Incoming frames are limited to 1 MiB (an SDP with every candidate is a
// few KiB). Every failure ends the connection with one call of on_closed(reason in words).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>

namespace peerhub::net {

struct WsUrl {
  bool tls = false;
  std::string host;
  std::string port;
  std::string target = "/ws";
};

// "ws://host:port/path" or "wss://…"; the port defaults to 80 / 443 and the path to /ws. nullopt-like: an
// empty host with `error` set.
struct WsUrlParse {
  WsUrl url;
  std::string error;
};
WsUrlParse parse_ws_url(std::string_view text);

struct WsClientOptions {
  std::string ca_file;    // wss: trust this PEM (e.g. from `peerhub cert`) besides the system's
  bool insecure = false;  // wss: accept any certificate (self-signed on a LAN); said loudly by the caller
};

class WsClient {
 public:
  using OnOpen = std::function<void()>;
  using OnMessage = std::function<void(std::string_view text)>;
  using OnClosed = std::function<void(const std::string& reason)>;

  static std::shared_ptr<WsClient> create(boost::asio::io_context& io, WsUrl url, WsClientOptions options);
  virtual ~WsClient() = default;

  // Resolves, connects (TLS handshake for wss) and upgrades; then on_open, messages, and one on_closed.
  virtual void start(OnOpen on_open, OnMessage on_message, OnClosed on_closed) = 0;
  virtual void send(std::string text) = 0;
  virtual void close() = 0;
};

}  // namespace peerhub::net
