#include "net/udp_batch.hpp"

#include <netinet/udp.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <numeric>

#include "net/nocancel.hpp"
#include "net/turn_sockaddr.hpp"

namespace peerhub::net {
namespace {

constexpr std::size_t kNoGroup = std::numeric_limits<std::size_t>::max();

// Any strict order in which equal destinations sit next to each other.
bool destination_less(const stun::Address& a, const stun::Address& b) {
  if (a.family != b.family) return a.family < b.family;
  if (a.port != b.port) return a.port < b.port;
  return a.bytes < b.bytes;
}

// Writes `value` as the header's only control message.
template <class Value>
void put_control(msghdr& h, int level, int type, const Value& value) {
  cmsghdr* c = CMSG_FIRSTHDR(&h);
  c->cmsg_level = level;
  c->cmsg_type = type;
  c->cmsg_len = CMSG_LEN(sizeof value);
  std::memcpy(CMSG_DATA(c), &value, sizeof value);
  h.msg_controllen = CMSG_SPACE(sizeof value);
}

}  // namespace

UdpReceiver::UdpReceiver() : bytes_(new std::uint8_t[kBatch * kDatagramBytes]) {
  for (std::size_t i = 0; i < kBatch; ++i) {
    iov_[i] = {bytes_.get() + i * kDatagramBytes, kDatagramBytes};
    auto& h = headers_[i].msg_hdr;
    h.msg_iov = &iov_[i];
    h.msg_iovlen = 1;
    h.msg_name = &from_[i];
    h.msg_namelen = sizeof(sockaddr_storage);
    h.msg_control = control_[i].bytes;
    h.msg_controllen = sizeof(PacketInfoSpace);
  }
}

int UdpReceiver::receive(int fd) {
  // The kernel shrinks these to what each datagram used; give the slots the last call filled their full
  // room again (the others are untouched).
  for (std::size_t i = 0; i < filled_; ++i) {
    headers_[i].msg_hdr.msg_namelen = sizeof(sockaddr_storage);
    headers_[i].msg_hdr.msg_controllen = sizeof(PacketInfoSpace);
  }
  filled_ = 0;
  while (true) {
    const int n = nocancel::recvmmsg(fd, headers_.data(), kBatch, MSG_DONTWAIT);
    if (n >= 0) {
      filled_ = static_cast<std::size_t>(n);
      return n;
    }
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
  if (source->family == stun::Family::ipv4) {
    in_pktinfo info{};
    std::memcpy(&info.ipi_spec_dst, source->bytes.data(), 4);
    put_control(h, IPPROTO_IP, IP_PKTINFO, info);
  } else {
    in6_pktinfo info{};
    std::memcpy(&info.ipi6_addr, source->bytes.data(), 16);
    put_control(h, IPPROTO_IPV6, IPV6_PKTINFO, info);
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
    send_run(fd, &header, 1, kNoGroup);
    return;
  }
  if (count_ == kBatch) flush();
  const std::size_t i = count_++;
  auto* slot = bytes_.get() + i * kSlotBytes;
  if (!bytes.empty()) std::memcpy(slot, bytes.data(), bytes.size());  // an empty span may hold no pointer
  fds_[i] = fd;
  destinations_[i] = to;
  has_source_[i] = source != nullptr;
  if (source != nullptr) sources_[i] = *source;
  fill(headers_[i], iov_[i], to_[i], control_[i], to, {slot, bytes.size()}, source);
}

bool UdpSender::gso_usable(int fd) {
  if (gso_ == Gso::unknown) {
    // Kernels before 4.18 know no UDP_SEGMENT: they refuse the option, and would refuse the cmsg too.
    int size = 0;
    socklen_t length = sizeof size;
    gso_ = ::getsockopt(fd, SOL_UDP, UDP_SEGMENT, &size, &length) == 0 ? Gso::on : Gso::off;
  }
  return gso_ == Gso::on;
}

std::size_t UdpSender::group_end(std::size_t start, std::size_t n) const {
  const std::size_t first = order_[start];
  const std::size_t size = iov_[first].iov_len;
  std::size_t end = start + 1;
  if (gso_ != Gso::on || size == 0 || size > gso_max_segment_) return end;
  std::size_t total = size;
  while (end < n && end - start < kMaxSegments) {
    const std::size_t i = order_[end];
    const std::size_t length = iov_[i].iov_len;
    if (fds_[i] != fds_[first] || destinations_[i] != destinations_[first] ||
        has_source_[i] != has_source_[first] || (has_source_[i] && sources_[i] != sources_[first])) {
      break;
    }
    // The kernel cuts a super-datagram every `size` bytes: only the last piece may be shorter.
    if (length == 0 || length > size || total + length > kMaxGsoBytes) break;
    total += length;
    ++end;
    if (length < size) break;
  }
  return end;
}

void UdpSender::add_group(std::size_t start, std::size_t end) {
  const std::size_t g = groups_++;
  const std::size_t first = order_[start];
  group_start_[g] = static_cast<std::uint8_t>(start);
  group_size_[g] = static_cast<std::uint8_t>(end - start);
  out_[g] = headers_[first];
  if (end - start == 1) return;
  // The datagrams stay in their slots: the super-datagram gathers them (one iovec each).
  for (std::size_t k = start; k < end; ++k)
    out_iov_[k] = iov_[order_[k]];
  auto& h = out_[g].msg_hdr;
  h.msg_iov = &out_iov_[start];
  h.msg_iovlen = end - start;
  auto& control = out_control_[g];
  std::memset(control.bytes, 0, sizeof control.bytes);
  const std::size_t used = h.msg_control != nullptr ? h.msg_controllen : 0;
  if (used > 0) std::memcpy(control.bytes, h.msg_control, used);
  // udp(7) UDP_SEGMENT: the segment size rides along as a cmsg of this one send.
  auto* c = reinterpret_cast<cmsghdr*>(control.bytes + used);
  c->cmsg_level = SOL_UDP;
  c->cmsg_type = UDP_SEGMENT;
  c->cmsg_len = CMSG_LEN(sizeof(std::uint16_t));
  const auto segment = static_cast<std::uint16_t>(iov_[first].iov_len);
  std::memcpy(CMSG_DATA(c), &segment, sizeof segment);
  h.msg_control = control.bytes;
  h.msg_controllen = used + CMSG_SPACE(sizeof(std::uint16_t));
}

void UdpSender::flush() {
  if (count_ == 0) return;
  const std::size_t n = count_;
  count_ = 0;
  // By socket, then by destination, then by queue position, so the datagrams of one flow keep the order they
  // were queued in (std::stable_sort would do the same, but takes a heap buffer on every flush).
  std::iota(order_.begin(), order_.begin() + static_cast<std::ptrdiff_t>(n), std::uint8_t{0});
  std::sort(order_.begin(), order_.begin() + static_cast<std::ptrdiff_t>(n),
            [&](std::uint8_t a, std::uint8_t b) {
              if (fds_[a] != fds_[b]) return fds_[a] < fds_[b];
              if (destinations_[a] != destinations_[b])
                return destination_less(destinations_[a], destinations_[b]);
              return a < b;
            });
  gso_usable(fds_[order_[0]]);
  groups_ = 0;
  for (std::size_t start = 0; start < n;) {
    const std::size_t end = group_end(start, n);
    add_group(start, end);
    start = end;
  }
  for (std::size_t g = 0; g < groups_;) {
    const int fd = fds_[order_[group_start_[g]]];
    std::size_t end = g + 1;
    while (end < groups_ && fds_[order_[group_start_[end]]] == fd)
      ++end;
    send_run(fd, out_.data() + g, end - g, g);
    g = end;
  }
}

bool UdpSender::send_plain(int fd, std::size_t group) {
  std::array<mmsghdr, kMaxSegments> headers{};
  const std::size_t count = group_size_[group];
  for (std::size_t k = 0; k < count; ++k)
    headers[k] = headers_[order_[group_start_[group] + k]];
  return send_run(fd, headers.data(), count, kNoGroup);
}

bool UdpSender::send_run(int fd, mmsghdr* headers, std::size_t count, std::size_t first_group) {
  std::size_t done = 0;
  while (done < count) {
    int sent = 0;
    if (count - done == 1) {
      sent = nocancel::sendmsg(fd, &headers[done].msg_hdr, MSG_NOSIGNAL) >= 0 ? 1 : -1;
    } else {
      sent = nocancel::sendmmsg(fd, headers + done, static_cast<unsigned>(count - done), MSG_NOSIGNAL);
    }
    if (sent < 0) {
      if (errno == EINTR) continue;
      if (on_refused_ && (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS)) {
        refuse(fd, headers, done, count);
        return false;
      }
      const std::size_t size = first_group == kNoGroup ? 1 : group_size_[first_group + done];
      if (size > 1 && (errno == EIO || errno == EINVAL || errno == EMSGSIZE)) {
        // The GSO send itself was refused: EIO, a device that cannot checksum (then never again); EINVAL or
        // EMSGSIZE, a segment larger than the path's MTU allows. The datagrams go one by one instead.
        if (errno == EIO) {
          gso_ = Gso::off;
        } else {
          gso_max_segment_ = std::min(gso_max_segment_, headers[done].msg_hdr.msg_iov[0].iov_len - 1);
        }
        if (!send_plain(fd, first_group + done)) {
          refuse(fd, headers, done + 1, count);
          return false;
        }
      } else {
        failed_ += size;  // UDP: these datagrams are lost, the others still go
      }
      ++done;
      continue;
    }
    if (first_group != kNoGroup) {
      for (std::size_t k = done; k < done + static_cast<std::size_t>(sent); ++k) {
        if (group_size_[first_group + k] > 1) coalesced_ += group_size_[first_group + k];
      }
    }
    done += static_cast<std::size_t>(sent);
  }
  return true;
}

void UdpSender::refuse(int fd, const mmsghdr* headers, std::size_t from, std::size_t count) {
  for (std::size_t k = from; k < count; ++k) {
    const auto& h = headers[k].msg_hdr;
    const auto to = to_stun(*static_cast<const sockaddr_storage*>(h.msg_name));
    // A GSO group gathers its datagrams one iovec each; a plain datagram is one iovec.
    for (std::size_t v = 0; v < h.msg_iovlen; ++v) {
      on_refused_(fd, to, {static_cast<const std::uint8_t*>(h.msg_iov[v].iov_base), h.msg_iov[v].iov_len});
    }
  }
}

}  // namespace peerhub::net
