// A worker: one thread, one io_context. A connection lives on exactly one worker for its whole life; other
// threads reach it only by posting to that worker.
#pragma once

#include <chrono>
#include <memory>
#include <span>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/intrusive/list.hpp>

#include "net/poller.hpp"
#include "net/socket.hpp"

namespace peerhub::net {

using WorkerListHook =
    boost::intrusive::list_base_hook<boost::intrusive::link_mode<boost::intrusive::auto_unlink>>;

// What a worker can do with a connection that lives on it. The hook lets the worker visit its connections
// (keep-alive sweep, shutdown) without a table of its own; it unlinks itself when the connection is
// destroyed.
class WorkerMember : public WorkerListHook {
 public:
  virtual ~WorkerMember() = default;
  virtual void flush() = 0;
  virtual void on_tick(std::chrono::steady_clock::time_point now) = 0;
  virtual void on_shutdown() = 0;
};

class Worker {
 public:
  explicit Worker(unsigned index);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  boost::asio::io_context& io() { return io_; }
  unsigned index() const { return index_; }
  // The worker whose thread is running, or nullptr on any other thread.
  static Worker* current();

  void start();  // starts the thread
  void stop();   // stops the io_context (from any thread); join() waits for the thread
  void join();

  // Runs `handler` on this worker's thread. The way to reach a worker from another thread: the worker waits
  // in its poller, not in Asio, so a plain asio::post from elsewhere would wait for its next round.
  template <class Handler>
  void post(Handler&& handler) {
    boost::asio::post(io_, std::forward<Handler>(handler));
    if (current() != this) poller_.wake();
  }

  // Read buffer shared by every plain connection of this worker: reads are readiness-driven, so an idle
  // connection holds no buffer of its own.
  std::span<char> rx_buffer() { return {rx_.data(), rx_.size()}; }

  // The epoll set of the sockets this worker reads itself (plain WebSocket, TURN), where its thread waits.
  Poller& poller() { return poller_; }

  // Keeps a member that is going away alive until the current batch of events is handled: events for it may
  // still be waiting in that batch.
  void retire(std::shared_ptr<WorkerMember> member) {
    if (in_batch_) retired_.push_back(std::move(member));
  }

  // Writes are gathered: a connection that queued bytes asks for a flush, and every connection that asked is
  // flushed once after the handlers that are ready now have run (one write per connection per round).
  void request_flush(std::shared_ptr<WorkerMember> member);

  void add(WorkerMember& member);
  // Asks every member to close (worker thread only).
  void shutdown_members();
  // Every `period` each member's on_tick runs (keep-alive pings, idle timeouts, closing deadlines).
  void start_ticks(std::chrono::milliseconds period);

 private:
  void flush_all();
  void batch(bool starting);
  void arm_timer();

  unsigned index_;
  boost::asio::io_context io_;
  std::thread thread_;
  std::vector<char> rx_;
  std::vector<std::shared_ptr<WorkerMember>> dirty_;
  std::vector<std::shared_ptr<WorkerMember>> flushing_;
  std::vector<std::shared_ptr<WorkerMember>> retired_;
  bool flush_posted_ = false;
  bool in_batch_ = false;
  boost::intrusive::list<WorkerMember, boost::intrusive::constant_time_size<false>> members_;
  SteadyTimer timer_;
  std::chrono::milliseconds period_{0};
  Poller poller_;
};

}  // namespace peerhub::net
