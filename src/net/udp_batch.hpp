// Batched UDP for the TURN shell and the peer host (peer_host.hpp): one recvmmsg fills up to 64 datagrams
// into buffers owned by the worker, and datagrams to send are copied into preallocated slots and leave in one
// sendmmsg per socket when the batch ends. Nothing is allocated per datagram.
//
// Sends use UDP GSO (Linux >= 4.18, UDP_SEGMENT): datagrams of one socket to one destination that have the
// same size (the last may be shorter) leave as one "super-datagram" that the kernel (or the NIC) cuts back
// into the very same datagrams, so the IP stack runs once per group instead of once per datagram. Receivers
// see no difference on the wire.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>

#include "stun/address.hpp"

namespace peerhub::net {

// Room for IP_PKTINFO or IPV6_PKTINFO, the only control message the shell reads or writes per datagram.
struct alignas(cmsghdr) PacketInfoSpace {
  unsigned char bytes[CMSG_SPACE(sizeof(in6_pktinfo))];
};

// A GSO group's control messages: the packet info of its datagrams and UDP_SEGMENT.
struct alignas(cmsghdr) GsoControlSpace {
  unsigned char bytes[CMSG_SPACE(sizeof(in6_pktinfo)) + CMSG_SPACE(sizeof(std::uint16_t))];
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
  std::size_t filled_ = 0;  // headers the last receive() had the kernel fill in
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
  // One sendmmsg per socket for what is queued (sendmsg when it is one datagram). Datagrams of one socket to
  // one destination keep the order they were queued in; consecutive ones of the same size go as one GSO
  // send.
  void flush();
  bool empty() const { return count_ == 0; }

  // Datagrams the kernel refused (a full socket buffer, an unreachable network); UDP drops them.
  std::uint64_t failed() const { return failed_; }
  // Datagrams that left as part of a GSO send (more than one per send).
  std::uint64_t coalesced() const { return coalesced_; }

  // Datagrams a full socket buffer refused (EAGAIN, ENOBUFS) go here, in the order queued, instead of being
  // dropped: a shell that has its own (bounded) queue keeps them for when the socket is writable. Once a
  // socket refused one, the rest of that flush for the socket goes here too without being tried, so order
  // holds.
  using OnRefused = std::function<void(int fd, const stun::Address& to, std::span<const std::uint8_t> bytes)>;
  void keep_refused(OnRefused on_refused) { on_refused_ = std::move(on_refused); }

  // Turns GSO off (kernels without UDP_SEGMENT turn it off by themselves on the first flush).
  void disable_gso() { gso_ = Gso::off; }

 private:
  enum class Gso : std::uint8_t { unknown, on, off };
  // The kernel's UDP_MAX_SEGMENTS was 64 until Linux 6.x raised it; 64 is a batch anyway.
  static constexpr std::size_t kMaxSegments = 64;
  // A super-datagram is one IP packet until it is cut: its payload stays under 64 KiB with its headers.
  static constexpr std::size_t kMaxGsoBytes = 65000;

  // first_group: the group of headers[0] (they follow each other), or none: plain datagrams.
  // False when the socket refused the rest (they went to on_refused_).
  bool send_run(int fd, mmsghdr* headers, std::size_t count, std::size_t first_group);
  bool send_plain(int fd, std::size_t group);
  // Hands every datagram of headers[from, count) to on_refused_.
  void refuse(int fd, const mmsghdr* headers, std::size_t from, std::size_t count);
  std::size_t group_end(std::size_t start, std::size_t n) const;
  void add_group(std::size_t start, std::size_t end);
  bool gso_usable(int fd);
  void fill(mmsghdr& header, iovec& iov, sockaddr_storage& to_storage, PacketInfoSpace& control,
            const stun::Address& to, std::span<const std::uint8_t> bytes, const stun::Address* source);

  std::size_t count_ = 0;
  std::array<int, kBatch> fds_{};
  std::array<stun::Address, kBatch> destinations_{};
  std::array<stun::Address, kBatch> sources_{};  // family ignored when has_source_ is false
  std::array<bool, kBatch> has_source_{};
  std::array<mmsghdr, kBatch> headers_{};
  std::array<iovec, kBatch> iov_{};
  std::array<sockaddr_storage, kBatch> to_{};
  std::array<PacketInfoSpace, kBatch> control_{};
  std::unique_ptr<std::uint8_t[]> bytes_;

  // flush(): the queued datagrams in sending order, and the sends (groups) they make.
  std::array<std::uint8_t, kBatch> order_{};
  std::size_t groups_ = 0;
  std::array<mmsghdr, kBatch> out_{};
  std::array<iovec, kBatch> out_iov_{};
  std::array<GsoControlSpace, kBatch> out_control_{};
  std::array<std::uint8_t, kBatch> group_start_{};  // into order_
  std::array<std::uint8_t, kBatch> group_size_{};

  Gso gso_ = Gso::unknown;
  std::size_t gso_max_segment_ = 65535;  // lowered when a path's MTU refuses a segment size
  std::uint64_t failed_ = 0;
  std::uint64_t coalesced_ = 0;
  OnRefused on_refused_;
};

}  // namespace peerhub::net
