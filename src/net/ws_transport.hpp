// The two transports a WebSocket connection can ride on. Plain TCP is a bare descriptor in the worker's epoll
// set: it reads on readiness into the worker's shared buffer and writes without waiting when the socket takes
// the bytes. TLS stays an Asio stream with a buffer of its own, because the TLS engine may hold decrypted
// bytes between reads.
#pragma once

#include <memory>

#include <boost/asio/ip/tcp.hpp>

#include "net/plain_transport.hpp"
#include "net/socket.hpp"
#include "net/tls_transport.hpp"
#include "net/ws_connection.hpp"

namespace peerhub::net {

class PlainWsConnection final : public WsConnection, private Poller::Client {
 public:
  // Takes the descriptor out of the socket (and out of Asio's reactor).
  PlainWsConnection(TcpSocket socket, Worker& worker, WsServices& services);
  // A non-blocking descriptor; `in_poller`: it is in the worker's epoll set already (the handshake's entry).
  PlainWsConnection(int fd, bool in_poller, Worker& worker, WsServices& services);
  ~PlainWsConnection() override;

 private:
  template <typename Owner>
  friend void write_queued_plain(Owner& self);

  void start_reading() override;
  void start_writing() override;
  void close_transport() override;
  void on_poll(std::uint32_t events) override;
  void read_ready();

  int fd_ = -1;
  bool in_poller_ = false;
};

class TlsWsConnection final : public WsConnection {
 public:
  using Stream = TlsStream;
  TlsWsConnection(Stream stream, Worker& worker, WsServices& services);

 private:
  template <typename Owner>
  friend void write_queued_tls(const std::shared_ptr<Owner>& self, std::size_t bytes);

  void start_reading() override;
  void start_writing() override;
  void close_transport() override;
  std::shared_ptr<TlsWsConnection> self() {
    return std::static_pointer_cast<TlsWsConnection>(shared_from_this());
  }

  Stream stream_;
  std::unique_ptr<char[]> rx_;
  std::string in_flight_;  // what the TLS engine is writing; out_ keeps growing meanwhile
};

}  // namespace peerhub::net
