// The shell that runs one PeerConnection on real sockets: a UDP socket per local address (the ICE bases), the
// steady clock, and one timer, on the caller's io_context (one thread). The PeerConnection stays sans-IO;
// this is the only place its packets touch the network.
//
// TURN servers over TCP get one TCP connection each (net/turn_client_stream.hpp), opened on first use.
//
// Use: make a PeerHost, start() it (binds the sockets and announces them), call pc() for signaling and data
// channels, then flush() after every such call so that what the call produced is sent and its events
// delivered. Datagrams and timers flush by themselves. Events go to the callback given to start().
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "common/result.hpp"
#include "net/interfaces.hpp"
#include "net/udp_batch.hpp"
#include "peer/peer_connection.hpp"

namespace peerhub::net {

class TurnClientStream;

struct PeerHostOptions {
  InterfaceFilter interfaces;
  int receive_buffer = 4 << 20;  // SO_RCVBUF asked for each socket (a window of SCTP in flight)
  int send_buffer = 4 << 20;
};

class PeerHost {
 public:
  using OnEvent = std::function<void(peer::Event&&)>;

  PeerHost(boost::asio::io_context& io, peer::Configuration configuration, PeerHostOptions options);
  ~PeerHost();
  PeerHost(const PeerHost&) = delete;
  PeerHost& operator=(const PeerHost&) = delete;

  // Binds a UDP socket on each address the filter lets through. Errors: no address, or none could be bound.
  Result<void> start(OnEvent on_event);
  peer::PeerConnection& pc() { return pc_; }
  void flush();
  TimePoint now() const;
  // The addresses bound, for the log ("listening on 127.0.0.1:50123").
  std::vector<stun::Address> bound() const;
  void close();

 private:
  struct Socket {
    std::uint32_t id = 0;
    int fd = -1;
    stun::Address address;
    std::unique_ptr<boost::asio::posix::stream_descriptor> watcher;
    // Datagrams the kernel's send buffer had no room for: sent when the socket is writable again, in order. A
    // full buffer is this host's own queue, not the network: dropping there would make SCTP halve its window
    // and could starve ICE's consent answers during a big transfer.
    std::deque<std::pair<stun::Address, std::vector<std::uint8_t>>> backlog;
    bool waiting_writable = false;
    // While the backlog is being sent: what the socket refused again, to go back to the backlog's front.
    bool sending_backlog = false;
    std::vector<std::pair<stun::Address, std::vector<std::uint8_t>>> refused;
  };
  void wait_readable(Socket& socket);
  // Queues for the next batch, or keeps (bounded) behind a backlog.
  void send_or_keep(Socket& socket, std::span<const std::uint8_t> bytes, const stun::Address& to);
  void keep(Socket& socket, const stun::Address& to, std::span<const std::uint8_t> bytes);
  // UdpSender's hook: a datagram the socket's full buffer refused.
  void on_refused(int fd, const stun::Address& to, std::span<const std::uint8_t> bytes);
  void send_backlog(Socket& socket);
  void wait_writable(Socket& socket);
  void read_all(Socket& socket);
  void arm_timer();
  // Sends every datagram and stream frame the PeerConnection has ready; false when there was none.
  bool send_transmits();
  // turn_client_stream.hpp: a Transmit for a TURN server over TCP, on that server's connection.
  void send_turn_stream(ice::Transmit&& transmit);

  boost::asio::io_context& io_;
  peer::PeerConnection pc_;
  PeerHostOptions options_;
  OnEvent on_event_;
  std::vector<std::unique_ptr<Socket>> sockets_;
  // By Configuration::turn_servers index, opened on first use; a closed one stays (closed) and is not
  // reopened.
  std::vector<std::unique_ptr<TurnClientStream>> turn_streams_;
  boost::asio::steady_timer timer_;
  std::optional<TimePoint> armed_;
  UdpReceiver receiver_;
  UdpSender sender_;
  bool flushing_ = false;
  bool closed_ = false;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace peerhub::net
