#include "net/listener.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include <spdlog/spdlog.h>
#include <boost/asio/ip/v6_only.hpp>

#include "net/net_metrics.hpp"
#include "net/plain_handshake.hpp"

namespace peerhub::net {
namespace asio = boost::asio;
using boost::system::error_code;
using tcp = asio::ip::tcp;
using reuse_port = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;

Listener::Listener(Worker& worker, const tcp::endpoint& endpoint, HttpServices& services,
                   asio::ssl::context* tls, std::size_t max_connections)
    : worker_(worker),
      acceptor_(worker.io().get_executor()),
      backoff_(worker.io().get_executor()),
      services_(services),
      tls_(tls),
      max_connections_(max_connections) {
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(tcp::acceptor::reuse_address(true));
  acceptor_.set_option(reuse_port(true));
  // Accepted sockets inherit TCP_NODELAY from the listening socket on Linux: one system call per connection
  // fewer. Messages are written whole, once per batch, so Nagle's delay would only add latency.
  acceptor_.set_option(tcp::no_delay(true));
  if (endpoint.address().is_v6()) acceptor_.set_option(asio::ip::v6_only(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(asio::socket_base::max_listen_connections);
}

void Listener::start() {
  if (tls_ != nullptr) return accept();
  // The listening socket joins the worker's epoll set; Asio keeps it only to bind and to close it.
  error_code ec;
  acceptor_.native_non_blocking(true, ec);
  // HTTP clients speak first: the kernel completes the accept only once the request is there (or after a
  // second, when it hands over the bare connection anyway), so the handshake reads it at once.
  const int defer_seconds = 1;
  ::setsockopt(acceptor_.native_handle(), IPPROTO_TCP, TCP_DEFER_ACCEPT, &defer_seconds,
               sizeof defer_seconds);
  worker_.poller().add(acceptor_.native_handle(), this);
}

void Listener::stop() {
  error_code ec;
  backoff_.cancel();
  acceptor_.close(ec);  // also takes it out of the epoll set
}

bool Listener::over_limit() {
  // The hub refuses WebSocket logins over its limit with a clear message; this bound only keeps a flood of
  // raw TCP connections from exhausting descriptors before that.
  if (services_.metrics.http_open.load() + services_.metrics.ws_open.load() < max_connections_) return false;
  services_.metrics.tcp_refused++;
  return true;
}

void Listener::back_off() {
  // Out of descriptors or memory: wait a little instead of spinning on the same error.
  backoff_.expires_after(std::chrono::milliseconds(100));
  backoff_.async_wait([this](error_code ec) {
    if (ec) return;
    if (tls_ != nullptr) return accept();
    worker_.poller().watch(acceptor_.native_handle(), this, true, false);
  });
}

void Listener::on_poll(std::uint32_t) {
  constexpr int kAcceptsPerBatch = 64;  // then the connections already here get their turn
  for (int i = 0; i < kAcceptsPerBatch; ++i) {
    const int fd = ::accept4(acceptor_.native_handle(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return;
      spdlog::warn("accept failed error=\"{}\"", std::generic_category().message(errno));
      worker_.poller().watch(acceptor_.native_handle(), this, false, false);
      return back_off();
    }
    services_.metrics.tcp_accepted++;
    if (over_limit()) {
      ::close(fd);
      continue;
    }
    PlainHandshake::start(fd, worker_, services_);
  }
}

void Listener::accept() {
  acceptor_.async_accept([this](error_code ec, TcpSocket socket) {
    if (ec == asio::error::operation_aborted) return;
    if (ec) {
      spdlog::warn("accept failed error=\"{}\"", ec.message());
      return back_off();
    }
    services_.metrics.tcp_accepted++;
    if (over_limit()) {
      error_code close_ec;
      socket.close(close_ec);
    } else {
      start_http_session(std::move(socket), worker_, services_, tls_);
    }
    accept();
  });
}

}  // namespace peerhub::net
