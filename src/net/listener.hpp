// Accepts TCP connections on one worker. Every worker has its own listening socket on the same address
// (SO_REUSEPORT), so the kernel spreads connections over the workers and a connection is born on the worker
// that serves it: no hand-over between threads. Plain connections are accepted from the worker's epoll set
// (accept4, already non-blocking) and start as a PlainHandshake; TLS ones go through Asio.
#pragma once

#include <cstddef>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "net/http_session.hpp"
#include "net/poller.hpp"
#include "net/socket.hpp"
#include "net/worker.hpp"

namespace peerhub::net {

class Listener final : private Poller::Client {
 public:
  // Binds and listens now (throws boost::system::system_error on failure).
  Listener(Worker& worker, const boost::asio::ip::tcp::endpoint& endpoint, HttpServices& services,
           boost::asio::ssl::context* tls, std::size_t max_connections);

  boost::asio::ip::tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }
  void start();
  void stop();  // worker thread, or before the worker runs

 private:
  void accept();                                // TLS: one Asio accept at a time
  void on_poll(std::uint32_t events) override;  // plain: accept what is waiting
  bool over_limit();
  void back_off();

  Worker& worker_;
  TcpAcceptor acceptor_;
  SteadyTimer backoff_;
  HttpServices& services_;
  boost::asio::ssl::context* tls_;
  std::size_t max_connections_;
};

}  // namespace peerhub::net
