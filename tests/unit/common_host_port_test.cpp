#include <gtest/gtest.h>

#include "common/host_port.hpp"

namespace peerhub {
namespace {

TEST(HostPort, NamesAddressesAndOptionalPorts) {
  auto p = split_host_port("turn.example.org:3479");
  EXPECT_EQ(p.host, "turn.example.org");
  EXPECT_EQ(p.port, 3479);
  p = split_host_port("127.0.0.1");
  EXPECT_EQ(p.host, "127.0.0.1");
  EXPECT_FALSE(p.port);
  p = split_host_port("[2001:db8::1]:5349");
  EXPECT_EQ(p.host, "2001:db8::1");
  EXPECT_EQ(p.port, 5349);
  EXPECT_EQ(split_host_port("[::1]").error, "");
}

TEST(HostPort, MistakesAreNamed) {
  EXPECT_EQ(split_host_port("[::1").error, "unclosed '['");
  EXPECT_EQ(split_host_port("[::1]x").error, "expected ':' after ']'");
  EXPECT_EQ(split_host_port("h:0").error, "bad port \"0\"");
  EXPECT_EQ(split_host_port("h:65536").error, "bad port \"65536\"");
  EXPECT_EQ(split_host_port(":80").error, "no host");
}

}  // namespace
}  // namespace peerhub
