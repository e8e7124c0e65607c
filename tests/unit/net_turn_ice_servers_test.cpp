#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "net/turn_ice_servers.hpp"

namespace peerhub::net {
namespace {

TEST(TurnIceServers, StunAndTurnUrlsWithRestCredentials) {
  boost::json::array out;
  append_turn_ice_servers(TurnUrls{"127.0.0.1", 3478, std::nullopt}, "s3cret", "alice", 1700000000, out);
  EXPECT_EQ(boost::json::serialize(out),
            R"([{"urls":["stun:127.0.0.1:3478"]},)"
            R"({"urls":["turn:127.0.0.1:3478?transport=udp","turn:127.0.0.1:3478?transport=tcp"],)"
            R"("username":"1700000000:alice","credential":"TtElzSjT0GdnTQ9xdcRNxx96yQs="}])");
}

TEST(TurnIceServers, TlsAddsATurnsUrlAndIpv6HostsAreBracketed) {
  boost::json::array out{boost::json::object{{"urls", "stun:stun.example.org"}}};
  append_turn_ice_servers(TurnUrls{"2001:db8::1", 3478, 5349}, "s3cret", "alice", 1700000000, out);
  ASSERT_EQ(out.size(), 3u);  // what was there stays first
  EXPECT_EQ(out[1].at("urls").at(0), "stun:[2001:db8::1]:3478");
  const auto& urls = out[2].at("urls").as_array();
  ASSERT_EQ(urls.size(), 3u);
  EXPECT_EQ(urls[0], "turn:[2001:db8::1]:3478?transport=udp");
  EXPECT_EQ(urls[2], "turns:[2001:db8::1]:5349?transport=tcp");
}

}  // namespace
}  // namespace peerhub::net
