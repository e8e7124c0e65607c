// The native peer's TCP connection to a TURN server, against a plain loopback TCP server on a thread: frames
// cut whole from any split of the byte stream, frames written in order, every way the connection ends told
// once, and the bounded write queue (data dropped first, TURN's own requests kept, a server that never reads
// dropped).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "net/turn_client_stream.hpp"

namespace peerhub::net {
namespace {

using namespace std::chrono_literals;
using Bytes = std::vector<std::uint8_t>;

// A STUN message of `type` with `body` bytes of (unparsed) attributes: all the framer looks at.
Bytes stun_frame(std::uint16_t type, std::size_t body, std::uint8_t tag) {
  Bytes m{static_cast<std::uint8_t>(type >> 8),
          static_cast<std::uint8_t>(type),
          static_cast<std::uint8_t>(body >> 8),
          static_cast<std::uint8_t>(body),
          0x21,
          0x12,
          0xA4,
          0x42};
  for (int i = 0; i < 12; ++i)
    m.push_back(tag);
  m.resize(20 + body, tag);
  return m;
}
constexpr std::uint16_t kAllocateRequest = 0x0003;
constexpr std::uint16_t kSendIndication = 0x0016;
constexpr std::uint16_t kAllocateSuccess = 0x0103;

// ChannelData on a stream: padded to 4 (RFC 8656 §12.5).
Bytes channel_frame(std::size_t length, std::uint8_t tag) {
  Bytes m{0x40, 0x01, static_cast<std::uint8_t>(length >> 8), static_cast<std::uint8_t>(length)};
  m.resize(4 + length, tag);
  m.resize((m.size() + 3) / 4 * 4, 0);
  return m;
}

// One connection on 127.0.0.1, served by `serve(fd)` on a thread.
class LoopbackServer {
 public:
  explicit LoopbackServer(std::function<void(int fd)> serve, int receive_buffer = 0) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    // Set on the listener so the accepted socket starts with it (the window is advertised at the handshake).
    if (receive_buffer > 0)
      ::setsockopt(listener_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(listener_, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    EXPECT_EQ(::listen(listener_, 1), 0);
    socklen_t length = sizeof a;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&a), &length);
    address_ = stun::Address::v4({127, 0, 0, 1}, ntohs(a.sin_port));
    thread_ = std::thread([this, serve = std::move(serve)] {
      const int fd = ::accept(listener_, nullptr, nullptr);
      if (fd < 0) return;
      serve(fd);
      ::close(fd);
    });
  }
  ~LoopbackServer() {
    ::shutdown(listener_, SHUT_RDWR);  // an accept() still waiting returns
    thread_.join();
    ::close(listener_);
  }
  const stun::Address& address() const { return address_; }

 private:
  int listener_ = -1;
  stun::Address address_;
  std::thread thread_;
};

void write_all(int fd, const Bytes& bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const auto n = ::send(fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
    if (n <= 0) return;
    done += static_cast<std::size_t>(n);
  }
}

Bytes read_exactly(int fd, std::size_t size) {
  Bytes out(size);
  std::size_t done = 0;
  while (done < size) {
    const auto n = ::recv(fd, out.data() + done, size - done, 0);
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  out.resize(done);
  return out;
}

// A server thread that holds the connection without reading, until `release` or 10 s.
void hold(const std::atomic<bool>& release) {
  const auto end = std::chrono::steady_clock::now() + 10s;
  while (!release && std::chrono::steady_clock::now() < end)
    std::this_thread::sleep_for(1ms);
}

struct Seen {
  std::vector<Bytes> frames;
  int read_done = 0;
  std::vector<std::string> closed;
};

TurnClientStream::Handlers record(Seen& seen) {
  TurnClientStream::Handlers h;
  h.frame = [&seen](std::span<const std::uint8_t> f) { seen.frames.emplace_back(f.begin(), f.end()); };
  h.read_done = [&seen] { ++seen.read_done; };
  h.closed = [&seen](const std::string& why) { seen.closed.push_back(why); };
  return h;
}

bool run_until(boost::asio::io_context& io, const std::function<bool()>& done,
               std::chrono::milliseconds limit = 5000ms) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > end) return false;
    io.restart();
    io.run_for(5ms);
  }
  return true;
}

TEST(TurnClientStream, FramesCutFromAnySplitOfTheStreamArriveWhole) {
  const std::vector<Bytes> sent{stun_frame(kAllocateSuccess, 32, 1), channel_frame(5, 2),
                                stun_frame(kAllocateSuccess, 0, 3), channel_frame(1200, 4)};
  Bytes stream;
  for (const auto& f : sent)
    stream.insert(stream.end(), f.begin(), f.end());
  LoopbackServer server([&](int fd) {
    // Three bytes at a time, each write on its own (no Nagle), so reads end mid-header and mid-body.
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    for (std::size_t i = 0; i < stream.size(); i += 3) {
      write_all(fd, Bytes(stream.begin() + static_cast<long>(i),
                          stream.begin() + static_cast<long>(std::min(i + 3, stream.size()))));
      if (i < 64) std::this_thread::sleep_for(1ms);
    }
    char c;
    (void)::recv(fd, &c, 1, 0);  // until the client closes
  });
  boost::asio::io_context io;
  Seen seen;
  TurnClientStream stream_(io, server.address(), record(seen));
  ASSERT_TRUE(run_until(io, [&] { return seen.frames.size() == sent.size() || !seen.closed.empty(); }));
  EXPECT_EQ(seen.frames, sent);
  EXPECT_GT(seen.read_done, 0);
  EXPECT_TRUE(seen.closed.empty());
  stream_.close();
}

TEST(TurnClientStream, WhatIsSentArrivesInOrderIncludingWhatWasSentBeforeTheConnectionWasUp) {
  std::vector<Bytes> frames;
  Bytes expected;
  for (int i = 0; i < 200; ++i) {
    frames.push_back(i % 10 == 0
                         ? stun_frame(kAllocateRequest, 8, static_cast<std::uint8_t>(i))
                         : channel_frame(static_cast<std::size_t>(100 + i), static_cast<std::uint8_t>(i)));
    expected.insert(expected.end(), frames.back().begin(), frames.back().end());
  }
  Bytes received;
  std::atomic<bool> done{false};
  LoopbackServer server([&](int fd) {
    received = read_exactly(fd, expected.size());
    done = true;
    char c;
    (void)::recv(fd, &c, 1, 0);  // until the client closes
  });
  boost::asio::io_context io;
  Seen seen;
  TurnClientStream stream_(io, server.address(), record(seen));
  // Queued at once, before the connect completes.
  for (auto f : frames)
    ASSERT_TRUE(stream_.send(std::move(f)));
  ASSERT_TRUE(run_until(io, [&] { return done.load(); }));
  EXPECT_EQ(stream_.queued_bytes(), 0U);
  EXPECT_EQ(received, expected);
  EXPECT_TRUE(seen.closed.empty());
}

TEST(TurnClientStream, BytesThatAreNoFrameCloseTheConnectionAndSaySo) {
  LoopbackServer server([](int fd) { write_all(fd, Bytes{0xFF, 0x00, 0x00, 0x04, 1, 2, 3, 4}); });
  boost::asio::io_context io;
  Seen seen;
  TurnClientStream stream_(io, server.address(), record(seen));
  ASSERT_TRUE(run_until(io, [&] { return !seen.closed.empty(); }));
  EXPECT_TRUE(seen.frames.empty());
  EXPECT_NE(seen.closed.front().find("no STUN or ChannelData frame"), std::string::npos)
      << seen.closed.front();
  EXPECT_TRUE(stream_.closed());
  EXPECT_FALSE(stream_.send(channel_frame(4, 1)));
  run_until(
      io, [] { return false; }, 50ms);
  EXPECT_EQ(seen.closed.size(), 1U);  // told once
}

TEST(TurnClientStream, TheServerClosingIsToldOnce) {
  LoopbackServer server([](int fd) { write_all(fd, stun_frame(kAllocateSuccess, 4, 9)); });
  boost::asio::io_context io;
  Seen seen;
  TurnClientStream stream_(io, server.address(), record(seen));
  ASSERT_TRUE(run_until(io, [&] { return !seen.closed.empty(); }));
  EXPECT_EQ(seen.frames.size(), 1U);  // what came before the end still counts
  EXPECT_EQ(seen.closed.front(), "the TURN server closed the connection");
  run_until(
      io, [] { return false; }, 50ms);
  EXPECT_EQ(seen.closed.size(), 1U);
}

TEST(TurnClientStream, ARefusedConnectionIsToldAndDropsWhatWasQueued) {
  // A port nothing listens on: bound, then closed again.
  const int probe = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(probe, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  socklen_t length = sizeof a;
  ::getsockname(probe, reinterpret_cast<sockaddr*>(&a), &length);
  ::close(probe);
  boost::asio::io_context io;
  Seen seen;
  TurnClientStream stream_(io, stun::Address::v4({127, 0, 0, 1}, ntohs(a.sin_port)), record(seen));
  EXPECT_TRUE(stream_.send(stun_frame(kAllocateRequest, 8, 1)));
  ASSERT_TRUE(run_until(io, [&] { return !seen.closed.empty(); }));
  EXPECT_NE(seen.closed.front().find("cannot connect"), std::string::npos) << seen.closed.front();
  EXPECT_EQ(stream_.queued_bytes(), 0U);
}

TEST(TurnClientStream, AFullQueueDropsDataKeepsRequestsAndEndsWhenEvenThoseDoNotFit) {
  std::atomic<bool> release{false};
  // Never reads: the kernel's buffers fill, then the client's queue.
  LoopbackServer server([&](int) { hold(release); }, 4096);
  boost::asio::io_context io;
  Seen seen;
  TurnClientStream::Limits limits;
  limits.data_queue_bytes = 64 * 1024;
  limits.queue_bytes = 80 * 1024;
  TurnClientStream stream_(io, server.address(), record(seen), limits);
  // Data until one is refused: the queue stops at its data bound.
  std::size_t data_sent = 0;
  for (; data_sent < 100000; ++data_sent) {
    io.restart();
    io.poll();
    if (!stream_.send(channel_frame(1000, 7))) break;
  }
  ASSERT_LT(data_sent, 100000U) << "the queue never filled";
  EXPECT_LE(stream_.queued_bytes(), limits.data_queue_bytes);
  EXPECT_GT(stream_.queued_bytes(), limits.data_queue_bytes - 2000);
  EXPECT_EQ(stream_.dropped(), 1U);
  EXPECT_FALSE(stream_.send(stun_frame(kSendIndication, 1000, 7)));  // a Send indication is data too
  // TURN's own requests still go in, past the data bound, up to the hard one.
  int requests = 0;
  std::size_t peak = 0;
  while (requests < 1000 && stream_.send(stun_frame(kAllocateRequest, 1000, 8))) {
    ++requests;
    peak = stream_.queued_bytes();
  }
  EXPECT_GT(requests, 10);
  EXPECT_GT(peak, limits.data_queue_bytes);
  EXPECT_LE(peak, limits.queue_bytes);
  EXPECT_TRUE(stream_.closed());
  ASSERT_TRUE(run_until(io, [&] { return !seen.closed.empty(); }));
  EXPECT_EQ(seen.closed.front(), "the TURN server does not read what is sent to it");
  release = true;
}

TEST(TurnClientStream, CloseIsSilentAndNothingRunsAfterDestruction) {
  std::atomic<bool> release{false};
  LoopbackServer server([&](int) { hold(release); });
  boost::asio::io_context io;
  Seen seen;
  {
    TurnClientStream stream_(io, server.address(), record(seen));
    (void)run_until(
        io, [] { return false; }, 20ms);  // connected by now
    stream_.close();
    EXPECT_FALSE(stream_.send(channel_frame(4, 1)));
  }
  {
    // Destroyed with a connect, a read and a timer pending: their handlers find it gone.
    TurnClientStream stream_(io, server.address(), record(seen));
    EXPECT_TRUE(stream_.send(channel_frame(4, 1)));
  }
  run_until(
      io, [] { return false; }, 50ms);
  EXPECT_TRUE(seen.closed.empty());
  EXPECT_TRUE(seen.frames.empty());
  release = true;
}

}  // namespace
}  // namespace peerhub::net
