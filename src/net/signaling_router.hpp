// The signaling hub shared by every worker. The hub's directory (names, rooms, calls) is one table, guarded
// by one mutex held only while the sans-IO core handles a message; what it sends is handed to each receiving
// connection on its own worker: directly when that is the calling thread, by a posted batch otherwise.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "signaling/hub.hpp"

namespace peerhub::net {

class WsConnection;
class Worker;

class SignalingRouter {
 public:
  SignalingRouter(signaling::HubConfig config, std::size_t worker_count);

  // Every call here comes from the connection's own worker thread.
  std::uint64_t open(std::shared_ptr<WsConnection> connection);
  void text(std::uint64_t id, std::string_view message);
  void binary(std::uint64_t id);
  void oversized(std::uint64_t id, std::size_t limit);
  void closed(std::uint64_t id);

  void append_prometheus(std::string& out);

  // After the workers have stopped: lets go of every connection while their io_contexts still exist.
  void release_all();

 private:
  struct Delivery {
    std::shared_ptr<WsConnection> to;
    std::shared_ptr<const std::string> text;
    std::uint16_t close_code;
  };

  static signaling::Now now();
  // Called with mu_ held: hands the hub's outbox to the connections.
  void route_outbox(std::vector<std::vector<Delivery>>& remote);
  void post_remote(std::vector<std::vector<Delivery>>& remote);

  template <class Fn>
  void with_hub(Fn&& fn);

  std::mutex mu_;
  signaling::Hub hub_;
  std::unordered_map<std::uint64_t, std::shared_ptr<WsConnection>> connections_;
  std::uint64_t next_id_ = 1;
  std::size_t worker_count_;
};

}  // namespace peerhub::net
