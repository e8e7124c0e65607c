// Batched UDP for the TURN shell: one recvmmsg fills up to 64 datagrams into buffers owned by the worker,
// and datagrams to send are copied into preallocated slots and leave in one sendmmsg per socket when the
// batch ends. Nothing is allocated per datagram.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>

#include "stun/address.hpp"

namespace peerhub::net {

// Room for IP_PKTINFO or IPV6_PKTINFO, the only control message the shell reads or writes.
struct alignas(cmsghdr) PacketInfoSpace {
  unsigned char bytes[CMSG_SPACE(sizeof(in6_pktinfo))];
};

class UdpReceiver {
 public:
  static constexpr std::size_t kBatch = 64;
  // Larger than any path MTU: a datagram that does not fit is cut by the kernel and then dropped.
  static constexpr std::size_t kDatagramBytes = 2048;

  UdpReceiver();
  UdpReceiver(const UdpReceiver&) = delete;
  UdpReceiver& operator=(const UdpReceiver&) = delete;

  // Reads up to kBatch datagrams: their count, 0 when none waits, -1 on another error (errno set).
  int receive(int fd);

  std::span<const std::uint8_t> data(int i) const {
    return {bytes_.get() + static_cast<std::size_t>(i) * kDatagramBytes, headers_[i].msg_len};
  }
  bool truncated(int i) const { return (headers_[i].msg_hdr.msg_flags & MSG_TRUNC) != 0; }
  stun::Address from(int i) const;
  // The address the datagram was sent to, from IP_PKTINFO (sockets bound to a wildcard ask for it).
  std::optional<stun::Address> to(int i, std::uint16_t port) const;

 private:
  std::array<mmsghdr, kBatch> headers_{};
  std::array<iovec, kBatch> iov_{};
  std::array<sockaddr_storage, kBatch> from_{};
  std::array<PacketInfoSpace, kBatch> control_{};
  std::unique_ptr<std::uint8_t[]> bytes_;
};

class UdpSender {
 public:
  static constexpr std::size_t kBatch = 64;
  // A relayed datagram of UdpReceiver::kDatagramBytes plus the largest Data indication wrapping.
  static constexpr std::size_t kSlotBytes = UdpReceiver::kDatagramBytes + 128;

  UdpSender();
  UdpSender(const UdpSender&) = delete;
  UdpSender& operator=(const UdpSender&) = delete;

  // Queues a copy of `bytes` for `fd` to send to `to`, from `source` when given (a wildcard listener answers
  // from the address the client reached). A full queue is flushed first; a datagram larger than a slot
  // leaves at once, after what is queued.
  void send(int fd, const stun::Address& to, std::span<const std::uint8_t> bytes,
            const stun::Address* source = nullptr);
  // One sendmmsg per socket for what is queued (sendmsg when it is one datagram), in the order queued.
  void flush();
  bool empty() const { return count_ == 0; }

  // Datagrams the kernel refused (a full socket buffer, an unreachable network); UDP drops them.
  std::uint64_t failed() const { return failed_; }

 private:
  void send_run(int fd, mmsghdr* headers, std::size_t count);
  void fill(mmsghdr& header, iovec& iov, sockaddr_storage& to_storage, PacketInfoSpace& control,
            const stun::Address& to, std::span<const std::uint8_t> bytes, const stun::Address* source);

  std::size_t count_ = 0;
  std::array<int, kBatch> fds_{};
  std::array<mmsghdr, kBatch> headers_{};
  std::array<mmsghdr, kBatch> sorted_{};
  std::array<iovec, kBatch> iov_{};
  std::array<sockaddr_storage, kBatch> to_{};
  std::array<PacketInfoSpace, kBatch> control_{};
  std::unique_ptr<std::uint8_t[]> bytes_;
  std::uint64_t failed_ = 0;
};

}  // namespace peerhub::net
