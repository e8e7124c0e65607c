// stun::Address in text form for logs and configuration, and the reason phrases of the error codes.
#include <gtest/gtest.h>

#include "stun/address.hpp"
#include "stun/error_code.hpp"

namespace peerhub::stun {
namespace {

TEST(StunAddress, Format) {
  EXPECT_EQ(to_string(Address::v4({192, 0, 2, 1}, 3478)), "192.0.2.1:3478");
  EXPECT_EQ(to_string(Address::v6({0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 5349)),
            "[2001:db8::1]:5349");
  EXPECT_EQ(ip_to_string(Address::v4({10, 0, 0, 255}, 1)), "10.0.0.255");
  EXPECT_EQ(to_string(Address{}), "0.0.0.0:0");
}

TEST(StunAddress, Parse) {
  const auto v4 = Address::parse("198.51.100.7:65535");
  ASSERT_TRUE(v4.has_value());
  EXPECT_EQ(v4->family, Family::ipv4);
  EXPECT_EQ(v4->port, 65535);
  EXPECT_EQ(*v4, Address::v4({198, 51, 100, 7}, 65535));
  const auto v6 = Address::parse("[::ffff:192.0.2.1]:80");
  ASSERT_TRUE(v6.has_value());
  EXPECT_EQ(v6->family, Family::ipv6);
  EXPECT_EQ(to_string(*v6), "[::ffff:192.0.2.1]:80");
  EXPECT_EQ(v6->ip().size(), 16U);
  EXPECT_EQ(v4->ip().size(), 4U);
  for (const char* bad : {"", "1.2.3.4", "1.2.3.4:", "1.2.3.4:65536", "1.2.3.4:-1", "1.2.3.4:80x", "::1:80",
                          "[::1]", "[::1]80", "[1.2.3.4]:80", "host:80", "1.2.3:80", "[::1:80"})
    EXPECT_FALSE(Address::parse(bad).has_value()) << bad;
}

TEST(StunErrorCode, ReasonPhrases) {
  EXPECT_EQ(reason_phrase(kTryAlternate), "Try Alternate");
  EXPECT_EQ(reason_phrase(kBadRequest), "Bad Request");
  EXPECT_EQ(reason_phrase(kUnauthenticated), "Unauthenticated");
  EXPECT_EQ(reason_phrase(kForbidden), "Forbidden");
  EXPECT_EQ(reason_phrase(kUnknownAttribute), "Unknown Attribute");
  EXPECT_EQ(reason_phrase(kAllocationMismatch), "Allocation Mismatch");
  EXPECT_EQ(reason_phrase(kStaleNonce), "Stale Nonce");
  EXPECT_EQ(reason_phrase(kAddressFamilyNotSupported), "Address Family not Supported");
  EXPECT_EQ(reason_phrase(kWrongCredentials), "Wrong Credentials");
  EXPECT_EQ(reason_phrase(kUnsupportedTransportProtocol), "Unsupported Transport Protocol");
  EXPECT_EQ(reason_phrase(kPeerAddressFamilyMismatch), "Peer Address Family Mismatch");
  EXPECT_EQ(reason_phrase(kConnectionAlreadyExists), "Connection Already Exists");
  EXPECT_EQ(reason_phrase(kConnectionTimeoutOrFailure), "Connection Timeout or Failure");
  EXPECT_EQ(reason_phrase(kAllocationQuotaReached), "Allocation Quota Reached");
  EXPECT_EQ(reason_phrase(kRoleConflict), "Role Conflict");
  EXPECT_EQ(reason_phrase(kServerError), "Server Error");
  EXPECT_EQ(reason_phrase(kInsufficientCapacity), "Insufficient Capacity");
  EXPECT_EQ(reason_phrase(499), "");
}

}  // namespace
}  // namespace peerhub::stun
