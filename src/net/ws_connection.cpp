#include "net/ws_connection.hpp"

#include "net/net_metrics.hpp"
#include "net/signaling_router.hpp"

namespace peerhub::net {

WsConnection::WsConnection(Worker& worker, WsServices& services)
    : worker_(worker),
      services_(services),
      parser_(ws::Role::server, services.limits.max_message),
      last_heard_(std::chrono::steady_clock::now()) {
  services_.metrics.ws_open++;
}

WsConnection::~WsConnection() {
  services_.metrics.ws_open--;
}

void WsConnection::start(std::string_view early_bytes) {
  worker_.add(*this);
  id_ = services_.router.open(shared_from_this());
  registered_ = true;
  if (!early_bytes.empty()) {
    std::string copy(early_bytes);  // the parser unmasks in place
    received({copy.data(), copy.size()});
  }
  if (open()) start_reading();
}

void WsConnection::received(std::span<char> bytes) {
  if (state_ == State::dropped) return;
  services_.metrics.bytes_in += bytes.size();
  last_heard_ = std::chrono::steady_clock::now();
  ping_sent_ = false;
  const bool ok = parser_.feed(bytes, [this](const ws::Event& e) { on_event(e); });
  if (!ok && state_ == State::open) close(ws::kProtocolError, "protocol error");
}

void WsConnection::on_event(const ws::Event& e) {
  using Kind = ws::Event::Kind;
  switch (e.kind) {
    case Kind::text:
      if (state_ == State::open) services_.router.text(id_, e.payload);
      break;
    case Kind::binary:
      if (state_ == State::open) services_.router.binary(id_);
      break;
    case Kind::too_big:
      services_.metrics.too_big++;
      if (state_ == State::open) services_.router.oversized(id_, services_.limits.max_message);
      break;
    case Kind::ping:
      if (state_ == State::open) queue_frame(ws::Opcode::pong, e.payload);
      break;
    case Kind::pong:
      break;
    case Kind::close:
      if (state_ == State::open) {
        // RFC 6455 §5.5.1: answer with a close frame (echoing the code), then the server closes TCP.
        const std::uint16_t code = e.code == 1005 ? std::uint16_t{ws::kNormal} : e.code;
        queue_frame(ws::Opcode::close, ws::close_payload(code, {}));
        state_ = State::closing;
        closing_since_ = std::chrono::steady_clock::now();
        leave_router();
        services_.metrics.count_close(DropReason::closed);
      }
      close_after_flush_ = true;
      if (!writing_ && out_sent_ == out_.size()) drop();
      break;
    case Kind::error:
      services_.metrics.count_close(DropReason::protocol_error);
      close(e.code, e.reason);
      close_after_flush_ = true;
      break;
  }
}

void WsConnection::deliver(const std::string& text, std::uint16_t close_code) {
  // The router calls this with the hub locked: nothing here may call back into the router. Closing and
  // dropping wait for the flush, which runs after the lock is gone.
  if (state_ != State::open) return;
  queue_frame(ws::Opcode::text, text);
  if (close_code != 0 && pending_close_ == 0) pending_close_ = close_code;
}

void WsConnection::queue_frame(ws::Opcode op, std::string_view payload) {
  if (state_ == State::dropped || too_slow_) return;
  ws::append_frame(out_, op, payload);
  if (out_.size() - out_sent_ > services_.limits.send_queue_bytes) {
    // A reader this slow would hold memory without bound: it goes (at the flush), the server and everyone
    // else stay.
    too_slow_ = true;
    std::string().swap(out_);
    out_sent_ = 0;
  }
  if (!flush_requested_ && (!writing_ || too_slow_ || pending_close_ != 0)) {
    flush_requested_ = true;
    worker_.request_flush(shared_from_this());
  }
}

void WsConnection::flush() {
  flush_requested_ = false;
  if (state_ == State::dropped) return;
  if (too_slow_) {
    services_.metrics.count_close(DropReason::slow_reader);
    return drop();
  }
  if (pending_close_ != 0) {
    const auto code = pending_close_;
    pending_close_ = 0;
    close(code, {});
    close_after_flush_ = true;
  }
  if (writing_ || out_sent_ == out_.size()) return;
  start_writing();
}

void WsConnection::wrote(std::size_t n) {
  services_.metrics.bytes_out += n;
  out_sent_ += n;
  if (out_sent_ < out_.size()) return;
  out_sent_ = 0;
  // An idle connection keeps no buffer: release anything beyond the string's own small storage.
  std::string().swap(out_);
  if (close_after_flush_) drop();
}

void WsConnection::write_failed() {
  drop();
}

void WsConnection::read_ended() {
  drop();
}

void WsConnection::close(std::uint16_t code, std::string_view reason) {
  if (state_ != State::open) return;
  queue_frame(ws::Opcode::close, ws::close_payload(code, reason));
  if (state_ == State::dropped) return;
  state_ = State::closing;
  closing_since_ = std::chrono::steady_clock::now();
  leave_router();
}

void WsConnection::on_tick(std::chrono::steady_clock::time_point now) {
  auto self = shared_from_this();
  if (state_ == State::closing) {
    // The peer had its chance to answer our close frame.
    if (now - closing_since_ > std::chrono::seconds(2)) drop();
    return;
  }
  if (state_ != State::open) return;
  const auto silent = now - last_heard_;
  if (silent >= services_.limits.idle_timeout) {
    services_.metrics.count_close(DropReason::idle_timeout);
    close(ws::kGoingAway, "idle timeout");
    close_after_flush_ = true;
  } else if (silent >= services_.limits.ping_interval && !ping_sent_) {
    ping_sent_ = true;
    queue_frame(ws::Opcode::ping, {});
  }
}

void WsConnection::on_shutdown() {
  auto self = shared_from_this();
  close(ws::kGoingAway, "server shutting down");
}

void WsConnection::leave_router() {
  if (!registered_) return;
  registered_ = false;
  services_.router.closed(id_);
}

void WsConnection::drop() {
  if (state_ == State::dropped) return;
  auto self = shared_from_this();
  state_ = State::dropped;
  unlink();
  leave_router();
  close_transport();
}

}  // namespace peerhub::net
