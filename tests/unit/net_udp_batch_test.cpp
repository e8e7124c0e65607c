// UdpReceiver hands out each datagram with its source and the address it reached, whatever socket the
// previous receive was on.
//
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
  explicit Socket(const char* ip = "127.0.0.1", SocketOptions options = {}) {
    fd = bind_udp(*stun_address(ip, 0), options);
    if (fd >= 0) address = local_address(fd);
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

// One receiver serves every socket of a worker. The kernel shrinks each header's name and control room to
// what a datagram used (16 bytes for an IPv4 source, 28 for IPv6; the packet info of each family differs
// too), so every receive must give the room back, or an IPv6 datagram after IPv4 ones comes out cut.
TEST(UdpReceiver, EachSocketsAddressesSurviveTheOtherFamilysDatagrams) {
  SocketOptions with_info;
  with_info.packet_info = true;
  Socket v4("127.0.0.1", with_info);
  Socket v6("::1", with_info);
  if (v6.fd < 0) GTEST_SKIP() << "::1 is not usable here";
  Socket v4_sender;
  Socket v6_sender("::1");
  UdpReceiver receiver;
  UdpSender sender;

  // Three IPv4 datagrams, then five IPv6 ones (more than the IPv4 receive filled), then IPv4 again. Loopback
  // delivers while the sender flushes, so each receive finds all of them.
  const auto expect = [&](const Socket& at, const Socket& from, std::size_t count, std::uint8_t tag) {
    for (std::size_t i = 0; i < count; ++i)
      sender.send(from.fd, at.address, datagram(40 + i, static_cast<std::uint8_t>(tag + i)));
    sender.flush();
    ASSERT_EQ(receiver.receive(at.fd), static_cast<int>(count));
    for (std::size_t i = 0; i < count; ++i) {
      const int k = static_cast<int>(i);
      EXPECT_FALSE(receiver.truncated(k));
      EXPECT_EQ(receiver.from(k), from.address) << "datagram " << i;
      const auto to = receiver.to(k, at.address.port);
      ASSERT_TRUE(to.has_value()) << "datagram " << i << ": no packet info";
      EXPECT_EQ(*to, at.address);
      const auto bytes = receiver.data(k);
      EXPECT_EQ(std::vector<std::uint8_t>(bytes.begin(), bytes.end()),
                datagram(40 + i, static_cast<std::uint8_t>(tag + i)));
    }
  };
  expect(v4, v4_sender, 3, 1);
  expect(v6, v6_sender, 5, 20);
  expect(v4, v4_sender, 4, 40);
  expect(v6, v6_sender, 2, 60);
}

}  // namespace
}  // namespace peerhub::net
