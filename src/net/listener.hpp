// Accepts TCP connections and hands each to the next worker in turn; the connection then lives on that
// worker.
#pragma once

#include <cstddef>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "net/http_session.hpp"
#include "net/worker.hpp"

namespace peerhub::net {

class Listener {
 public:
  // Binds and listens now (throws boost::system::system_error with the address on failure).
  Listener(boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& endpoint,
           std::vector<Worker*> workers, HttpServices& services, boost::asio::ssl::context* tls,
           std::size_t max_connections);

  boost::asio::ip::tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }
  void start();
  void stop();

 private:
  void accept();

  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer backoff_;
  std::vector<Worker*> workers_;
  HttpServices& services_;
  boost::asio::ssl::context* tls_;
  std::size_t max_connections_;
  std::size_t next_ = 0;
};

}  // namespace peerhub::net
