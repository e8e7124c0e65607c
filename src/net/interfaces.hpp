// The machine's addresses that can carry ICE host candidates, read from getifaddrs(3), filtered the way the
// person running the peer asked: by interface name or address range, loopback only when asked for (a browser
// on the same machine needs it; anywhere else it is noise).
#pragma once

#include <string>
#include <vector>

#include "stun/address.hpp"

namespace peerhub::net {

struct LocalAddress {
  std::string interface_name;
  stun::Address address;  // port 0
  bool loopback = false;
};

struct InterfaceFilter {
  // Each entry is an interface name ("eth0"), a name prefix ending in '*' ("veth*"), or a CIDR range
  // ("10.0.0.0/8", "::1/128", a bare address means just that one). Empty include = everything not excluded.
  std::vector<std::string> include;
  std::vector<std::string> exclude;
  bool allow_loopback = false;  // an include entry that names loopback turns it on too
  bool ipv6 = true;
};

// A bad filter entry is reported in words; nothing is listed then.
struct InterfaceList {
  std::vector<LocalAddress> addresses;
  std::string error;
};

// Pure: filters what getifaddrs gave (split out so it is testable without the machine's interfaces).
InterfaceList filter_addresses(const std::vector<LocalAddress>& all, const InterfaceFilter& filter);
// The machine's up interfaces, filtered. IPv6 link-local (fe80::/10) addresses are left out: they need a
// scope id that a candidate cannot carry.
InterfaceList local_addresses(const InterfaceFilter& filter);

}  // namespace peerhub::net
