#include "net/peer_host.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/log.hpp"
#include "net/turn_client_stream.hpp"
#include "net/turn_sockaddr.hpp"

namespace peerhub::net {

namespace asio = boost::asio;

constexpr std::size_t kMaxBacklog = 8192;  // datagrams kept per socket (about 10 MB)

PeerHost::PeerHost(asio::io_context& io, peer::Configuration configuration, PeerHostOptions options)
    : io_(io),
      pc_(std::move(configuration), std::chrono::system_clock::now()),
      options_(std::move(options)),
      timer_(io) {
  sender_.keep_refused([this](int fd, const stun::Address& to, std::span<const std::uint8_t> bytes) {
    on_refused(fd, to, bytes);
  });
}

PeerHost::~PeerHost() {
  *alive_ = false;
  for (auto& s : sockets_) {
    if (s->watcher) s->watcher->release();
    if (s->fd >= 0) ::close(s->fd);
  }
}

TimePoint PeerHost::now() const {
  return Clock::now();
}

Result<void> PeerHost::start(OnEvent on_event) {
  on_event_ = std::move(on_event);
  const auto list = local_addresses(options_.interfaces);
  if (!list.error.empty()) return Error{list.error};
  if (list.addresses.empty()) {
    return Error{"no network address to use for ICE (the interface filter let none through)"};
  }
  std::string failures;
  for (const auto& local : list.addresses) {
    SocketOptions socket_options;
    socket_options.receive_buffer = options_.receive_buffer;
    const int fd = bind_udp(local.address, socket_options);
    if (fd < 0) {
      failures += " " + stun::ip_to_string(local.address) + ": " + std::strerror(errno) + ";";
      continue;
    }
    const int send_buffer = options_.send_buffer;
    (void)::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &send_buffer, sizeof send_buffer);
    auto socket = std::make_unique<Socket>();
    socket->id = static_cast<std::uint32_t>(sockets_.size() + 1);
    socket->fd = fd;
    socket->address = net::local_address(fd);
    socket->watcher = std::make_unique<asio::posix::stream_descriptor>(io_, fd);
    sockets_.push_back(std::move(socket));
  }
  if (sockets_.empty()) return Error{"cannot bind a UDP socket for ICE:" + failures};
  const auto t = now();
  for (auto& s : sockets_) {
    pc_.add_local_base(t, {s->id, s->address, ice::Transport::udp});
    wait_readable(*s);
  }
  flush();
  return {};
}

std::vector<stun::Address> PeerHost::bound() const {
  std::vector<stun::Address> out;
  for (const auto& s : sockets_)
    out.push_back(s->address);
  return out;
}

void PeerHost::wait_readable(Socket& socket) {
  socket.watcher->async_wait(asio::posix::stream_descriptor::wait_read,
                             [this, &socket, alive = alive_](const boost::system::error_code& ec) {
                               if (!*alive || ec || closed_) return;
                               read_all(socket);
                               wait_readable(socket);
                             });
}

// Everything the socket holds (up to a bound per wakeup, so a flood cannot starve the timer), read in batches
// (udp_batch.hpp), then one flush.
void PeerHost::read_all(Socket& socket) {
  const auto t = now();
  for (int batch = 0; batch < 4; ++batch) {
    const int n = receiver_.receive(socket.fd);
    // 0: nothing waits; -1: an ICMP error queued on the socket, or another error: nothing to read now.
    if (n <= 0) break;
    for (int i = 0; i < n; ++i) {
      if (receiver_.truncated(i)) continue;  // larger than any path MTU: not ICE, DTLS or TURN of ours
      pc_.handle_datagram(t, socket.id, receiver_.from(i), receiver_.data(i));
    }
    // Move what the batch produced along now: the PeerConnection's queues stay short.
    flush();
    if (static_cast<std::size_t>(n) < UdpReceiver::kBatch) break;
  }
  flush();
}

void PeerHost::flush() {
  if (flushing_ || closed_) return;
  flushing_ = true;
  for (int round = 0; round < 64; ++round) {
    bool moved = send_transmits();
    while (auto event = pc_.poll_event()) {
      moved = true;
      if (on_event_) on_event_(std::move(*event));
      if (closed_) break;
    }
    if (!moved || closed_) break;
  }
  flushing_ = false;
  arm_timer();
}

bool PeerHost::send_transmits() {
  bool moved = false;
  while (auto transmit = pc_.poll_transmit()) {
    moved = true;
    if (transmit->turn_stream) {
      send_turn_stream(std::move(*transmit));
      continue;
    }
    for (auto& s : sockets_) {
      if (s->id == transmit->base_id) {
        send_or_keep(*s, transmit->bytes, transmit->destination);
        break;
      }
    }
  }
  // One batch (sendmmsg, GSO) for what the round produced; what a full buffer refused is in the backlogs.
  sender_.flush();
  return moved;
}

void PeerHost::send_or_keep(Socket& socket, std::span<const std::uint8_t> bytes, const stun::Address& to) {
  // Behind a backlog a datagram waits its turn, so that one flow's datagrams leave in order.
  if (socket.backlog.empty()) return sender_.send(socket.fd, to, bytes);
  keep(socket, to, bytes);
}

void PeerHost::keep(Socket& socket, const stun::Address& to, std::span<const std::uint8_t> bytes) {
  if (socket.backlog.size() >= kMaxBacklog) return;  // past the bound: dropped, as a network would
  socket.backlog.emplace_back(to, std::vector<std::uint8_t>(bytes.begin(), bytes.end()));
  wait_writable(socket);
}

void PeerHost::on_refused(int fd, const stun::Address& to, std::span<const std::uint8_t> bytes) {
  for (auto& s : sockets_) {
    if (s->fd != fd) continue;
    if (s->sending_backlog) {
      s->refused.emplace_back(to, std::vector<std::uint8_t>(bytes.begin(), bytes.end()));
    } else {
      keep(*s, to, bytes);
    }
    return;
  }
}

void PeerHost::wait_writable(Socket& socket) {
  if (socket.waiting_writable) return;
  socket.waiting_writable = true;
  socket.watcher->async_wait(asio::posix::stream_descriptor::wait_write,
                             [this, &socket, alive = alive_](const boost::system::error_code& ec) {
                               if (!*alive) return;
                               socket.waiting_writable = false;
                               if (!ec && !closed_) send_backlog(socket);
                             });
}

// The backlog leaves a batch at a time; what the socket refuses again goes back to its front, in order.
void PeerHost::send_backlog(Socket& socket) {
  while (!socket.backlog.empty()) {
    socket.sending_backlog = true;
    std::vector<std::pair<stun::Address, std::vector<std::uint8_t>>> batch;
    while (!socket.backlog.empty() && batch.size() < UdpSender::kBatch) {
      batch.push_back(std::move(socket.backlog.front()));
      socket.backlog.pop_front();
    }
    for (const auto& [to, bytes] : batch)
      sender_.send(socket.fd, to, bytes);
    sender_.flush();
    socket.sending_backlog = false;
    if (!socket.refused.empty()) {
      socket.backlog.insert(socket.backlog.begin(), std::make_move_iterator(socket.refused.begin()),
                            std::make_move_iterator(socket.refused.end()));
      socket.refused.clear();
      return wait_writable(socket);
    }
  }
}

void PeerHost::arm_timer() {
  if (closed_) return;
  const auto next = pc_.next_timeout();
  if (!next) {
    armed_.reset();
    timer_.cancel();
    return;
  }
  if (armed_ && *armed_ == *next) return;
  armed_ = next;
  timer_.expires_at(*next);
  timer_.async_wait([this, alive = alive_](const boost::system::error_code& ec) {
    if (!*alive || ec || closed_) return;
    armed_.reset();
    pc_.handle_timeout(now());
    flush();
  });
}

void PeerHost::close() {
  if (closed_) return;
  pc_.close(now());
  // The close_notify, SCTP's ABORT and TURN's Refresh with lifetime 0 leave before the sockets close — also
  // when close() is called from an event handler, inside a flush() that would not start again.
  send_transmits();
  flush();  // and the events of the close, when not inside a flush already
  closed_ = true;
  timer_.cancel();
  for (auto& s : sockets_) {
    if (s->watcher) s->watcher->cancel();
  }
  for (auto& stream : turn_streams_) {
    if (stream) stream->close();
  }
}

}  // namespace peerhub::net
