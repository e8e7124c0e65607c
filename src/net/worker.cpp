#include "net/worker.hpp"

#include <boost/asio/post.hpp>

#include "net/asio_reactor.hpp"

namespace peerhub::net {
namespace {
thread_local Worker* tls_current = nullptr;
constexpr std::size_t kRxBufferBytes = 64 * 1024;
}  // namespace

Worker::Worker(unsigned index)
    : index_(index),
      io_(1),
      rx_(kRxBufferBytes),
      timer_(io_.get_executor()),
      poller_(reactor_descriptor(io_), [this](bool starting) { batch(starting); }) {}

Worker::~Worker() {
  stop();
  join();
  members_.clear();  // connections still alive elsewhere must not unlink from a list that is gone
}

Worker* Worker::current() {
  return tls_current;
}

void Worker::start() {
  thread_ = std::thread([this] {
    tls_current = this;
    auto guard = boost::asio::make_work_guard(io_);
    // A round: what Asio has ready (handlers posted meanwhile, timers, TLS sockets; its own epoll set is
    // looked at without blocking), then one wait in the poller, which also ends when Asio's set becomes
    // ready.
    while (!io_.stopped()) {
      io_.poll();
      if (io_.stopped()) break;
      poller_.run();
    }
    tls_current = nullptr;
  });
}

void Worker::stop() {
  io_.stop();
  poller_.wake();
}

void Worker::join() {
  if (thread_.joinable()) thread_.join();
}

void Worker::request_flush(std::shared_ptr<WorkerMember> member) {
  dirty_.push_back(std::move(member));
  // Inside a poll batch the batch's end flushes. Elsewhere a posted flush runs after the completions that are
  // already queued, so what they produce goes out in one write per connection too.
  if (in_batch_ || flush_posted_) return;
  flush_posted_ = true;
  boost::asio::post(io_, [this] {
    flush_posted_ = false;
    flush_all();
  });
}

void Worker::batch(bool starting) {
  in_batch_ = starting;
  if (starting) return;
  flush_all();
  retired_.clear();
}

void Worker::flush_all() {
  flushing_.swap(dirty_);
  for (auto& member : flushing_)
    member->flush();
  flushing_.clear();
}

void Worker::add(WorkerMember& member) {
  members_.push_back(member);
}

void Worker::shutdown_members() {
  // on_shutdown may unlink the member (and others), so walk a snapshot of the list.
  std::vector<WorkerMember*> snapshot;
  for (auto& m : members_)
    snapshot.push_back(&m);
  for (auto* m : snapshot)
    m->on_shutdown();
}

void Worker::start_ticks(std::chrono::milliseconds period) {
  period_ = period;
  arm_timer();
}

void Worker::arm_timer() {
  timer_.expires_after(period_);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    const auto now = std::chrono::steady_clock::now();
    std::vector<WorkerMember*> snapshot;
    for (auto& m : members_)
      snapshot.push_back(&m);
    for (auto* m : snapshot)
      m->on_tick(now);
    arm_timer();
  });
}

}  // namespace peerhub::net
