#include "net/turn_relays.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <random>
#include <utility>

#include <spdlog/spdlog.h>

#include "net/turn_sockaddr.hpp"

namespace peerhub::net {
namespace {

// A full range is not scanned to its end: past this many ports in use in a row, the Allocate gets 508 and
// the next one goes on from there.
constexpr std::uint32_t kMaxAttempts = 4096;

int bind_relay(stun::Address address, std::uint16_t port) {
  address.port = port;
  return bind_udp(address, SocketOptions{});
}

}  // namespace

ReservedPorts::~ReservedPorts() {
  for (const auto& h : held_)
    ::close(h.fd);
}

bool ReservedPorts::hold(stun::Family family, std::uint16_t port, int fd) {
  std::lock_guard lock(mutex_);
  if (held_.size() >= limit_) return false;
  held_.push_back({family, port, fd});
  return true;
}

int ReservedPorts::take(stun::Family family, std::uint16_t port) {
  std::lock_guard lock(mutex_);
  const auto it = std::find_if(held_.begin(), held_.end(),
                               [&](const Held& h) { return h.family == family && h.port == port; });
  if (it == held_.end()) return -1;
  const int fd = it->fd;
  *it = held_.back();
  held_.pop_back();
  return fd;
}

void ReservedPorts::release(stun::Family family, std::uint16_t port) {
  const int fd = take(family, port);
  if (fd >= 0) ::close(fd);
}

std::size_t ReservedPorts::size() const {
  std::lock_guard lock(mutex_);
  return held_.size();
}

RelayPool::RelayPool(Settings settings, ReservedPorts& reserved, Poller& poller, Readable on_readable)
    : settings_(settings), reserved_(reserved), poller_(poller), on_readable_(std::move(on_readable)) {
  // Each worker starts somewhere else in the range and walks on from the last port it took, so workers
  // rarely try each other's ports and a freed port is not handed out again at once.
  std::random_device random;
  cursor_ = random() % (static_cast<std::uint32_t>(settings_.port_max - settings_.port_min) + 1);
}

RelayPool::~RelayPool() {
  close_all();
}

std::uint16_t RelayPool::next_port() {
  const std::uint32_t size = static_cast<std::uint32_t>(settings_.port_max - settings_.port_min) + 1;
  const auto port = static_cast<std::uint16_t>(settings_.port_min + cursor_);
  cursor_ = (cursor_ + 1) % size;
  return port;
}

int RelayPool::bind_free_port(const stun::Address& base, const turn::PortRequest& request,
                              std::uint16_t& port) {
  const std::uint32_t size = static_cast<std::uint32_t>(settings_.port_max - settings_.port_min) + 1;
  for (std::uint32_t attempt = 0; attempt < std::min(size, kMaxAttempts); ++attempt) {
    const std::uint16_t candidate = next_port();
    // §7.2 step 4 / §18.7: EVEN-PORT asks for an even port; with R set, port + 1 must be free too.
    if (request.even && candidate % 2 != 0) continue;
    if (request.reserve_next && candidate == settings_.port_max) continue;
    const int fd = bind_relay(base, candidate);
    if (fd < 0) {
      if (errno == EADDRINUSE) continue;
      if (std::exchange(warned_, true)) return -1;  // once: an address that is not local stays so
      spdlog::warn("turn relay bind failed addr={} error=\"{}\"", stun::to_string(base),
                   std::generic_category().message(errno));
      return -1;
    }
    if (request.reserve_next) {
      const auto next = static_cast<std::uint16_t>(candidate + 1);
      const int held = bind_relay(base, next);
      if (held < 0) {
        ::close(fd);
        continue;
      }
      if (!reserved_.hold(base.family, next, held)) {
        ::close(held);
        ::close(fd);
        return -1;
      }
    }
    port = candidate;
    return fd;
  }
  return -1;
}

std::optional<turn::Relay> RelayPool::open(stun::Family family, const turn::PortRequest& request) {
  const auto& base = family == stun::Family::ipv4 ? settings_.ipv4 : settings_.ipv6;
  if (!base || (free_.empty() && sockets_.size() >= settings_.limit)) {
    ++exhausted_;
    return std::nullopt;
  }
  std::uint16_t port = 0;
  int fd = -1;
  if (request.reserved) {
    // §7.2 step 5: the port a RESERVATION-TOKEN held. Another worker may have reserved it; the socket moves.
    port = *request.reserved;
    fd = reserved_.take(family, port);
    if (fd < 0) fd = bind_relay(*base, port);
  } else {
    fd = bind_free_port(*base, request, port);
  }
  if (fd < 0) {
    ++exhausted_;
    return std::nullopt;
  }
  if (free_.empty()) {
    sockets_.push_back(std::make_unique<Socket>());
    sockets_.back()->id = static_cast<turn::RelayId>(sockets_.size());
    sockets_.back()->pool = this;
    free_.push_back(sockets_.back()->id);
  }
  Socket& socket = *sockets_[free_.back() - 1];
  free_.pop_back();
  socket.fd = fd;
  if (!poller_.add(fd, &socket)) {
    socket.fd = -1;
    ::close(fd);
    free_.push_back(socket.id);
    ++exhausted_;
    return std::nullopt;
  }
  ++open_;
  stun::Address address = *base;
  address.port = port;
  return turn::Relay{socket.id, address};
}

void RelayPool::close(turn::RelayId id) {
  if (fd(id) < 0) return;
  Socket& socket = *sockets_[id - 1];
  // Closing the only descriptor also leaves the epoll set. An event for it still waiting in this batch finds
  // fd == -1, or (the slot reused meanwhile) a socket with nothing to read: both are harmless.
  ::close(socket.fd);
  socket.fd = -1;
  free_.push_back(id);
  --open_;
}

void RelayPool::close_all() {
  for (auto& socket : sockets_) {
    if (socket->fd >= 0) close(socket->id);
  }
}

}  // namespace peerhub::net
