#include "net/turn_worker.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include <spdlog/spdlog.h>

#include "net/turn_sockaddr.hpp"

namespace peerhub::net {
namespace {

namespace asio = boost::asio;
using boost::system::error_code;

// recvmmsg rounds per readiness report before the worker's other sockets get their turn.
constexpr int kReceiveRounds = 4;
constexpr int kAcceptsPerWakeup = 64;

template <class Endpoint>
stun::Address endpoint_address(const Endpoint& endpoint) {
  sockaddr_storage storage{};
  std::memcpy(&storage, endpoint.data(), std::min<std::size_t>(endpoint.size(), sizeof storage));
  return net::to_stun(storage);
}

}  // namespace

std::size_t TurnWorker::StreamKeyHash::operator()(const StreamKey& key) const {
  std::uint64_t h = 1469598103934665603ULL;  // FNV-1a
  for (auto b : key.client.ip())
    h = (h ^ b) * 1099511628211ULL;
  h = (h ^ key.client.port) * 1099511628211ULL;
  return static_cast<std::size_t>((h ^ static_cast<std::uint8_t>(key.transport)) * 1099511628211ULL);
}

TurnWorker::TurnWorker(Worker& worker, TurnShared& shared, const TurnSockets& sockets)
    : worker_(worker),
      shared_(shared),
      sockets_(sockets),
      relays_(shared.relays, shared.reserved, worker.poller(),
              [this](RelayPool::Socket& socket) { relay_readable(socket); }),
      server_(shared.server, *this, shared.state),
      backoff_(worker.io().get_executor()) {
  worker_.add(*this);
  udp_port_.owner = this;
  udp_port_.ready = &TurnWorker::udp_readable;
  tcp_port_.owner = this;
  tcp_port_.ready = &TurnWorker::tcp_acceptable;
}

TurnWorker::~TurnWorker() {
  close_listeners();
  streams_.clear();
}

void TurnWorker::start() {
  auto& poller = worker_.poller();
  if (sockets_.udp >= 0 && !poller.add(sockets_.udp, &udp_port_)) {
    throw std::system_error(errno, std::generic_category(), "epoll_ctl (TURN UDP)");
  }
  if (sockets_.tcp >= 0 && !poller.add(sockets_.tcp, &tcp_port_)) {
    throw std::system_error(errno, std::generic_category(), "epoll_ctl (TURN TCP)");
  }
  if (sockets_.tls >= 0 && shared_.tls != nullptr) {
    tls_acceptor_.emplace(worker_.io().get_executor());
    const auto protocol =
        sockets_.tls_address.family == stun::Family::ipv4 ? asio::ip::tcp::v4() : asio::ip::tcp::v6();
    tls_acceptor_->assign(protocol, sockets_.tls);
    sockets_.tls = -1;  // the acceptor owns it now
    tls_accept();
  }
  next_tick_ = now().steady;
}

turn::Now TurnWorker::round_now() {
  if (!round_now_) {
    round_now_ = now();
    wants_flush();  // flush() ends the round and forgets the time
  }
  return *round_now_;
}

turn::Now TurnWorker::now() {
  const auto unix_s =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  return {std::chrono::steady_clock::now(), static_cast<std::int64_t>(unix_s)};
}

void TurnWorker::udp_readable() {
  for (int round = 0; round < kReceiveRounds; ++round) {
    if (sockets_.udp < 0) return;
    const int n = rx_.receive(sockets_.udp);
    if (n <= 0) return;
    const auto t = round_now();
    turn::FiveTuple tuple{{}, sockets_.address, turn::Transport::udp};
    for (int i = 0; i < n; ++i) {
      if (rx_.truncated(i)) {
        ++counters_.udp_truncated;
        continue;
      }
      tuple.client = rx_.from(i);
      if (sockets_.wildcard) {
        if (const auto to = rx_.to(i, sockets_.address.port)) tuple.server = *to;
      }
      server_.on_client_data(tuple, rx_.data(i), t);
    }
    wants_flush();
    if (static_cast<std::size_t>(n) < UdpReceiver::kBatch) return;
  }
}

void TurnWorker::relay_readable(RelayPool::Socket& socket) {
  const int fd = socket.fd;
  for (int round = 0; round < kReceiveRounds; ++round) {
    const int n = rx_.receive(fd);
    if (n <= 0) return;
    const auto t = round_now();
    for (int i = 0; i < n; ++i) {
      if (socket.fd != fd) break;  // the core closed this relay meanwhile: the rest is for nobody
      if (rx_.truncated(i)) {
        ++counters_.udp_truncated;
        continue;
      }
      server_.on_peer_data(socket.id, rx_.from(i), rx_.data(i), t);
    }
    wants_flush();
    if (socket.fd != fd || static_cast<std::size_t>(n) < UdpReceiver::kBatch) return;
  }
}

void TurnWorker::tcp_acceptable() {
  for (int i = 0; i < kAcceptsPerWakeup && sockets_.tcp >= 0; ++i) {
    sockaddr_storage peer{};
    socklen_t length = sizeof peer;
    const int fd =
        ::accept4(sockets_.tcp, reinterpret_cast<sockaddr*>(&peer), &length, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return;
      // Out of descriptors or memory: stop accepting for a moment instead of spinning on the same error.
      spdlog::warn("turn accept failed error=\"{}\"", std::generic_category().message(errno));
      worker_.poller().watch(sockets_.tcp, &tcp_port_, false, false);
      backoff_.expires_after(std::chrono::milliseconds(100));
      backoff_.async_wait([this](const error_code& ec) {
        if (!ec && sockets_.tcp >= 0) worker_.poller().watch(sockets_.tcp, &tcp_port_, true, false);
      });
      return;
    }
    ++counters_.streams_accepted;
    if (streams_.size() >= shared_.max_streams_per_worker) {
      ++counters_.streams_refused;
      ::close(fd);
      continue;
    }
    const turn::FiveTuple tuple{to_stun(peer), sockets_.wildcard ? local_address(fd) : sockets_.address,
                                turn::Transport::tcp};
    add_stream(std::make_shared<PlainTurnStream>(fd, worker_, stream_owner(), tuple, shared_.streams));
  }
}

void TurnWorker::tls_accept() {
  tls_acceptor_->async_accept([this](const error_code& ec, TcpSocket socket) {
    if (ec == asio::error::operation_aborted || !tls_acceptor_ || !tls_acceptor_->is_open()) return;
    if (ec) {
      spdlog::warn("turn tls accept failed error=\"{}\"", ec.message());
      backoff_.expires_after(std::chrono::milliseconds(100));
      backoff_.async_wait([this](const error_code& wait_ec) {
        if (!wait_ec) tls_accept();
      });
      return;
    }
    ++counters_.streams_accepted;
    if (streams_.size() >= shared_.max_streams_per_worker) {
      ++counters_.streams_refused;
      error_code ignored;
      socket.close(ignored);
    } else {
      error_code remote_ec;
      error_code local_ec;
      const auto remote = socket.remote_endpoint(remote_ec);
      const auto local = socket.local_endpoint(local_ec);
      if (!remote_ec && !local_ec) {
        const turn::FiveTuple tuple{endpoint_address(remote),
                                    sockets_.wildcard ? endpoint_address(local) : sockets_.tls_address,
                                    turn::Transport::tls};
        add_stream(std::make_shared<TlsTurnStream>(TlsTurnStream::Stream(std::move(socket), *shared_.tls),
                                                   worker_, stream_owner(), tuple, shared_.streams));
      }
    }
    tls_accept();
  });
}

void TurnWorker::add_stream(std::shared_ptr<TurnStream> stream) {
  const StreamKey key{stream->tuple().client, stream->tuple().transport};
  auto [it, added] = streams_.emplace(key, std::move(stream));
  if (!added) return;  // the same client address twice cannot be: the kernel just gave it to us
  it->second->start();
}

void TurnWorker::stream_frame(TurnStream& stream, std::span<const std::uint8_t> frame) {
  server_.on_client_data(stream.tuple(), frame, now());
  wants_flush();
}

void TurnWorker::stream_closed(TurnStream& stream) {
  ++counters_.stream_ends[static_cast<std::size_t>(stream.end_reason())];
  const turn::FiveTuple tuple = stream.tuple();
  streams_.erase(StreamKey{tuple.client, tuple.transport});
  // §3.1 / §7: an allocation made over TCP or TLS ends with its connection.
  server_.on_connection_closed(tuple, now());
  wants_flush();
}

void TurnWorker::send_to_client(const turn::FiveTuple& to, std::span<const std::uint8_t> bytes,
                                turn::ToClient kind) {
  if (to.transport == turn::Transport::udp) {
    if (sockets_.udp < 0) return;
    tx_.send(sockets_.udp, to.client, bytes, sockets_.wildcard ? &to.server : nullptr);
    wants_flush();
    return;
  }
  const auto it = streams_.find(StreamKey{to.client, to.transport});
  if (it == streams_.end()) return;  // gone: the core hears of it through stream_closed
  if (!it->second->send(bytes, kind == turn::ToClient::relayed)) ++counters_.stream_data_dropped;
}

void TurnWorker::send_to_peer(turn::RelayId relay, const stun::Address& peer,
                              std::span<const std::uint8_t> bytes) {
  const int fd = relays_.fd(relay);
  if (fd < 0) return;
  tx_.send(fd, peer, bytes);
  wants_flush();
}

std::optional<turn::Relay> TurnWorker::open_relay(stun::Family family, const turn::PortRequest& request) {
  return relays_.open(family, request);
}

void TurnWorker::close_relay(turn::RelayId relay) {
  tx_.flush();  // what is queued for this socket leaves before it closes (and before its descriptor is
                // reused)
  relays_.close(relay);
}

void TurnWorker::release_reserved_port(stun::Family family, std::uint16_t port) {
  shared_.reserved.release(family, port);
}

void TurnWorker::wants_flush() {
  if (flush_requested_) return;
  flush_requested_ = true;
  worker_.request_flush(shared_from_this());
}

void TurnWorker::flush() {
  flush_requested_ = false;
  round_now_.reset();
  tx_.flush();
  publish();
}

void TurnWorker::publish() {
  counters_.udp_send_failed = tx_.failed();
  counters_.udp_gso_datagrams = tx_.coalesced();
  counters_.relays_open = relays_.open_count();
  counters_.relays_refused = relays_.exhausted();
  counters_.streams_open = streams_.size();
  published_.publish(server_.metrics(), counters_);
}

void TurnWorker::on_tick(std::chrono::steady_clock::time_point steady) {
  if (steady >= next_tick_) {
    auto t = now();
    t.steady = steady;
    next_tick_ = server_.on_tick(t);
  }
  tx_.flush();
  publish();
}

void TurnWorker::close_listeners() {
  if (sockets_.udp >= 0) ::close(sockets_.udp);  // closing also leaves the epoll set
  if (sockets_.tcp >= 0) ::close(sockets_.tcp);
  if (sockets_.tls >= 0) ::close(sockets_.tls);
  sockets_.udp = sockets_.tcp = sockets_.tls = -1;
  backoff_.cancel();
  if (tls_acceptor_) {
    error_code ignored;
    tls_acceptor_->close(ignored);
  }
}

void TurnWorker::on_shutdown() {
  close_listeners();
  tx_.flush();
  relays_.close_all();  // TCP and TLS connections are members of the worker too and close themselves
  publish();
}

}  // namespace peerhub::net
