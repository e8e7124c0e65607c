// The first request of a plain TCP connection, read in the worker's epoll set. A WebSocket upgrade on /ws,
// the common case, is answered right here and the descriptor becomes a WebSocket connection without ever
// entering Asio; any other request (files, /healthz, /metrics, a refused handshake) is handed with the bytes
// read so far to an Asio HTTP session.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>

#include "net/http_session.hpp"
#include "net/poller.hpp"
#include "net/worker.hpp"

namespace peerhub::net {

class PlainHandshake final : public WorkerMember,
                             private Poller::Client,
                             public std::enable_shared_from_this<PlainHandshake> {
 public:
  // Takes a freshly accepted non-blocking descriptor (closes it on failure).
  static void start(int fd, Worker& worker, HttpServices& services);

  PlainHandshake(int fd, Worker& worker, HttpServices& services);
  ~PlainHandshake() override;

  void flush() override {}
  void on_tick(std::chrono::steady_clock::time_point now) override;
  void on_shutdown() override;

 private:
  void on_poll(std::uint32_t events) override;
  void parse();
  void become_websocket(std::size_t consumed);
  void hand_to_asio();
  void close();
  void finish();  // leaves the worker; the object goes when the last reference does

  int fd_;
  Worker& worker_;
  HttpServices& services_;
  std::string bytes_;  // everything read so far
  std::optional<boost::beast::http::request_parser<boost::beast::http::empty_body>> parser_;
  std::chrono::steady_clock::time_point started_;
  std::shared_ptr<PlainHandshake> self_;  // alive while in the epoll set
};

}  // namespace peerhub::net
