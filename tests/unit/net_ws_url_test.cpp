#include <gtest/gtest.h>

#include "net/ws_client.hpp"

namespace peerhub::net {
namespace {

TEST(NetWsUrl, HostPortAndPath) {
  auto p = parse_ws_url("ws://127.0.0.1:8080/ws");
  ASSERT_EQ(p.error, "");
  EXPECT_FALSE(p.url.tls);
  EXPECT_EQ(p.url.host, "127.0.0.1");
  EXPECT_EQ(p.url.port, "8080");
  EXPECT_EQ(p.url.target, "/ws");
  p = parse_ws_url("wss://example.org");
  EXPECT_TRUE(p.url.tls);
  EXPECT_EQ(p.url.port, "443");
  EXPECT_EQ(p.url.target, "/ws");
  p = parse_ws_url("ws://[::1]:9000/signal");
  EXPECT_EQ(p.url.host, "::1");
  EXPECT_EQ(p.url.port, "9000");
  EXPECT_EQ(p.url.target, "/signal");
}

TEST(NetWsUrl, MistakesAreNamed) {
  EXPECT_NE(parse_ws_url("http://x").error.find("must start with ws:// or wss://"), std::string::npos);
  EXPECT_NE(parse_ws_url("ws://:80").error.find("no host"), std::string::npos);
  EXPECT_NE(parse_ws_url("ws://h:99999").error.find("bad port \"99999\""), std::string::npos);
  EXPECT_NE(parse_ws_url("ws://[::1").error.find("unclosed '['"), std::string::npos);
}

}  // namespace
}  // namespace peerhub::net
