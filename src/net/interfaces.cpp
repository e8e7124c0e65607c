#include "net/interfaces.hpp"

#include "net/turn_sockaddr.hpp"

#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <optional>

namespace peerhub::net {
namespace {

struct Range {
  stun::Address base;
  unsigned prefix = 0;
};

std::optional<Range> parse_range(const std::string& entry) {
  const auto slash = entry.find('/');
  const auto ip = stun_address(entry.substr(0, slash), 0);
  if (!ip) return std::nullopt;
  const unsigned bits = ip->family == stun::Family::ipv4 ? 32 : 128;
  unsigned prefix = bits;
  if (slash != std::string::npos) {
    const std::string digits = entry.substr(slash + 1);
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
    if (ec != std::errc() || end != digits.data() + digits.size() || prefix > bits) return std::nullopt;
  }
  return Range{*ip, prefix};
}

bool in_range(const stun::Address& address, const Range& range) {
  if (address.family != range.base.family) return false;
  for (unsigned bit = 0; bit < range.prefix; ++bit) {
    const unsigned byte = bit / 8;
    const auto mask = static_cast<std::uint8_t>(0x80U >> (bit % 8));
    if ((address.bytes[byte] & mask) != (range.base.bytes[byte] & mask)) return false;
  }
  return true;
}

bool looks_like_address(const std::string& entry) {
  return !entry.empty() &&
         (entry.find('/') != std::string::npos || entry.find(':') != std::string::npos ||
          std::all_of(entry.begin(), entry.end(), [](char c) { return c == '.' || (c >= '0' && c <= '9'); }));
}

// Whether `entry` (a name, a name prefix with '*', or a range) matches; nullopt when the entry is malformed.
std::optional<bool> matches(const std::string& entry, const LocalAddress& local) {
  if (looks_like_address(entry)) {
    const auto range = parse_range(entry);
    if (!range) return std::nullopt;
    return in_range(local.address, *range);
  }
  if (entry.ends_with('*')) return local.interface_name.starts_with(entry.substr(0, entry.size() - 1));
  return local.interface_name == entry;
}

}  // namespace

InterfaceList filter_addresses(const std::vector<LocalAddress>& all, const InterfaceFilter& filter) {
  InterfaceList out;
  for (const auto* list : {&filter.include, &filter.exclude}) {
    for (const auto& entry : *list) {
      if (entry.empty() || (looks_like_address(entry) && !parse_range(entry))) {
        out.error = "bad interface filter \"" + entry +
                    "\": give an interface name, a prefix like veth*, or an "
                    "address range like 10.0.0.0/8";
        return out;
      }
    }
  }
  for (const auto& local : all) {
    if (!filter.ipv6 && local.address.family == stun::Family::ipv6) continue;
    bool included = filter.include.empty();
    for (const auto& entry : filter.include)
      included = included || *matches(entry, local);
    if (!included) continue;
    bool excluded = false;
    for (const auto& entry : filter.exclude)
      excluded = excluded || *matches(entry, local);
    if (excluded) continue;
    // Loopback only when allowed, or when an include entry picked it out by name or range.
    if (local.loopback && !filter.allow_loopback && filter.include.empty()) continue;
    out.addresses.push_back(local);
  }
  return out;
}

InterfaceList local_addresses(const InterfaceFilter& filter) {
  std::vector<LocalAddress> all;
  ifaddrs* head = nullptr;
  if (getifaddrs(&head) != 0)
    return {{}, std::string("cannot list the network interfaces: ") + std::strerror(errno)};
  for (const ifaddrs* it = head; it != nullptr; it = it->ifa_next) {
    if (it->ifa_addr == nullptr || (it->ifa_flags & IFF_UP) == 0) continue;
    LocalAddress local;
    local.interface_name = it->ifa_name;
    local.loopback = (it->ifa_flags & IFF_LOOPBACK) != 0;
    if (it->ifa_addr->sa_family == AF_INET) {
      const auto* v4 = reinterpret_cast<const sockaddr_in*>(it->ifa_addr);
      std::array<std::uint8_t, 4> ip{};
      std::memcpy(ip.data(), &v4->sin_addr, 4);
      local.address = stun::Address::v4(ip, 0);
    } else if (it->ifa_addr->sa_family == AF_INET6) {
      const auto* v6 = reinterpret_cast<const sockaddr_in6*>(it->ifa_addr);
      std::array<std::uint8_t, 16> ip{};
      std::memcpy(ip.data(), &v6->sin6_addr, 16);
      if (ip[0] == 0xfe && (ip[1] & 0xc0) == 0x80) continue;  // link-local
      local.address = stun::Address::v6(ip, 0);
    } else {
      continue;
    }
    all.push_back(std::move(local));
  }
  freeifaddrs(head);
  return filter_addresses(all, filter);
}

}  // namespace peerhub::net
