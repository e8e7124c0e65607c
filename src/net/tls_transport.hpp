// What the two transports over Asio's TLS stream share: the WebSocket connection over TLS (ws_transport.hpp)
// and TURN over TLS (turn_stream.hpp). Each keeps a send queue of its own and writes it through one TLS
// stream; their plain TCP siblings write to the bare descriptor instead.
#pragma once

#include <cstddef>
#include <memory>

#include <boost/asio/buffer.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/write.hpp>
#include <boost/system/error_code.hpp>

#include "net/socket.hpp"

namespace peerhub::net {

using TlsStream = boost::asio::ssl::stream<TcpSocket>;

// The write loop: one async_write at a time. The queue (out_, written up to out_sent_) keeps growing while
// the TLS engine works, so the `bytes` queued first are copied to in_flight_ and written whole (one
// SSL_write: a TLS record, or more for over 16 KiB); once that is done the bytes leave the queue (wrote) and,
// if more was queued meanwhile, the loop goes on (start_writing). An owner that closed in the meantime is
// left alone; a write error ends it (write_failed).
//
// The owner makes this function its friend and has: stream_ (a TlsStream), in_flight_ (out_'s type), out_,
// out_sent_, writing_, open(), wrote(n), write_failed(), and start_writing(), which calls this unless the
// owner holds writes back (TURN, until its handshake is done).
template <typename Owner>
void write_queued_tls(const std::shared_ptr<Owner>& self, std::size_t bytes) {
  self->writing_ = true;
  const auto first = self->out_.begin() + static_cast<std::ptrdiff_t>(self->out_sent_);
  self->in_flight_.assign(first, first + static_cast<std::ptrdiff_t>(bytes));
  boost::asio::async_write(self->stream_, boost::asio::buffer(self->in_flight_),
                           [self](const boost::system::error_code& ec, std::size_t n) {
                             self->writing_ = false;
                             if (!self->open()) return;
                             if (ec) return self->write_failed();
                             self->wrote(n);
                             if (self->open() && self->out_sent_ < self->out_.size()) self->start_writing();
                           });
}

// Ends the TCP connection under the TLS stream at once, without a close_notify; errors do not matter here
// (the peer may be gone already).
inline void close_tls(TlsStream& stream) {
  boost::system::error_code ec;
  stream.lowest_layer().shutdown(TcpSocket::shutdown_both, ec);
  stream.lowest_layer().close(ec);
}

}  // namespace peerhub::net
