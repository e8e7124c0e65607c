#include "net/ws_transport.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

namespace peerhub::net {
namespace asio = boost::asio;
using boost::system::error_code;

namespace {
constexpr std::size_t kTlsReadBytes = 16 * 1024;  // one TLS record
constexpr int kReadsPerWakeup = 8;                // then let other connections of the worker have a turn
}  // namespace

PlainWsConnection::PlainWsConnection(TcpSocket socket, Worker& worker, WsServices& services)
    : WsConnection(worker, services) {
  // The HTTP phase ran asynchronous operations, so Asio has made the descriptor non-blocking already; asking
  // it costs no system call. TCP_NODELAY came from the listening socket.
  error_code ec;
  if (!socket.native_non_blocking()) socket.native_non_blocking(true, ec);
  fd_ = socket.release(ec);
  if (ec) fd_ = -1;
}

PlainWsConnection::PlainWsConnection(int fd, bool in_poller, Worker& worker, WsServices& services)
    : WsConnection(worker, services), fd_(fd), in_poller_(in_poller) {}

PlainWsConnection::~PlainWsConnection() {
  if (fd_ >= 0) ::close(fd_);
}

void PlainWsConnection::start_reading() {
  if (fd_ >= 0 && in_poller_) {
    worker().poller().watch(fd_, this, true, false);
    return;
  }
  if (fd_ < 0 || !worker().poller().add(fd_, this)) {
    read_ended();
    return;
  }
  // Bytes may have arrived before the descriptor joined the set; level-triggered epoll reports them anyway.
}

void PlainWsConnection::on_poll(std::uint32_t events) {
  if (!open()) return;
  if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) read_ready();
  if (open() && (events & EPOLLOUT)) start_writing();
}

void PlainWsConnection::read_ready() {
  const auto buffer = worker().rx_buffer();
  for (int i = 0; i < kReadsPerWakeup; ++i) {
    const ssize_t n = ::read(fd_, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && would_block(errno)) return;
    if (n <= 0) {
      read_ended();
      return;
    }
    received(buffer.first(static_cast<std::size_t>(n)));
    if (!open() || static_cast<std::size_t>(n) < buffer.size()) return;  // drained
  }
}

void PlainWsConnection::start_writing() {
  write_queued_plain(*this);
}

void PlainWsConnection::close_transport() {
  if (fd_ < 0) return;
  // Closing the only descriptor of the socket also takes it out of the epoll set; events of this batch that
  // are still to be handled find the connection retired, not freed.
  ::close(fd_);
  fd_ = -1;
  worker().retire(shared_from_this());
}

TlsWsConnection::TlsWsConnection(Stream stream, Worker& worker, WsServices& services)
    : WsConnection(worker, services), stream_(std::move(stream)), rx_(new char[kTlsReadBytes]) {
  error_code ec;
  stream_.lowest_layer().set_option(asio::ip::tcp::no_delay(true), ec);
}

void TlsWsConnection::start_reading() {
  stream_.async_read_some(asio::buffer(rx_.get(), kTlsReadBytes),
                          [self = self()](const error_code& ec, std::size_t n) {
                            if (!self->open()) return;
                            if (ec) {
                              self->read_ended();
                              return;
                            }
                            self->received({self->rx_.get(), n});
                            if (self->open()) self->start_reading();
                          });
}

void TlsWsConnection::start_writing() {
  // All that is queued: a WebSocket reader frames by length and needs no TLS record per frame.
  write_queued_tls(self(), out_.size() - out_sent_);
}

void TlsWsConnection::close_transport() {
  close_tls(stream_);
}

}  // namespace peerhub::net
