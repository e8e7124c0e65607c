#include <gtest/gtest.h>

#include <stdexcept>

#include "common/address.hpp"
#include "common/config.hpp"

namespace peerhub {
namespace {

std::string error_of(const std::string& text) {
  try {
    parse_endpoint(text);
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return "(no error)";
}

TEST(Endpoint, ParsesIpv4HostAndPort) {
  auto endpoint = parse_endpoint("127.0.0.1:8080");
  EXPECT_EQ(endpoint.host, "127.0.0.1");
  EXPECT_EQ(endpoint.port, 8080);
}

TEST(Endpoint, ParsesBracketedIpv6) {
  auto endpoint = parse_endpoint("[::1]:0");
  EXPECT_EQ(endpoint.host, "::1");
  EXPECT_EQ(endpoint.port, 0);
  EXPECT_EQ(parse_endpoint("[fe80::1:2]:65535").host, "fe80::1:2");
}

TEST(Endpoint, EmptyHostMeansEveryInterface) {
  auto endpoint = parse_endpoint(":8080");
  EXPECT_EQ(endpoint.host, "0.0.0.0");
  EXPECT_EQ(endpoint.port, 8080);
}

TEST(Endpoint, PortLimits) {
  EXPECT_EQ(parse_endpoint("10.0.0.1:65535").port, 65535);
  EXPECT_NE(error_of("10.0.0.1:65536").find("0 to 65535"), std::string::npos);
  EXPECT_NE(error_of("10.0.0.1:-1").find("port"), std::string::npos);
  EXPECT_NE(error_of("10.0.0.1:").find("port"), std::string::npos);
  EXPECT_NE(error_of("10.0.0.1:80x").find("port"), std::string::npos);
  EXPECT_NE(error_of("10.0.0.1:+80").find("port"), std::string::npos);
  EXPECT_NE(error_of("10.0.0.1:99999999999999999999999").find("port"), std::string::npos);
}

TEST(Endpoint, ClearErrorsForCommonMistakes) {
  EXPECT_NE(error_of("").find("empty"), std::string::npos);
  EXPECT_NE(error_of("127.0.0.1").find("missing :PORT"), std::string::npos);
  EXPECT_NE(error_of("::1:8080").find("brackets"), std::string::npos);
  EXPECT_NE(error_of("[::1]8080").find("missing :PORT"), std::string::npos);
  EXPECT_NE(error_of("[::1:8080").find("missing ']'"), std::string::npos);
  EXPECT_NE(error_of("[127.0.0.1]:80").find("not an IPv6"), std::string::npos);
  EXPECT_NE(error_of("256.1.1.1:80").find("not an IP address"), std::string::npos);
}

TEST(Endpoint, HostNamesAreNotResolved) {
  const auto message = error_of("localhost:8080");
  EXPECT_NE(message.find("'localhost' is not an IP address"), std::string::npos) << message;
}

TEST(Address, IpLiteralsAsNetworkOrderBytes) {
  EXPECT_EQ(parse_ip_address("192.0.2.7"), (std::vector<std::uint8_t>{192, 0, 2, 7}));
  auto v6 = parse_ip_address("::1");
  ASSERT_TRUE(v6);
  ASSERT_EQ(v6->size(), 16u);
  EXPECT_EQ(v6->back(), 1);
  EXPECT_FALSE(parse_ip_address("example.com"));
  EXPECT_FALSE(parse_ip_address("1.2.3"));
  EXPECT_FALSE(parse_ip_address(""));
}

TEST(Address, DnsNames) {
  EXPECT_TRUE(is_dns_name("localhost"));
  EXPECT_TRUE(is_dns_name("my-box.lan"));
  EXPECT_TRUE(is_dns_name("*.example.com"));
  EXPECT_TRUE(is_dns_name(std::string(63, 'a') + ".com"));
  EXPECT_FALSE(is_dns_name(std::string(64, 'a') + ".com"));
  EXPECT_FALSE(is_dns_name(""));
  EXPECT_FALSE(is_dns_name("-box.lan"));
  EXPECT_FALSE(is_dns_name("box-.lan"));
  EXPECT_FALSE(is_dns_name("a..b"));
  EXPECT_FALSE(is_dns_name("a.b."));
  EXPECT_FALSE(is_dns_name("a b"));
  EXPECT_FALSE(is_dns_name("a,DNS:evil.com"));
  EXPECT_FALSE(is_dns_name("foo.*.com"));
  EXPECT_FALSE(is_dns_name(std::string(127, 'a').append(".").append(std::string(127, 'b'))));
}

}  // namespace
}  // namespace peerhub
