#include "net/signaling_router.hpp"

#include <chrono>

#include <boost/asio/post.hpp>

#include "net/ws_connection.hpp"

namespace peerhub::net {

SignalingRouter::SignalingRouter(signaling::HubConfig config, std::size_t worker_count)
    : hub_(std::move(config)), worker_count_(worker_count) {}

signaling::Now SignalingRouter::now() {
  const auto unix = std::chrono::system_clock::now().time_since_epoch();
  return {std::chrono::steady_clock::now(), std::chrono::duration_cast<std::chrono::seconds>(unix).count()};
}

template <class Fn>
void SignalingRouter::with_hub(Fn&& fn) {
  // Deliveries for other workers are collected under the lock and posted after it, one batch per worker.
  thread_local std::vector<std::vector<Delivery>> remote;
  remote.resize(worker_count_);
  {
    std::lock_guard lock(mu_);
    fn();
    route_outbox(remote);
  }
  post_remote(remote);
}

std::uint64_t SignalingRouter::open(std::shared_ptr<WsConnection> connection) {
  std::uint64_t id = 0;
  with_hub([&] {
    id = next_id_++;
    connections_.emplace(id, std::move(connection));
    hub_.open(id, now());
  });
  return id;
}

void SignalingRouter::text(std::uint64_t id, std::string_view message) {
  with_hub([&] { hub_.text(id, message, now()); });
}

void SignalingRouter::binary(std::uint64_t id) {
  with_hub([&] { hub_.binary(id, now()); });
}

void SignalingRouter::oversized(std::uint64_t id, std::size_t limit) {
  with_hub([&] { hub_.oversized(id, limit, now()); });
}

void SignalingRouter::closed(std::uint64_t id) {
  std::shared_ptr<WsConnection> gone;  // released after the lock
  with_hub([&] {
    hub_.close(id, now());
    if (auto it = connections_.find(id); it != connections_.end()) {
      gone = std::move(it->second);
      connections_.erase(it);
    }
  });
}

void SignalingRouter::route_outbox(std::vector<std::vector<Delivery>>& remote) {
  auto& outbox = hub_.outbox();
  Worker* here = Worker::current();
  for (auto& out : outbox) {
    auto it = connections_.find(out.to);
    if (it == connections_.end()) continue;  // gone while the message was being made
    auto& connection = it->second;
    if (&connection->worker() == here) {
      connection->deliver(*out.text, out.close_code);
    } else {
      remote[connection->worker().index()].push_back({connection, std::move(out.text), out.close_code});
    }
  }
  outbox.clear();
}

void SignalingRouter::post_remote(std::vector<std::vector<Delivery>>& remote) {
  for (auto& batch : remote) {
    if (batch.empty()) continue;
    auto& worker = batch.front().to->worker();
    worker.post([batch = std::move(batch)] {
      for (const auto& d : batch)
        d.to->deliver(*d.text, d.close_code);
    });
    batch.clear();
  }
}

void SignalingRouter::release_all() {
  decltype(connections_) gone;
  {
    std::lock_guard lock(mu_);
    gone.swap(connections_);
  }
}

void SignalingRouter::append_prometheus(std::string& out) {
  signaling::Metrics copy;
  {
    std::lock_guard lock(mu_);
    copy = hub_.metrics();
  }
  signaling::append_prometheus(copy, out);
}

}  // namespace peerhub::net
