// UdpSender's GSO groups must reach a receiver as the very datagrams that were queued (sockets without
// UDP_GRO get them cut apart again), each destination's in the order queued.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <vector>

#include "net/turn_sockaddr.hpp"
#include "net/udp_batch.hpp"

namespace peerhub::net {
namespace {

struct Socket {
  int fd = -1;
  stun::Address address;
  Socket() {
    fd = bind_udp(*stun_address("127.0.0.1", 0), SocketOptions{});
    address = local_address(fd);
  }
  ~Socket() { ::close(fd); }
  // What waits on the socket, one datagram per entry.
  std::vector<std::vector<std::uint8_t>> drain() const {
    std::vector<std::vector<std::uint8_t>> out;
    std::vector<std::uint8_t> buffer(70000);
    while (true) {
      const auto n = ::recv(fd, buffer.data(), buffer.size(), MSG_DONTWAIT);
      if (n < 0) return out;
      out.emplace_back(buffer.begin(), buffer.begin() + n);
    }
  }
};

std::vector<std::uint8_t> datagram(std::size_t size, std::uint8_t tag) {
  std::vector<std::uint8_t> d(size);
  for (std::size_t i = 0; i < size; ++i)
    d[i] = static_cast<std::uint8_t>(tag + i);
  return d;
}

TEST(UdpSender, GroupsLeaveAsTheQueuedDatagramsInOrder) {
  Socket from;
  Socket a;
  Socket b;
  UdpSender sender;
  std::vector<std::vector<std::uint8_t>> to_a;
  std::vector<std::vector<std::uint8_t>> to_b;
  // Interleaved destinations; for a: six of one size, a shorter one (ends the group), a longer one, more.
  const std::size_t sizes_a[] = {120, 120, 120, 120, 120, 120, 60, 1200, 1200, 1, 0, 1200};
  for (std::size_t i = 0; i < std::size(sizes_a); ++i) {
    to_a.push_back(datagram(sizes_a[i], static_cast<std::uint8_t>(i)));
    sender.send(from.fd, a.address, to_a.back());
    if (i % 3 == 0) {
      to_b.push_back(datagram(500, static_cast<std::uint8_t>(100 + i)));
      sender.send(from.fd, b.address, to_b.back());
    }
  }
  sender.flush();
  EXPECT_EQ(sender.failed(), 0u);
  EXPECT_GT(sender.coalesced(), 0u);  // this kernel has UDP_SEGMENT (Linux >= 4.18)
  EXPECT_EQ(a.drain(), to_a);
  EXPECT_EQ(b.drain(), to_b);
}

TEST(UdpSender, AFullBatchOfOneFlowStaysInOrder) {
  Socket from;
  Socket to;
  UdpSender sender;
  std::vector<std::vector<std::uint8_t>> sent;
  // Past a batch: the sender flushes on its own in between. Small, so the receive buffer holds them all.
  for (std::size_t i = 0; i < 2 * UdpSender::kBatch + 5; ++i) {
    sent.push_back(datagram(100, static_cast<std::uint8_t>(i)));
    sender.send(from.fd, to.address, sent.back());
  }
  sender.flush();
  const auto received = to.drain();
  ASSERT_EQ(received.size(), sent.size());
  EXPECT_TRUE(received == sent);
}

TEST(UdpSender, WithoutGsoTheSameDatagramsLeave) {
  Socket from;
  Socket to;
  UdpSender sender;
  sender.disable_gso();
  std::vector<std::vector<std::uint8_t>> sent;
  for (std::size_t i = 0; i < 10; ++i) {
    sent.push_back(datagram(300, static_cast<std::uint8_t>(i)));
    sender.send(from.fd, to.address, sent.back());
  }
  sender.flush();
  EXPECT_EQ(sender.coalesced(), 0u);
  EXPECT_EQ(to.drain(), sent);
}

}  // namespace
}  // namespace peerhub::net
