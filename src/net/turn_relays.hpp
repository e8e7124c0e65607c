// The relay sockets of one worker's TURN allocations (RFC 8656 §7.2 step 9: "the server allocates a relayed
// transport address"), and the ports EVEN-PORT's R bit holds for a later Allocate (§7.2, §18.7), which any
// worker may claim or release.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "net/poller.hpp"
#include "stun/address.hpp"
#include "turn/server.hpp"

namespace peerhub::net {

// Sockets bound to reserved ports, server-wide: a RESERVATION-TOKEN may come back on another worker (its
// 5-tuple differs, so SO_REUSEPORT may hash it elsewhere). Touched by Allocate requests only.
class ReservedPorts {
 public:
  explicit ReservedPorts(std::size_t limit) : limit_(limit) {}
  ~ReservedPorts();
  ReservedPorts(const ReservedPorts&) = delete;
  ReservedPorts& operator=(const ReservedPorts&) = delete;

  // Holds the bound socket `fd` for (family, port); false when `limit` are held already (fd not taken).
  bool hold(stun::Family family, std::uint16_t port, int fd);
  // The held socket, now the caller's; -1 when none is held for (family, port).
  int take(stun::Family family, std::uint16_t port);
  void release(stun::Family family, std::uint16_t port);  // closes it
  std::size_t size() const;

 private:
  struct Held {
    stun::Family family;
    std::uint16_t port;
    int fd;
  };
  mutable std::mutex mutex_;
  std::vector<Held> held_;
  std::size_t limit_;
};

class RelayPool {
 public:
  struct Socket final : Poller::Client {
    int fd = -1;
    turn::RelayId id = 0;
    RelayPool* pool = nullptr;
    void on_poll(std::uint32_t) override {
      if (fd >= 0) pool->on_readable_(*this);
    }
  };
  using Readable = std::function<void(Socket&)>;

  struct Settings {
    std::optional<stun::Address> ipv4;  // the relay address of each family (port ignored); none: not served
    std::optional<stun::Address> ipv6;
    std::uint16_t port_min = 49152;
    std::uint16_t port_max = 65535;
    std::size_t limit = 10000;  // relay sockets of this worker
  };

  RelayPool(Settings settings, ReservedPorts& reserved, Poller& poller, Readable on_readable);
  ~RelayPool();
  RelayPool(const RelayPool&) = delete;
  RelayPool& operator=(const RelayPool&) = delete;

  std::optional<turn::Relay> open(stun::Family family, const turn::PortRequest& request);
  void close(turn::RelayId id);
  void close_all();
  // The socket of a live relay, or -1.
  int fd(turn::RelayId id) const { return id >= 1 && id <= sockets_.size() ? sockets_[id - 1]->fd : -1; }
  std::size_t open_count() const { return open_; }
  std::uint64_t exhausted() const { return exhausted_; }  // opens refused: no free port or at the limit

 private:
  int bind_free_port(const stun::Address& base, const turn::PortRequest& request, std::uint16_t& port);
  std::uint16_t next_port();

  Settings settings_;
  ReservedPorts& reserved_;
  Poller& poller_;
  Readable on_readable_;
  std::vector<std::unique_ptr<Socket>> sockets_;  // id - 1; stable addresses, the epoll entries point here
  std::vector<turn::RelayId> free_;
  std::uint32_t cursor_ = 0;  // the next port to try, as an offset into the range
  std::size_t open_ = 0;
  std::uint64_t exhausted_ = 0;
  bool warned_ = false;
};

}  // namespace peerhub::net
