// rest_credential() against values computed outside peerhub:
//   printf '%s' USERNAME | openssl dgst -sha1 -hmac SECRET -binary | base64
#include <gtest/gtest.h>

#include "turn/server.hpp"

namespace peerhub::turn {
namespace {

TEST(RestCredential, UsernameIsExpiryColonName) {
  const auto c = rest_credential("s3cret", "alice", 1700000000);
  EXPECT_EQ(c.username, "1700000000:alice");
}

TEST(RestCredential, PasswordIsBase64OfHmacSha1OfTheUsername) {
  EXPECT_EQ(rest_credential("s3cret", "alice", 1700000000).password, "TtElzSjT0GdnTQ9xdcRNxx96yQs=");
  // A name may hold colons: only the first one ends the expiry.
  EXPECT_EQ(rest_credential("another secret", "bob:with:colons", 4102444800).password,
            "dtdbAGrceLBC2Ff1Y9Uvixnsl+A=");
}

TEST(RestCredential, EachExpiryAndSecretGivesAnotherPassword) {
  const auto a = rest_credential("north", "carol", 1700003600);
  EXPECT_EQ(a.password, "smlVqvGOa0QLDypQa4oTCFRCgpU=");
  EXPECT_NE(rest_credential("north", "carol", 1700003601).password, a.password);
  EXPECT_NE(rest_credential("south", "carol", 1700003600).password, a.password);
}

}  // namespace
}  // namespace peerhub::turn
