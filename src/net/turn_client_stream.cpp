#include "net/turn_client_stream.hpp"

#include <algorithm>
#include <cstring>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include "stun/framing.hpp"

namespace peerhub::net {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

constexpr std::size_t kMaxWriteBatch = 64;  // frames gathered into one write (writev)

tcp::endpoint endpoint_of(const stun::Address& a) {
  if (a.family == stun::Family::ipv4) {
    asio::ip::address_v4::bytes_type b{};
    std::copy_n(a.bytes.begin(), b.size(), b.begin());
    return {asio::ip::address_v4(b), a.port};
  }
  asio::ip::address_v6::bytes_type b{};
  std::copy_n(a.bytes.begin(), b.size(), b.begin());
  return {asio::ip::address_v6(b), a.port};
}

// Data the peers exchange, which a full queue may drop: ChannelData (first byte 0x40..0x7F, RFC 7983) and
// STUN indications (Send; class bits C1 C0 = 0 1 in the message type, RFC 8489 §5). Requests are TURN's own.
bool is_data(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < 2) return false;
  if (bytes[0] >= 0x40 && bytes[0] < 0x80) return true;
  const unsigned type = (static_cast<unsigned>(bytes[0]) << 8U) | bytes[1];
  return (type & 0x0110U) == 0x0010U;
}

}  // namespace

TurnClientStream::TurnClientStream(asio::io_context& io, const stun::Address& server, Handlers handlers,
                                   Limits limits)
    : io_(io),
      socket_(io.get_executor()),
      connect_timer_(io.get_executor()),
      handlers_(std::move(handlers)),
      limits_(limits),
      buffer_(2 * stun::kMaxFrameSize) {
  connect(server);
}

TurnClientStream::~TurnClientStream() {
  *alive_ = false;
}

void TurnClientStream::connect(const stun::Address& server) {
  connect_timer_.expires_after(limits_.connect_timeout);
  connect_timer_.async_wait([this, alive = alive_](const boost::system::error_code& ec) {
    if (!*alive || ec || closed_ || connected_) return;
    fail("no connection to the TURN server within " + std::to_string(limits_.connect_timeout.count()) + " s");
  });
  socket_.async_connect(endpoint_of(server), [this, alive = alive_](const boost::system::error_code& ec) {
    if (!*alive || closed_) return;
    if (ec) return fail("cannot connect to the TURN server: " + ec.message());
    connect_timer_.cancel();
    connected_ = true;
    boost::system::error_code ignored;
    // STUN transactions and small ChannelData frames must not wait for Nagle.
    socket_.set_option(tcp::no_delay(true), ignored);
    read();
    write();
  });
}

bool TurnClientStream::send(std::vector<std::uint8_t>&& bytes) {
  if (closed_ || bytes.empty()) return false;
  const std::size_t limit = is_data(bytes) ? limits_.data_queue_bytes : limits_.queue_bytes;
  if (queued_bytes_ + bytes.size() > limit) {
    ++dropped_;
    if (limit == limits_.queue_bytes) fail("the TURN server does not read what is sent to it");
    return false;
  }
  queued_bytes_ += bytes.size();
  queue_.push_back(std::move(bytes));
  write();
  return true;
}

// The front of the queue in one gathered write; the frames leave the queue once all of it is written.
void TurnClientStream::write() {
  if (!connected_ || writing_ || closed_ || queue_.empty()) return;
  writing_ = true;
  std::vector<asio::const_buffer> buffers;
  const std::size_t count = std::min(queue_.size(), kMaxWriteBatch);
  buffers.reserve(count);
  for (std::size_t i = 0; i < count; ++i)
    buffers.emplace_back(asio::buffer(queue_[i]));
  asio::async_write(socket_, buffers,
                    [this, count, alive = alive_](const boost::system::error_code& ec, std::size_t) {
                      if (!*alive || closed_) return;
                      writing_ = false;
                      if (ec) return fail("write to the TURN server: " + ec.message());
                      for (std::size_t i = 0; i < count; ++i) {
                        queued_bytes_ -= queue_.front().size();
                        queue_.pop_front();
                      }
                      write();
                    });
}

void TurnClientStream::read() {
  socket_.async_read_some(asio::buffer(buffer_.data() + buffered_, buffer_.size() - buffered_),
                          [this, alive = alive_](const boost::system::error_code& ec, std::size_t n) {
                            if (!*alive || closed_) return;
                            if (ec == asio::error::eof) return fail("the TURN server closed the connection");
                            if (ec) return fail("read from the TURN server: " + ec.message());
                            buffered_ += n;
                            if (deliver_frames()) read();
                          });
}

bool TurnClientStream::deliver_frames() {
  const auto alive = alive_;  // a handler may close this stream, or end its owner
  std::size_t used = 0;
  for (;;) {
    const auto rest = std::span<const std::uint8_t>(buffer_).subspan(used, buffered_ - used);
    const stun::Frame frame = stun::next_frame(rest);
    if (frame.kind == stun::FrameKind::invalid) {
      fail("the TURN server sent bytes that are no STUN or ChannelData frame");
      return false;
    }
    if (frame.kind == stun::FrameKind::unknown || rest.size() < frame.size) break;
    if (handlers_.frame) handlers_.frame(rest.first(frame.size));
    if (!*alive || closed_) return false;
    used += frame.size;
  }
  // What is left is less than one frame (at most kMaxFrameSize), so the buffer has room for the rest of it.
  std::memmove(buffer_.data(), buffer_.data() + used, buffered_ - used);
  buffered_ -= used;
  if (handlers_.read_done) handlers_.read_done();
  return *alive && !closed_;
}

void TurnClientStream::close() {
  silenced_ = true;
  shut();
}

void TurnClientStream::shut() {
  if (closed_) return;
  closed_ = true;
  connect_timer_.cancel();
  // Best effort, without waiting: the last frames (a Refresh with lifetime 0) if the kernel takes them now. A
  // write in flight may have sent part of the front frame, so nothing is added behind it then.
  if (connected_ && !writing_) {
    boost::system::error_code ec;
    socket_.non_blocking(true, ec);
    for (const auto& bytes : queue_) {
      if (ec) break;
      const std::size_t n = socket_.write_some(asio::buffer(bytes), ec);
      if (n != bytes.size()) break;
    }
  }
  queue_.clear();
  queued_bytes_ = 0;
  boost::system::error_code ignored;
  socket_.shutdown(tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
}

// Closes now; the owner hears of it from the io_context, so it is never told from inside its own call.
void TurnClientStream::fail(std::string why) {
  if (closed_) return;
  shut();
  asio::post(io_, [this, why = std::move(why), alive = alive_] {
    if (*alive && !silenced_ && handlers_.closed) handlers_.closed(why);
  });
}

}  // namespace peerhub::net
