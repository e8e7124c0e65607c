// A worker's epoll set: the sockets the worker reads itself, and the worker's blocking point.
//
// Asio keeps a per-descriptor state and a pending operation for every socket it waits on (~300 bytes); an
// idle WebSocket needs neither. Here a connection is one epoll entry holding a pointer, and readiness arrives
// in batches: everything one epoll_wait reports is handled, then every connection that queued bytes is
// written once (the worker's after-batch step).
//
// The worker's thread blocks here, not in Asio: the set also holds the descriptor of Asio's own epoll set
// (asio_reactor.hpp), readable when a timer, a TLS socket or anything else Asio watches is ready, and an
// eventfd that other threads write to wake the worker (wake()). One round is one epoll_wait. Waiting the
// other way round (this set nested in Asio's) cost an EPOLL_CTL_MOD per round, since Asio re-arms a
// descriptor for every wait, and made the kernel poll every ready socket three times a round instead of once.
//
// The set is level-triggered: readiness a round leaves behind (a full event array, a client whose read budget
// ran out) is simply reported again by the next round.
#pragma once

#include <sys/epoll.h>

#include <array>
#include <cstdint>
#include <functional>

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

  // batch(true) runs before a round's events are handled, batch(false) after them. `reactor` is the
  // descriptor of Asio's epoll set, watched (not owned) so that its readiness ends a wait.
  Poller(int reactor, std::function<void(bool starting)> batch);
  ~Poller();
  Poller(const Poller&) = delete;
  Poller& operator=(const Poller&) = delete;

  // One round: waits until something in the set is ready and hands each event to its client. Returns after
  // the round, also when Asio's set or wake() ended the wait.
  void run();
  // Ends a wait of run() from any thread.
  void wake();

  // Returns false (errno set) when the kernel refuses the descriptor.
  bool add(int fd, Client* client);
  // Points the descriptor's entry at another client (a connection that changed hands) and sets what it waits
  // for: EPOLLIN, plus EPOLLOUT when `write`; `read` false pauses reading.
  void watch(int fd, Client* client, bool read, bool write);
  // Takes the descriptor out of the set (before it is handed to Asio).
  void remove(int fd);

 private:
  int epoll_;
  int wake_;  // eventfd
  std::function<void(bool)> batch_;
  std::array<epoll_event, 256> events_{};
};

}  // namespace peerhub::net
