// A TURN client's TCP or TLS connection (RFC 8656 §3.1, §12.5): STUN messages and ChannelData frames follow
// each other on the stream; the core's framer (turn::next_stream_frame: stun/framing.hpp with the channel
// numbers the core takes) cuts them and each whole frame goes to the TURN core. What the core sends back is
// queued and written once per worker round. Both directions are bounded: a frame is never over
// stun::kMaxFrameSize, bytes that are no frame close the connection, relayed data past the send queue limit
// is dropped (see send()), and a client that stops reading altogether is disconnected rather than buffered
// without end.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "net/plain_transport.hpp"
#include "net/socket.hpp"
#include "net/tls_transport.hpp"
#include "net/worker.hpp"
#include "turn/server.hpp"

namespace peerhub::net {

class TurnStream;

// What a stream reports to its worker's TURN side.
class TurnStreamOwner {
 public:
  virtual void stream_frame(TurnStream& stream, std::span<const std::uint8_t> frame) = 0;
  virtual void stream_closed(TurnStream& stream) = 0;  // once, whoever ended it

 protected:
  ~TurnStreamOwner() = default;
};

struct TurnStreamLimits {
  std::size_t send_queue_bytes = 256 * 1024;
  // Allocations live at most an hour between refreshes (§7.2); a connection silent for longer holds none.
  std::chrono::seconds idle_timeout{3600 + 60};
  std::chrono::seconds handshake_timeout{10};  // TLS
  bool rfc5766_channels = true;                // frames channel numbers as the core takes them (ServerConfig)
};

enum class StreamEnd : std::uint8_t { closed, idle, slow, bad_frame, shutdown };

class TurnStream : public WorkerMember, public std::enable_shared_from_this<TurnStream> {
 public:
  TurnStream(Worker& worker, TurnStreamOwner& owner, const turn::FiveTuple& tuple,
             const TurnStreamLimits& limits);
  ~TurnStream() override = default;

  const turn::FiveTuple& tuple() const { return tuple_; }
  Worker& worker() { return worker_; }
  bool open() const { return !dropped_; }
  StreamEnd end_reason() const { return end_; }

  void start() { start_reading(); }
  // Queues bytes for the client, written at the end of the worker's round. Relayed data (`droppable`) that
  // finds the queue at its limit is dropped, as a UDP path would lose it under congestion (returns false):
  // the connection and its allocation stay. An answer is never dropped; a client that lets answers pile up
  // past twice the limit does not read at all and is disconnected.
  bool send(std::span<const std::uint8_t> bytes, bool droppable);

  void flush() override;
  void on_tick(std::chrono::steady_clock::time_point now) override;
  void on_shutdown() override { drop(StreamEnd::shutdown); }

 protected:
  virtual void start_reading() = 0;
  // Write out_ from out_sent_; call wrote(n) as bytes leave and drop(closed) on an error.
  virtual void start_writing() = 0;
  virtual void close_transport() = 0;
  virtual bool handshaking() const { return false; }

  void received(std::span<const std::uint8_t> bytes);
  // The size of the first queued frame (out_ holds whole frames only).
  std::size_t first_queued_frame() const;
  void wrote(std::size_t n);
  void drop(StreamEnd why);

  std::vector<std::uint8_t> out_;
  std::size_t out_sent_ = 0;
  bool writing_ = false;

 private:
  std::size_t consume(std::span<const std::uint8_t> bytes);

  Worker& worker_;
  TurnStreamOwner& owner_;
  turn::FiveTuple tuple_;
  const TurnStreamLimits& limits_;
  std::vector<std::uint8_t> pending_;  // the start of a frame whose rest has not arrived
  std::chrono::steady_clock::time_point last_heard_;
  std::chrono::steady_clock::time_point born_;
  bool dropped_ = false;
  bool flush_requested_ = false;
  bool too_slow_ = false;
  StreamEnd end_ = StreamEnd::closed;
};

// Plain TCP: a bare descriptor in the worker's epoll set, read into the worker's shared buffer.
class PlainTurnStream final : public TurnStream, private Poller::Client {
 public:
  PlainTurnStream(int fd, Worker& worker, TurnStreamOwner& owner, const turn::FiveTuple& tuple,
                  const TurnStreamLimits& limits);
  ~PlainTurnStream() override;

 private:
  template <typename Owner>
  friend void write_queued_plain(Owner& self);

  void start_reading() override;
  void start_writing() override;
  void write_failed() { drop(StreamEnd::closed); }
  void close_transport() override;
  void on_poll(std::uint32_t events) override;

  int fd_ = -1;
};

// TLS ("turns:", §3.1): an Asio SSL stream, as the TLS WebSocket path uses.
class TlsTurnStream final : public TurnStream {
 public:
  using Stream = TlsStream;
  TlsTurnStream(Stream stream, Worker& worker, TurnStreamOwner& owner, const turn::FiveTuple& tuple,
                const TurnStreamLimits& limits);

 private:
  template <typename Owner>
  friend void write_queued_tls(const std::shared_ptr<Owner>& self, std::size_t bytes);

  void start_reading() override;
  void read_more();
  void start_writing() override;
  void write_failed() { drop(StreamEnd::closed); }
  void close_transport() override;
  bool handshaking() const override { return handshaking_; }
  std::shared_ptr<TlsTurnStream> self() {
    return std::static_pointer_cast<TlsTurnStream>(shared_from_this());
  }

  Stream stream_;
  std::unique_ptr<std::uint8_t[]> rx_;
  std::vector<std::uint8_t> in_flight_;
  bool handshaking_ = true;
};

}  // namespace peerhub::net
