// One worker's STUN/TURN: its turn::Server and the sockets that feed it. Every worker has its own UDP socket,
// TCP listener and TLS listener on the TURN address (SO_REUSEPORT: the kernel hashes a client's 4-tuple to
// one of them), all in the worker's epoll set, so an allocation, its relay socket and its TCP connection live
// on one thread and nothing on the relay path takes a lock.
//
// Datagrams arrive up to 64 at a time (recvmmsg) into the worker's buffers and go to the core one by one;
// whatever the core sends is copied into the send queue and leaves at the end of the round, one sendmmsg per
// socket (udp_batch.hpp). TCP and TLS connections are TurnStreams (turn_stream.hpp).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <unordered_map>

#include <boost/asio/ssl/context.hpp>

#include "net/socket.hpp"
#include "net/turn_metrics.hpp"
#include "net/turn_relays.hpp"
#include "net/turn_stream.hpp"
#include "net/udp_batch.hpp"
#include "net/worker.hpp"
#include "turn/server.hpp"

namespace peerhub::net {

// What every worker's TURN side shares; set up once before the workers run.
struct TurnShared {
  turn::ServerConfig server;
  turn::SharedState state;
  ReservedPorts reserved;
  RelayPool::Settings relays;
  TurnStreamLimits streams;
  std::size_t max_streams_per_worker = 10000;
  boost::asio::ssl::context* tls = nullptr;
};

// This worker's bound listening sockets (-1: none) and the addresses they are bound to.
struct TurnSockets {
  int udp = -1;
  int tcp = -1;
  int tls = -1;
  stun::Address address;      // UDP and TCP
  stun::Address tls_address;  // TLS
  bool wildcard = false;      // bound to 0.0.0.0 or ::: the address a client reached comes per packet
};

class TurnWorker final : public WorkerMember,
                         public turn::Host,
                         private TurnStreamOwner,
                         public std::enable_shared_from_this<TurnWorker> {
 public:
  TurnWorker(Worker& worker, TurnShared& shared, const TurnSockets& sockets);
  ~TurnWorker() override;

  // Puts the sockets in the worker's epoll set (before the worker's thread runs).
  void start();
  TurnSnapshot snapshot() const { return published_.read(); }

  void flush() override;
  void on_tick(std::chrono::steady_clock::time_point now) override;
  void on_shutdown() override;

  void send_to_client(const turn::FiveTuple& to, std::span<const std::uint8_t> bytes,
                      turn::ToClient kind) override;
  void send_to_peer(turn::RelayId relay, const stun::Address& peer,
                    std::span<const std::uint8_t> bytes) override;
  std::optional<turn::Relay> open_relay(stun::Family family, const turn::PortRequest& request) override;
  void close_relay(turn::RelayId relay) override;
  void release_reserved_port(stun::Family family, std::uint16_t port) override;

 private:
  // A listening socket in the epoll set, calling back into this worker.
  struct Port final : Poller::Client {
    TurnWorker* owner = nullptr;
    void (TurnWorker::*ready)() = nullptr;
    void on_poll(std::uint32_t) override { (owner->*ready)(); }
  };
  struct StreamKey {
    stun::Address client;
    turn::Transport transport;
    bool operator==(const StreamKey&) const = default;
  };
  struct StreamKeyHash {
    std::size_t operator()(const StreamKey& key) const;
  };

  void udp_readable();
  void relay_readable(RelayPool::Socket& socket);
  void tcp_acceptable();
  void tls_accept();
  void add_stream(std::shared_ptr<TurnStream> stream);
  void stream_frame(TurnStream& stream, std::span<const std::uint8_t> frame) override;
  void stream_closed(TurnStream& stream) override;
  TurnStreamOwner& stream_owner() { return *this; }
  void close_listeners();
  void wants_flush();
  void publish();
  static turn::Now now();
  // The time of this round of the worker's events, read once: a round's datagrams arrived together, and two
  // clock reads per receive call were ~0.7 % of a relaying worker's CPU.
  turn::Now round_now();

  Worker& worker_;
  TurnShared& shared_;
  TurnSockets sockets_;
  UdpReceiver rx_;
  UdpSender tx_;
  RelayPool relays_;
  turn::Server server_;  // after relays_: destroyed first, while the relays it may close still exist
  std::unordered_map<StreamKey, std::shared_ptr<TurnStream>, StreamKeyHash> streams_;
  std::optional<TcpAcceptor> tls_acceptor_;
  Port udp_port_;
  Port tcp_port_;
  SteadyTimer backoff_;
  turn::TimePoint next_tick_{};
  bool flush_requested_ = false;
  std::optional<turn::Now> round_now_;
  TurnShellCounters counters_;
  PublishedTurnMetrics published_;
};

}  // namespace peerhub::net
