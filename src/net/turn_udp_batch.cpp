#include "net/turn_udp_batch.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <numeric>

#include "net/turn_sockaddr.hpp"

namespace peerhub::net {

UdpReceiver::UdpReceiver() : bytes_(new std::uint8_t[kBatch * kDatagramBytes]) {
  for (std::size_t i = 0; i < kBatch; ++i) {
    iov_[i] = {bytes_.get() + i * kDatagramBytes, kDatagramBytes};
    auto& h = headers_[i].msg_hdr;
    h.msg_iov = &iov_[i];
    h.msg_iovlen = 1;
    h.msg_name = &from_[i];
    h.msg_control = control_[i].bytes;
  }
}

int UdpReceiver::receive(int fd) {
  // The kernel shrinks these to what each datagram used; give every slot its full room again.
  for (std::size_t i = 0; i < kBatch; ++i) {
    headers_[i].msg_hdr.msg_namelen = sizeof(sockaddr_storage);
    headers_[i].msg_hdr.msg_controllen = sizeof(PacketInfoSpace);
  }
  while (true) {
    const int n = ::recvmmsg(fd, headers_.data(), kBatch, MSG_DONTWAIT, nullptr);
    if (n >= 0) return n;
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return 0;
    return -1;
  }
}

stun::Address UdpReceiver::from(int i) const {
  return to_stun(from_[i]);
}

std::optional<stun::Address> UdpReceiver::to(int i, std::uint16_t port) const {
  auto* h = const_cast<msghdr*>(&headers_[i].msg_hdr);  // the CMSG macros take no const
  for (cmsghdr* c = CMSG_FIRSTHDR(h); c != nullptr; c = CMSG_NXTHDR(h, c)) {
    stun::Address a;
    a.port = port;
    if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
      in_pktinfo info{};
      std::memcpy(&info, CMSG_DATA(c), sizeof info);
      a.family = stun::Family::ipv4;
      std::memcpy(a.bytes.data(), &info.ipi_addr, 4);
      return a;
    }
    if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
      in6_pktinfo info{};
      std::memcpy(&info, CMSG_DATA(c), sizeof info);
      a.family = stun::Family::ipv6;
      std::memcpy(a.bytes.data(), &info.ipi6_addr, 16);
      return a;
    }
  }
  return std::nullopt;
}

UdpSender::UdpSender() : bytes_(new std::uint8_t[kBatch * kSlotBytes]) {}

void UdpSender::fill(mmsghdr& header, iovec& iov, sockaddr_storage& to_storage, PacketInfoSpace& control,
                     const stun::Address& to, std::span<const std::uint8_t> bytes,
                     const stun::Address* source) {
  iov = {const_cast<std::uint8_t*>(bytes.data()), bytes.size()};
  auto& h = header.msg_hdr;
  h = msghdr{};
  h.msg_name = &to_storage;
  h.msg_namelen = to_sockaddr(to, to_storage);
  h.msg_iov = &iov;
  h.msg_iovlen = 1;
  if (source == nullptr) return;
  // Answer from the address the client reached: on a host with several addresses the kernel's own choice
  // of source could be another one, and the client would not recognise the answer.
  h.msg_control = control.bytes;
  h.msg_controllen = sizeof control.bytes;
  cmsghdr* c = CMSG_FIRSTHDR(&h);
  if (source->family == stun::Family::ipv4) {
    in_pktinfo info{};
    std::memcpy(&info.ipi_spec_dst, source->bytes.data(), 4);
    c->cmsg_level = IPPROTO_IP;
    c->cmsg_type = IP_PKTINFO;
    c->cmsg_len = CMSG_LEN(sizeof info);
    std::memcpy(CMSG_DATA(c), &info, sizeof info);
    h.msg_controllen = CMSG_SPACE(sizeof info);
  } else {
    in6_pktinfo info{};
    std::memcpy(&info.ipi6_addr, source->bytes.data(), 16);
    c->cmsg_level = IPPROTO_IPV6;
    c->cmsg_type = IPV6_PKTINFO;
    c->cmsg_len = CMSG_LEN(sizeof info);
    std::memcpy(CMSG_DATA(c), &info, sizeof info);
    h.msg_controllen = CMSG_SPACE(sizeof info);
  }
}

void UdpSender::send(int fd, const stun::Address& to, std::span<const std::uint8_t> bytes,
                     const stun::Address* source) {
  if (bytes.size() > kSlotBytes) {
    // Rare (a frame from a TCP client larger than any MTU): keep the order, then send it from where it is.
    flush();
    mmsghdr header{};
    iovec iov{};
    sockaddr_storage storage{};
    PacketInfoSpace control{};
    fill(header, iov, storage, control, to, bytes, source);
    send_run(fd, &header, 1);
    return;
  }
  if (count_ == kBatch) flush();
  const std::size_t i = count_++;
  auto* slot = bytes_.get() + i * kSlotBytes;
  std::memcpy(slot, bytes.data(), bytes.size());
  fds_[i] = fd;
  fill(headers_[i], iov_[i], to_[i], control_[i], to, {slot, bytes.size()}, source);
}

void UdpSender::flush() {
  if (count_ == 0) return;
  const std::size_t n = count_;
  count_ = 0;
  const bool one_socket = std::all_of(fds_.begin(), fds_.begin() + static_cast<std::ptrdiff_t>(n),
                                      [&](int fd) { return fd == fds_[0]; });
  if (one_socket) {
    send_run(fds_[0], headers_.data(), n);
    return;
  }
  // Datagrams of one socket stay in the order they were queued; sockets follow each other in any order.
  std::array<std::uint8_t, kBatch> order{};
  std::iota(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(n), std::uint8_t{0});
  std::stable_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(n),
                   [&](std::uint8_t a, std::uint8_t b) { return fds_[a] < fds_[b]; });
  for (std::size_t i = 0; i < n; ++i)
    sorted_[i] = headers_[order[i]];
  std::size_t start = 0;
  while (start < n) {
    const int fd = fds_[order[start]];
    std::size_t end = start + 1;
    while (end < n && fds_[order[end]] == fd)
      ++end;
    send_run(fd, sorted_.data() + start, end - start);
    start = end;
  }
}

void UdpSender::send_run(int fd, mmsghdr* headers, std::size_t count) {
  std::size_t done = 0;
  while (done < count) {
    int sent = 0;
    if (count - done == 1) {
      sent = ::sendmsg(fd, &headers[done].msg_hdr, MSG_NOSIGNAL) >= 0 ? 1 : -1;
    } else {
      sent = ::sendmmsg(fd, headers + done, static_cast<unsigned>(count - done), MSG_NOSIGNAL);
    }
    if (sent < 0) {
      if (errno == EINTR) continue;
      ++failed_;  // UDP: this datagram is lost, the others still go
      ++done;
      continue;
    }
    done += static_cast<std::size_t>(sent);
  }
}

}  // namespace peerhub::net
