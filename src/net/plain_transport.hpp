// What the two transports over a bare TCP descriptor in the worker's epoll set share: the plain WebSocket
// connection (ws_transport.hpp) and TURN over TCP (turn_stream.hpp). Their TLS siblings write through Asio
// instead (tls_transport.hpp).
#pragma once

#include <sys/socket.h>

#include <cerrno>
#include <cstddef>

#include "net/poller.hpp"

namespace peerhub::net {

// A non-blocking read or send that found nothing to read or no room.
inline bool would_block(int error) {
  return error == EAGAIN || error == EWOULDBLOCK;
}

// The write loop: sends the queue (out_, written up to out_sent_) until it is empty or the socket is full. A
// full socket makes the owner wait for EPOLLOUT as well (writing_), and the next EPOLLOUT calls this again;
// once the queue is empty, the owner waits for reading only. An error ends the owner (write_failed).
//
// The owner makes this function its friend and has: fd_, out_, out_sent_, writing_, open(), wrote(n),
// write_failed() and worker(); it is the Poller::Client of fd_.
template <typename Owner>
void write_queued_plain(Owner& self) {
  Poller::Client* client = &self;
  while (self.open() && self.out_sent_ < self.out_.size()) {
    const ssize_t n =
        ::send(self.fd_, self.out_.data() + self.out_sent_, self.out_.size() - self.out_sent_, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && would_block(errno)) {
      if (!self.writing_) {
        self.writing_ = true;  // until EPOLLOUT says the socket takes bytes again
        self.worker().poller().watch(self.fd_, client, true, true);
      }
      return;
    }
    if (n < 0) return self.write_failed();
    self.wrote(static_cast<std::size_t>(n));
  }
  if (self.writing_ && self.open()) {
    self.writing_ = false;
    self.worker().poller().watch(self.fd_, client, true, false);
  }
}

}  // namespace peerhub::net
