// A WebSocket connection after the HTTP upgrade: frames in through the ws parser, signaling messages to the
// router, frames out through one gathered write per worker round. The transport (plain TCP or TLS) is the
// derived class's; everything a WebSocket does is here, once.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "net/worker.hpp"
#include "ws/frame.hpp"

namespace peerhub::net {

class SignalingRouter;
struct NetMetrics;

struct WsLimits {
  std::size_t max_message = 64 * 1024;
  std::size_t send_queue_bytes = 1024 * 1024;
  std::chrono::seconds ping_interval{20};
  std::chrono::seconds idle_timeout{60};
};

struct WsServices {
  SignalingRouter& router;
  NetMetrics& metrics;
  WsLimits limits;
};

class WsConnection : public WorkerMember, public std::enable_shared_from_this<WsConnection> {
 public:
  WsConnection(Worker& worker, WsServices& services);
  ~WsConnection() override;

  Worker& worker() { return worker_; }

  // Registers with the router and the worker, parses bytes that came with the upgrade request, starts
  // reading.
  void start(std::string_view early_bytes);

  // Worker thread only. Queues a text message; close_code != 0 closes after it.
  void deliver(const std::string& text, std::uint16_t close_code);

  // Starts the closing handshake (RFC 6455 §7.1.2): a close frame, then wait for the peer's, then drop.
  void close(std::uint16_t code, std::string_view reason);

  void flush() override;
  void on_tick(std::chrono::steady_clock::time_point now) override;
  void on_shutdown() override;

 protected:
  // The transport's part.
  virtual void start_reading() = 0;
  // Write out_ from out_sent_; call wrote(n) as bytes leave and write_failed() on an error.
  virtual void start_writing() = 0;
  virtual void close_transport() = 0;

  void received(std::span<char> bytes);  // bytes read from the peer
  void read_ended();                     // EOF or a read error
  void wrote(std::size_t n);
  void write_failed();

  bool open() const { return state_ != State::dropped; }
  bool writing_ = false;
  std::string out_;           // encoded frames waiting to be written
  std::size_t out_sent_ = 0;  // how much of out_ has been written

 private:
  enum class State : std::uint8_t { open, closing, dropped };

  void on_event(const ws::Event& event);
  void queue_frame(ws::Opcode op, std::string_view payload);
  void leave_router();
  void drop();

  Worker& worker_;
  WsServices& services_;
  ws::Parser parser_;
  std::uint64_t id_ = 0;
  std::chrono::steady_clock::time_point last_heard_;
  std::chrono::steady_clock::time_point closing_since_;
  State state_ = State::open;
  bool registered_ = false;
  bool ping_sent_ = false;
  bool flush_requested_ = false;
  bool too_slow_ = false;            // the send queue overflowed: dropped at the next flush
  std::uint16_t pending_close_ = 0;  // the hub asked to close: done at the next flush
  bool close_after_flush_ = false;
};

}  // namespace peerhub::net
