// The native peer's TCP connection to one TURN server (RFC 8656 §3.1: TURN over TCP), for PeerHost: the ICE
// agent's TURN client writes whole STUN / ChannelData frames to it and gets whole frames back
// (stun::next_frame() cuts the byte stream). It is the client-side twin of net/turn_stream.hpp (the
// server's).
//
// Contract: constructing it starts a non-blocking connect (bounded by connect_timeout); send() queues frames
// (in order; the ones sent before the connection is up wait for it); every whole frame read goes to
// Handlers::frame, then Handlers::read_done once per read. The connection ends on a connect failure or
// timeout, EOF, a socket error, bytes that are no frame, or a peer that stops reading (below);
// Handlers::closed is then called once, always from the io_context (never from inside send() or close()),
// and never after close() or destruction.
//
// Bounds: the read buffer holds two of the largest frames (stun::kMaxFrameSize), so it always makes progress
// and never grows. The write queue is bounded in bytes: past Limits::data_queue_bytes, data (ChannelData and
// Send indications) is dropped as a congested UDP path would drop it — SCTP's congestion control backs off
// and retransmits — while TURN's own requests (Allocate, Refresh, CreatePermission, ChannelBind), which are
// never retransmitted over TCP, still go in up to Limits::queue_bytes. A server that lets even that fill up
// is not reading at all, and the connection is closed.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "net/socket.hpp"
#include "stun/address.hpp"

namespace peerhub::net {

class TurnClientStream {
 public:
  struct Limits {
    std::size_t data_queue_bytes = 512 * 1024;
    std::size_t queue_bytes = 576 * 1024;
    std::chrono::seconds connect_timeout{10};
  };
  struct Handlers {
    std::function<void(std::span<const std::uint8_t> frame)> frame;
    std::function<void()> read_done;
    std::function<void(const std::string& why)> closed;
  };

  TurnClientStream(boost::asio::io_context& io, const stun::Address& server, Handlers handlers,
                   Limits limits);
  TurnClientStream(boost::asio::io_context& io, const stun::Address& server, Handlers handlers)
      : TurnClientStream(io, server, std::move(handlers), Limits{}) {}
  ~TurnClientStream();
  TurnClientStream(const TurnClientStream&) = delete;
  TurnClientStream& operator=(const TurnClientStream&) = delete;

  // Queues `bytes` (whole frames). False when it was dropped: the connection is closed, or the queue is full.
  bool send(std::vector<std::uint8_t>&& bytes);
  // Writes what is queued if the socket takes it now (without waiting), then closes. No handler runs after.
  void close();
  bool closed() const { return closed_; }
  std::size_t queued_bytes() const { return queued_bytes_; }
  std::size_t dropped() const { return dropped_; }

 private:
  void connect(const stun::Address& server);
  void read();
  bool deliver_frames();  // false when the stream ended (a bad frame, or a handler closed it)
  void write();
  void shut();
  void fail(std::string why);

  boost::asio::io_context& io_;
  TcpSocket socket_;
  SteadyTimer connect_timer_;
  Handlers handlers_;
  Limits limits_;
  bool connected_ = false;
  bool writing_ = false;
  bool closed_ = false;
  bool silenced_ = false;  // close() was called: the owner is not told
  std::deque<std::vector<std::uint8_t>> queue_;
  std::size_t queued_bytes_ = 0;
  std::size_t dropped_ = 0;
  std::vector<std::uint8_t> buffer_;
  std::size_t buffered_ = 0;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace peerhub::net
