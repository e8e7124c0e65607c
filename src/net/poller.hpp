// A worker's own epoll set for its plain WebSocket connections, nested in the worker's io_context.
//
// Asio keeps a per-descriptor state and a pending operation for every socket it waits on (~300 bytes); an
// idle WebSocket needs neither. Here a connection is one epoll entry holding a pointer, and readiness arrives
// in batches: everything one epoll_wait reports is handled, then every connection that queued bytes is
// written once (the worker's after-batch step).
//
// The set is level-triggered. Asio watches its descriptor edge-triggered and its waits do not look ahead, so
// a batch that leaves readiness behind (a full event array, a client whose read budget ran out) runs again by
// a post instead of a wait; a batch that drained the set waits, and any readiness arriving meanwhile is a new
// edge.
#pragma once

#include <sys/epoll.h>

#include <array>
#include <cstdint>
#include <functional>

#include <boost/asio/posix/basic_stream_descriptor.hpp>

#include "net/socket.hpp"

namespace peerhub::net {

class Poller {
 public:
  class Client {
   public:
    // events: EPOLLIN / EPOLLOUT / EPOLLHUP / EPOLLERR / EPOLLRDHUP as reported.
    virtual void on_poll(std::uint32_t events) = 0;

   protected:
    ~Client() = default;
  };

  // batch(true) runs before a batch's events are handled, batch(false) after them.
  Poller(boost::asio::io_context& io, std::function<void(bool starting)> batch);
  Poller(const Poller&) = delete;
  Poller& operator=(const Poller&) = delete;

  void start();
  // Returns false (errno set) when the kernel refuses the descriptor.
  bool add(int fd, Client* client);
  // Points the descriptor's entry at another client (a connection that changed hands) and sets what it waits
  // for: EPOLLIN, plus EPOLLOUT when `write`; `read` false pauses reading.
  void watch(int fd, Client* client, bool read, bool write);
  // Takes the descriptor out of the set (before it is handed to Asio).
  void remove(int fd);
  // A client stopped reading before the socket was drained: run another batch soon.
  void more_later() { more_ = true; }

 private:
  void wait();
  void run_batch();

  boost::asio::posix::basic_stream_descriptor<Executor> watch_;  // owns the epoll descriptor
  std::function<void(bool)> batch_;
  std::array<epoll_event, 256> events_{};
  bool more_ = false;
};

}  // namespace peerhub::net
