#include "net/interfaces.hpp"

#include <gtest/gtest.h>

namespace peerhub::net {
namespace {

std::vector<LocalAddress> machine() {
  return {
      {"lo", *stun::Address::parse("127.0.0.1:0"), true},
      {"lo", *stun::Address::parse("[::1]:0"), true},
      {"eth0", *stun::Address::parse("10.1.2.3:0"), false},
      {"eth0", *stun::Address::parse("[2001:db8::5]:0"), false},
      {"veth7", *stun::Address::parse("172.17.0.1:0"), false},
  };
}

std::vector<std::string> names(const InterfaceList& list) {
  std::vector<std::string> out;
  for (const auto& a : list.addresses)
    out.push_back(a.interface_name + " " + stun::ip_to_string(a.address));
  return out;
}

TEST(NetInterfaces, LoopbackOnlyWhenAskedFor) {
  EXPECT_EQ(names(filter_addresses(machine(), {})),
            (std::vector<std::string>{"eth0 10.1.2.3", "eth0 2001:db8::5", "veth7 172.17.0.1"}));
  InterfaceFilter with_loopback;
  with_loopback.allow_loopback = true;
  EXPECT_EQ(filter_addresses(machine(), with_loopback).addresses.size(), 5U);
}

TEST(NetInterfaces, IncludeByNameOrRangeExcludeByPrefix) {
  InterfaceFilter only_lo{{"127.0.0.0/8"}, {}, false, true};
  EXPECT_EQ(names(filter_addresses(machine(), only_lo)), (std::vector<std::string>{"lo 127.0.0.1"}));
  InterfaceFilter eth{{"eth0"}, {}, false, false};
  EXPECT_EQ(names(filter_addresses(machine(), eth)), (std::vector<std::string>{"eth0 10.1.2.3"}));
  InterfaceFilter no_veth{{}, {"veth*", "2001:db8::/32"}, false, true};
  EXPECT_EQ(names(filter_addresses(machine(), no_veth)), (std::vector<std::string>{"eth0 10.1.2.3"}));
}

TEST(NetInterfaces, BadEntriesAreRefusedInWords) {
  InterfaceFilter bad{{"10.0.0.0/33"}, {}, false, true};
  const auto list = filter_addresses(machine(), bad);
  EXPECT_TRUE(list.addresses.empty());
  EXPECT_NE(list.error.find("bad interface filter \"10.0.0.0/33\""), std::string::npos) << list.error;
}

TEST(NetInterfaces, TheMachineHasLoopback) {
  InterfaceFilter lo{{"127.0.0.1"}, {}, false, false};
  const auto list = local_addresses(lo);
  ASSERT_EQ(list.error, "");
  ASSERT_EQ(list.addresses.size(), 1U);
  EXPECT_TRUE(list.addresses[0].loopback);
}

}  // namespace
}  // namespace peerhub::net
