#include "net/ws_transport.hpp"

#include <boost/asio/write.hpp>

namespace peerhub::net {
namespace asio = boost::asio;
using boost::system::error_code;

namespace {
constexpr std::size_t kTlsReadBytes = 16 * 1024;  // one TLS record
constexpr int kReadsPerWakeup = 8;                // then let other connections of the worker have a turn
}  // namespace

PlainWsConnection::PlainWsConnection(TcpSocket socket, Worker& worker, WsServices& services)
    : WsConnection(worker, services), socket_(std::move(socket)) {
  error_code ec;
  socket_.non_blocking(true, ec);
  socket_.set_option(asio::ip::tcp::no_delay(true), ec);
}

void PlainWsConnection::start_reading() {
  socket_.async_wait(TcpSocket::wait_read, [self = self()](const error_code& ec) { self->on_readable(ec); });
}

void PlainWsConnection::on_readable(const error_code& ec) {
  if (!open()) return;
  if (ec) {
    read_ended();
    return;
  }
  const auto buffer = worker().rx_buffer();
  for (int i = 0; i < kReadsPerWakeup && open(); ++i) {
    error_code read_ec;
    const std::size_t n = socket_.read_some(asio::buffer(buffer.data(), buffer.size()), read_ec);
    if (read_ec == asio::error::would_block || read_ec == asio::error::try_again) break;
    if (read_ec) {
      read_ended();
      return;
    }
    received(buffer.first(n));
    if (n < buffer.size()) break;  // drained
  }
  if (open()) start_reading();
}

void PlainWsConnection::start_writing() {
  while (open() && out_sent_ < out_.size()) {
    error_code ec;
    const std::size_t n =
        socket_.write_some(asio::buffer(out_.data() + out_sent_, out_.size() - out_sent_), ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) {
      writing_ = true;
      socket_.async_wait(TcpSocket::wait_write, [self = self()](const error_code& wait_ec) {
        self->writing_ = false;
        if (!self->open()) return;
        if (wait_ec) {
          self->write_failed();
          return;
        }
        self->start_writing();
      });
      return;
    }
    if (ec) {
      write_failed();
      return;
    }
    wrote(n);
  }
}

void PlainWsConnection::close_transport() {
  error_code ec;
  socket_.shutdown(TcpSocket::shutdown_both, ec);
  socket_.close(ec);
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
  writing_ = true;
  in_flight_.assign(out_, out_sent_);
  asio::async_write(stream_, asio::buffer(in_flight_), [self = self()](const error_code& ec, std::size_t n) {
    self->writing_ = false;
    if (!self->open()) return;
    if (ec) {
      self->write_failed();
      return;
    }
    self->wrote(n);
    if (self->open() && self->out_sent_ < self->out_.size()) self->start_writing();
  });
}

void TlsWsConnection::close_transport() {
  error_code ec;
  stream_.lowest_layer().shutdown(TcpSocket::shutdown_both, ec);
  stream_.lowest_layer().close(ec);
}

}  // namespace peerhub::net
