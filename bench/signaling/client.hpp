// A minimal epoll WebSocket client for load generation: many connections on one thread, non-blocking sockets,
// writes batched per connection and flushed once per loop turn. Framing is peerhub's own codec
// (src/ws/frame.hpp) in Role::client, so the bench also exercises masked client frames.
//
// The owner drives it: connect() opens connections, poll() waits for and handles I/O once, and the Handler
// callbacks see each connection open (upgrade done), each text message, and each close.
#pragma once

#include <netinet/in.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ws/frame.hpp"

namespace peerhub::bench {

using Clock = std::chrono::steady_clock;

inline std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
}

struct Target {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  std::string path = "/ws";
  int sources = 1;  // spread connections over 127.0.0.1 .. 127.0.0.<sources> when ports run short
};

// "ws://127.0.0.1:8080/ws" -> Target. Throws std::invalid_argument.
Target parse_url(std::string_view url);

struct Conn {
  enum class State : std::uint8_t { connecting, upgrading, open, closed };
  int fd = -1;
  std::uint32_t id = 0;
  State state = State::connecting;
  bool want_write = false;  // EPOLLOUT armed
  bool dirty = false;       // queued in the flush list
  std::uint32_t user = 0;   // free for the mode's bookkeeping
  std::string key;          // Sec-WebSocket-Key while upgrading
  std::string in;           // handshake bytes until the 101 is complete
  std::string out;          // bytes not yet written
  std::size_t out_off = 0;
  ws::Parser parser{ws::Role::client, 16 * 1024 * 1024};
};

class Handler {
 public:
  virtual ~Handler() = default;
  virtual void on_open(Conn& c) = 0;
  virtual void on_text(Conn& c, std::string_view text) = 0;
  virtual void on_close(Conn& c, std::string_view why) = 0;
};

class Client {
 public:
  Client(Target target, Handler& handler);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Starts a non-blocking connect + upgrade; returns the connection (state connecting) or nullptr when the
  // socket could not even be created (e.g. out of file descriptors).
  Conn* connect();
  // Queues one masked text frame; written at the end of this poll() turn (or now with flush()).
  void send_text(Conn& c, std::string_view text);
  // Waits up to timeout_ms for I/O, handles all of it, then writes everything queued.
  void poll(int timeout_ms);
  void flush();
  // Closes with RST (SO_LINGER 0), so thousands of bench connections leave no TIME_WAIT behind.
  void abort(Conn& c);
  void abort_all();

  std::size_t open_count() const { return open_; }
  std::size_t live_count() const { return live_; }
  std::uint64_t frames_received() const { return frames_in_; }

 private:
  void on_readable(Conn& c);
  void on_writable(Conn& c);
  void handle_handshake(Conn& c);
  void handle_frames(Conn& c, char* data, std::size_t n);
  void write_out(Conn& c);
  void mark_dirty(Conn& c);
  void update_events(Conn& c, bool want_write);
  void drop(Conn& c, std::string_view why);

  Target target_;
  Handler& handler_;
  int epoll_ = -1;
  std::vector<sockaddr_in> sources_;
  std::vector<std::unique_ptr<Conn>> conns_;
  std::vector<Conn*> dirty_;
  std::vector<char> read_buf_;
  std::uint32_t rng_ = 0x9e3779b9U;
  std::size_t open_ = 0;
  std::size_t live_ = 0;
  std::uint64_t frames_in_ = 0;
};

}  // namespace peerhub::bench
