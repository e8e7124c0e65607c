#include "net/turn_stream.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "stun/framing.hpp"
#include "turn/channel_numbers.hpp"

namespace peerhub::net {
namespace asio = boost::asio;
using boost::system::error_code;

namespace {
constexpr std::size_t kTlsReadBytes = 16 * 1024;  // one TLS record
constexpr int kReadsPerWakeup = 8;                // then the worker's other sockets get a turn
constexpr std::size_t kKeepCapacity = 4096;       // buffers larger than this are freed once empty

void release_if_large(std::vector<std::uint8_t>& buffer) {
  if (buffer.capacity() > kKeepCapacity) std::vector<std::uint8_t>().swap(buffer);
}
}  // namespace

TurnStream::TurnStream(Worker& worker, TurnStreamOwner& owner, const turn::FiveTuple& tuple,
                       const TurnStreamLimits& limits)
    : worker_(worker),
      owner_(owner),
      tuple_(tuple),
      limits_(limits),
      last_heard_(std::chrono::steady_clock::now()),
      born_(last_heard_) {
  worker_.add(*this);
}

void TurnStream::received(std::span<const std::uint8_t> bytes) {
  last_heard_ = std::chrono::steady_clock::now();
  if (pending_.empty()) {
    // The common case: whole frames in the read buffer, handed over in place.
    const std::size_t used = consume(bytes);
    if (open() && used < bytes.size())
      pending_.assign(bytes.begin() + static_cast<std::ptrdiff_t>(used), bytes.end());
    return;
  }
  // What is pending is shorter than one frame (consume() takes every whole one), so this stays under
  // stun::kMaxFrameSize plus one read.
  pending_.insert(pending_.end(), bytes.begin(), bytes.end());
  const std::size_t used = consume(pending_);
  if (!open()) return;
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(used));
  if (pending_.empty()) release_if_large(pending_);
}

std::size_t TurnStream::consume(std::span<const std::uint8_t> bytes) {
  std::size_t used = 0;
  while (open()) {
    const auto rest = bytes.subspan(used);
    // The core's framer: stun::next_frame() with the channel numbers the core accepts (RFC 5766's too).
    const auto frame = turn::next_stream_frame(rest, limits_.rfc5766_channels);
    if (frame.kind == stun::FrameKind::invalid) {
      drop(StreamEnd::bad_frame);  // §12.5 leaves no way to find the next frame after bytes that are none
      break;
    }
    if (frame.kind == stun::FrameKind::unknown || rest.size() < frame.size) break;
    owner_.stream_frame(*this, rest.first(frame.size));
    used += frame.size;
  }
  return used;
}

bool TurnStream::send(std::span<const std::uint8_t> bytes, bool droppable) {
  if (!open() || too_slow_) return true;  // leaving anyway: not a drop of relayed data
  const std::size_t queued = out_.size() - out_sent_ + bytes.size();
  if (droppable && queued > limits_.send_queue_bytes) return false;
  if (queued > 2 * limits_.send_queue_bytes) {
    too_slow_ = true;  // dropped at the flush: never from inside the core's call
  } else {
    out_.insert(out_.end(), bytes.begin(), bytes.end());
  }
  if (!flush_requested_) {
    flush_requested_ = true;
    worker_.request_flush(shared_from_this());
  }
  return true;
}

void TurnStream::flush() {
  flush_requested_ = false;
  if (!open()) return;
  if (too_slow_) return drop(StreamEnd::slow);
  if (!writing_ && out_sent_ < out_.size()) start_writing();
}

std::size_t TurnStream::first_queued_frame() const {
  const std::span<const std::uint8_t> queued(out_.data() + out_sent_, out_.size() - out_sent_);
  const auto frame = turn::next_stream_frame(queued, limits_.rfc5766_channels);
  const bool whole = (frame.kind == stun::FrameKind::stun || frame.kind == stun::FrameKind::channel_data) &&
                     frame.size <= queued.size();
  return whole ? frame.size : queued.size();  // the core only sends frames; this is never short of one
}

void TurnStream::wrote(std::size_t n) {
  out_sent_ += n;
  if (out_sent_ == out_.size()) {
    out_.clear();
    out_sent_ = 0;
    release_if_large(out_);
  }
}

void TurnStream::on_tick(std::chrono::steady_clock::time_point now) {
  if (!open()) return;
  if (handshaking() && now - born_ > limits_.handshake_timeout) return drop(StreamEnd::idle);
  if (now - last_heard_ > limits_.idle_timeout) drop(StreamEnd::idle);
}

void TurnStream::drop(StreamEnd why) {
  if (dropped_) return;
  dropped_ = true;
  end_ = why;
  auto self = shared_from_this();  // the owner lets go of it below
  close_transport();
  owner_.stream_closed(*this);
  worker_.retire(self);
  unlink();  // no more ticks or shutdown calls
}

PlainTurnStream::PlainTurnStream(int fd, Worker& worker, TurnStreamOwner& owner, const turn::FiveTuple& tuple,
                                 const TurnStreamLimits& limits)
    : TurnStream(worker, owner, tuple, limits), fd_(fd) {}

PlainTurnStream::~PlainTurnStream() {
  if (fd_ >= 0) ::close(fd_);
}

void PlainTurnStream::start_reading() {
  if (!worker().poller().add(fd_, this)) drop(StreamEnd::closed);
}

void PlainTurnStream::on_poll(std::uint32_t events) {
  if (!open()) return;
  if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
    const auto buffer = worker().rx_buffer();
    for (int i = 0; i < kReadsPerWakeup && open(); ++i) {
      const ssize_t n = ::read(fd_, buffer.data(), buffer.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && would_block(errno)) break;
      if (n <= 0) return drop(StreamEnd::closed);
      received({reinterpret_cast<const std::uint8_t*>(buffer.data()), static_cast<std::size_t>(n)});
      if (static_cast<std::size_t>(n) < buffer.size()) break;  // drained
    }
  }
  if (open() && (events & EPOLLOUT)) start_writing();
}

void PlainTurnStream::start_writing() {
  write_queued_plain(*this);
}

void PlainTurnStream::close_transport() {
  if (fd_ < 0) return;
  ::close(fd_);  // also leaves the epoll set
  fd_ = -1;
}

TlsTurnStream::TlsTurnStream(Stream stream, Worker& worker, TurnStreamOwner& owner,
                             const turn::FiveTuple& tuple, const TurnStreamLimits& limits)
    : TurnStream(worker, owner, tuple, limits),
      stream_(std::move(stream)),
      rx_(new std::uint8_t[kTlsReadBytes]) {}

void TlsTurnStream::start_reading() {
  stream_.async_handshake(asio::ssl::stream_base::server, [self = self()](const error_code& ec) {
    if (!self->open()) return;
    if (ec) return self->drop(StreamEnd::closed);
    self->handshaking_ = false;
    self->read_more();
  });
}

void TlsTurnStream::read_more() {
  stream_.async_read_some(asio::buffer(rx_.get(), kTlsReadBytes),
                          [self = self()](const error_code& ec, std::size_t n) {
                            if (!self->open()) return;
                            if (ec) return self->drop(StreamEnd::closed);
                            self->received({self->rx_.get(), n});
                            if (self->open()) self->read_more();
                          });
}

void TlsTurnStream::start_writing() {
  if (handshaking_) return;  // flushed again once the handshake is done and the client speaks
  // A TLS record per frame. The stream may cut records anywhere (§12.5 frames by length alone), but clients
  // that take each record for one message exist (coturn's turnutils_uclient is one): given two frames in a
  // record they keep the first and lose the rest without a word.
  write_queued_tls(self(), first_queued_frame());
}

void TlsTurnStream::close_transport() {
  close_tls(stream_);
}

}  // namespace peerhub::net
