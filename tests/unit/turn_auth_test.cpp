// The long-term credential mechanism (RFC 8489 §9.2.4) as every TURN request meets it: the 401 challenge,
// MD5 and SHA-256 keys, MESSAGE-INTEGRITY-SHA256, stale nonces, wrong passwords, REST credentials, USERHASH —
// and no state at all for a request that does not authenticate.
#include <string>

#include "turn/nonce.hpp"
#include "turn/rest_password.hpp"
#include "turn_harness.hpp"

namespace peerhub::turn::testing {
namespace {

TEST(TurnAuth, FirstRequestIsChallengedWithRealmNonceAndAlgorithms) {
  Harness h;
  Client c(h, Harness::tuple(1));
  const Response r = c.request(stun::Method::allocate, [](stun::Builder& b) {
    b.add<stun::attr::RequestedTransport>(stun::attr::RequestedTransport::kUdp);
  });
  EXPECT_EQ(r.code(), 401);
  EXPECT_EQ(*r.get<stun::attr::Realm>(), "example.org");
  const std::string nonce(*r.get<stun::attr::Nonce>());
  EXPECT_EQ(nonce.substr(0, 13), "obMatJos2AAAB");  // the cookie, "password algorithms" set (erratum 6290)
  EXPECT_LT(nonce.size(), 128U);                    // RFC 8489 §14.10
  const auto algorithms = r.get<stun::attr::PasswordAlgorithms>();
  ASSERT_TRUE(algorithms.ok());
  EXPECT_TRUE(algorithms->contains(1));
  EXPECT_TRUE(algorithms->contains(2));
  // The challenge is not signed: the server does not know who is asking.
  EXPECT_FALSE(r.has(stun::AttrType::message_integrity));
  EXPECT_FALSE(r.has(stun::AttrType::message_integrity_sha256));
  EXPECT_EQ(*r.get<stun::attr::Software>(), "peerhub");
}

TEST(TurnAuth, Md5CredentialsAllocateAndTheAnswerIsSignedWithThem) {
  Harness h;
  Client c(h, Harness::tuple(1));
  const Response r = c.allocate();
  ASSERT_TRUE(r.success()) << r.code();
  const auto key = stun::long_term_key("alice", "example.org", "alice-pass");
  EXPECT_EQ(stun::verify_message_integrity(r.message(), key->bytes()), stun::Error::none);
  EXPECT_EQ(h.server().allocation_count(), 1U);
}

TEST(TurnAuth, Sha256PasswordAlgorithmAndMessageIntegritySha256) {
  Harness h;
  Credentials creds;
  creds.algorithm = stun::PasswordAlgorithm::sha256;
  creds.send_algorithms = true;
  creds.sha256_integrity = true;
  Client c(h, Harness::tuple(1), creds);
  const Response r = c.allocate();
  ASSERT_TRUE(r.success()) << r.code();
  // §9.2.4: the answer uses the integrity attribute the request used, with the SHA-256 key.
  EXPECT_FALSE(r.has(stun::AttrType::message_integrity));
  const auto key = stun::long_term_key("alice", "example.org", "alice-pass", stun::PasswordAlgorithm::sha256);
  EXPECT_EQ(stun::verify_message_integrity_sha256(r.message(), key->bytes()), stun::Error::none);
}

TEST(TurnAuth, Sha256KeyWithClassicMessageIntegrity) {
  Harness h;
  Credentials creds;
  creds.algorithm = stun::PasswordAlgorithm::sha256;
  creds.send_algorithms = true;
  Client c(h, Harness::tuple(1), creds);
  const Response r = c.allocate();
  ASSERT_TRUE(r.success()) << r.code();
  const auto key = stun::long_term_key("alice", "example.org", "alice-pass", stun::PasswordAlgorithm::sha256);
  EXPECT_EQ(stun::verify_message_integrity(r.message(), key->bytes()), stun::Error::none);
}

TEST(TurnAuth, Md5KeyWithMessageIntegritySha256) {
  Harness h;
  Credentials creds;
  creds.sha256_integrity = true;
  Client c(h, Harness::tuple(1), creds);
  const Response r = c.allocate();
  ASSERT_TRUE(r.success()) << r.code();
  EXPECT_TRUE(r.has(stun::AttrType::message_integrity_sha256));
}

TEST(TurnAuth, PasswordAlgorithmsThatDoNotRepeatTheOfferAreBadRequest) {
  Harness h;
  Client c(h, Harness::tuple(1));
  c.learn(c.allocate());  // 401… then success: now holds a nonce
  Client d(h, Harness::tuple(2));
  d.learn(d.request(stun::Method::allocate));
  // Only PASSWORD-ALGORITHM, no list: 400 (§9.2.4).
  Response r = d.request(stun::Method::allocate, [](stun::Builder& b) {
    b.add<stun::attr::RequestedTransport>(17);
    b.add<stun::attr::PasswordAlgorithm>({1, {}});
  });
  EXPECT_EQ(r.code(), 400);
  // A list that is not the server's (a bid-down attempt): 400.
  r = d.request(stun::Method::allocate, [](stun::Builder& b) {
    b.add<stun::attr::RequestedTransport>(17);
    const stun::PasswordAlgorithmEntry only_md5[] = {{1, {}}};
    b.add<stun::attr::PasswordAlgorithms>(only_md5);
    b.add<stun::attr::PasswordAlgorithm>({1, {}});
  });
  EXPECT_EQ(r.code(), 400);
  // An algorithm that is not in the list: 400.
  r = d.request(stun::Method::allocate, [](stun::Builder& b) {
    b.add<stun::attr::RequestedTransport>(17);
    const stun::PasswordAlgorithmEntry offered[] = {{2, {}}, {1, {}}};
    b.add<stun::attr::PasswordAlgorithms>(offered);
    b.add<stun::attr::PasswordAlgorithm>({3, {}});
  });
  EXPECT_EQ(r.code(), 400);
  EXPECT_EQ(h.server().allocation_count(), 1U);
}

TEST(TurnAuth, WrongPasswordIs401WithAFreshNonceAndCounted) {
  Harness h;
  Credentials creds;
  creds.password = "wrong";
  Client c(h, Harness::tuple(1), creds);
  const Response r = c.allocate();
  EXPECT_EQ(r.code(), 401);
  EXPECT_TRUE(r.has(stun::AttrType::nonce));
  EXPECT_TRUE(r.has(stun::AttrType::realm));
  EXPECT_EQ(h.metrics().refused_auth, 1U);
  EXPECT_EQ(h.server().allocation_count(), 0U);
}

TEST(TurnAuth, UnknownUserAndWrongRealmAre401) {
  Harness h;
  Credentials nobody;
  nobody.username = "mallory";
  Client c(h, Harness::tuple(1), nobody);
  EXPECT_EQ(c.allocate().code(), 401);
  Credentials realm;
  realm.realm = "other.org";
  Client d(h, Harness::tuple(2), realm);
  EXPECT_EQ(d.allocate().code(), 401);
  EXPECT_EQ(h.metrics().refused_auth, 2U);
}

TEST(TurnAuth, IntegrityWithoutUsernameRealmOrNonceIsBadRequest) {
  Harness h;
  Client c(h, Harness::tuple(1));
  const auto key = stun::long_term_key("alice", "example.org", "alice-pass");
  Bytes bytes;
  stun::Builder b(bytes, stun::Method::allocate, stun::Class::request, c.new_id());
  b.add<stun::attr::RequestedTransport>(17);
  b.add<stun::attr::Username>("alice");
  b.add_message_integrity(key->bytes());
  ASSERT_TRUE(b.ok());
  const Response r = h.exchange(c.tuple(), bytes);
  EXPECT_EQ(r.code(), 400);
  EXPECT_FALSE(r.has(stun::AttrType::message_integrity));
}

TEST(TurnAuth, StaleNonceIs438WithANewNonceThenTheRetrySucceeds) {
  Harness h;
  Client c(h, Harness::tuple(1));
  c.learn(c.request(stun::Method::allocate));
  const std::string first = c.nonce();
  h.advance(601s);  // nonce_lifetime is 600 s
  const Response r =
      c.request(stun::Method::allocate, [](stun::Builder& b) { b.add<stun::attr::RequestedTransport>(17); });
  EXPECT_EQ(r.code(), 438);
  EXPECT_TRUE(r.has(stun::AttrType::realm));
  EXPECT_TRUE(r.has(stun::AttrType::password_algorithms));
  c.learn(r);
  EXPECT_NE(c.nonce(), first);
  EXPECT_TRUE(c.request(stun::Method::allocate, [](stun::Builder& b) {
                 b.add<stun::attr::RequestedTransport>(17);
               }).success());
}

TEST(TurnAuth, ANonceIsBoundToTheClientAddress) {
  Harness h;
  Client c(h, Harness::tuple(1));
  c.learn(c.request(stun::Method::allocate));
  Client thief(h, Harness::tuple(2));
  thief.learn(thief.request(stun::Method::allocate));  // its own realm and nonce…
  thief.nonce() = c.nonce();                           // …swapped for the one given to tuple 1
  const Response r = thief.request(stun::Method::allocate,
                                   [](stun::Builder& b) { b.add<stun::attr::RequestedTransport>(17); });
  EXPECT_EQ(r.code(), 438);
}

TEST(TurnAuth, StaleNonceWithAWrongPasswordIs401Not438) {
  Harness h;
  Credentials creds;
  creds.password = "wrong";
  Client c(h, Harness::tuple(1), creds);
  c.learn(c.request(stun::Method::allocate));
  h.advance(601s);
  EXPECT_EQ(
      c.request(stun::Method::allocate, [](stun::Builder& b) { b.add<stun::attr::RequestedTransport>(17); })
          .code(),
      401);
}

TEST(TurnAuth, ForgedNonceIsStale) {
  Harness h;
  Client c(h, Harness::tuple(1));
  c.learn(c.request(stun::Method::allocate));
  std::string forged = c.nonce();
  forged[20] = forged[20] == 'A' ? 'B' : 'A';
  c.nonce() = forged;
  EXPECT_EQ(
      c.request(stun::Method::allocate, [](stun::Builder& b) { b.add<stun::attr::RequestedTransport>(17); })
          .code(),
      438);
  c.nonce() = "plain-nonce";
  EXPECT_EQ(
      c.request(stun::Method::allocate, [](stun::Builder& b) { b.add<stun::attr::RequestedTransport>(17); })
          .code(),
      438);
}

TEST(TurnAuth, RestCredentialsValidExpiredAndBad) {
  Harness h;
  // Valid until 1 hour from the harness's start.
  const std::string user = std::to_string(kUnixStart + 3600) + ":carol";
  Credentials rest;
  rest.username = user;
  rest.password = "Eq7oRu4PpPTReDouiK36j6i0ES8=";  // base64(HMAC-SHA1("rest-secret", user)), by Python's hmac
  ASSERT_EQ(user, "1700003600:carol");
  Client c(h, Harness::tuple(1), rest);
  EXPECT_TRUE(c.allocate().success());

  // The same username after its expiry: 401 (the allocation itself runs until its lifetime ends).
  h.advance(3601s);
  Client late(h, Harness::tuple(2), rest);
  EXPECT_EQ(late.allocate().code(), 401);

  // A password that is not the HMAC of the username.
  Credentials bad = rest;
  bad.username = std::to_string(kUnixStart + 7200) + ":carol";
  Client forged(h, Harness::tuple(3), bad);
  EXPECT_EQ(forged.allocate().code(), 401);

  // Not a REST username at all (no digits before the colon).
  Credentials odd;
  odd.username = "carol:1700003600";
  odd.password = "x";
  Client wrong(h, Harness::tuple(4), odd);
  EXPECT_EQ(wrong.allocate().code(), 401);
  EXPECT_EQ(h.server().allocation_count(), 1U);
}

TEST(TurnAuth, RestPasswordMatchesCoturnsScheme) {
  const auto p = rest_password("north", "1735689600:alice");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(std::string(p->begin(), p->end()), "HbvWA6hGDtdv3wflBolXLhvzs0w=");  // Python's hmac + base64
  EXPECT_FALSE(rest_password("", "1:a").has_value());
  EXPECT_EQ(rest_expiry("1735689600:alice"), 1735689600);
  EXPECT_EQ(rest_expiry("17:a:b"), 17);
  EXPECT_FALSE(rest_expiry(":alice").has_value());
  EXPECT_FALSE(rest_expiry("alice").has_value());
  EXPECT_FALSE(rest_expiry("12a:alice").has_value());
  EXPECT_FALSE(rest_expiry("1234567890123456789:x").has_value());  // 19 digits: could overflow
}

TEST(TurnAuth, RestCredentialsOffWithoutASecret) {
  ServerConfig config = default_config();
  config.rest_secret.clear();
  Harness h(config);
  Credentials rest;
  rest.username = "1700003600:carol";
  rest.password = "Eq7oRu4PpPTReDouiK36j6i0ES8=";
  Client c(h, Harness::tuple(1), rest);
  EXPECT_EQ(c.allocate().code(), 401);
}

TEST(TurnAuth, UserhashNamesAStaticUser) {
  Harness h;
  Credentials creds;
  creds.userhash = true;
  Client c(h, Harness::tuple(1), creds);
  EXPECT_TRUE(c.allocate().success());
  Credentials bad = creds;
  bad.username = "nobody";
  Client d(h, Harness::tuple(2), bad);
  EXPECT_EQ(d.allocate().code(), 401);
}

TEST(TurnAuth, NothingIsKeptForUnauthenticatedRequests) {
  Harness h;
  Credentials creds;
  creds.password = "wrong";
  for (std::uint8_t i = 1; i <= 50; ++i) {
    Client c(h, Harness::tuple(i), creds);
    c.allocate();
    c.permit({ip4(8, 8, 8, 8)});
    c.bind(0x4000, ip4(8, 8, 8, 8, 9));
    c.refresh(0);
  }
  EXPECT_EQ(h.server().allocation_count(), 0U);
  EXPECT_TRUE(h.host().opened.empty());
  EXPECT_EQ(h.shared().allocations(), 0U);
  EXPECT_EQ(h.metrics().refused_auth, 200U);  // the challenge is not a refusal; the four signed requests are
}

TEST(TurnNonce, MadeAndCheckedForOneAddressUntilItExpires) {
  const TimePoint t0 = TimePoint{} + 100h;
  const auto a = ip4(198, 51, 100, 1, 5000);
  const NonceText n = make_nonce(kNonceKey, a, t0 + 10s);
  EXPECT_EQ(n.view().size(), 45U);
  EXPECT_TRUE(nonce_valid(kNonceKey, a, n.view(), t0));
  EXPECT_TRUE(nonce_valid(kNonceKey, a, n.view(), t0 + 9s));
  EXPECT_FALSE(nonce_valid(kNonceKey, a, n.view(), t0 + 10s));
  EXPECT_FALSE(nonce_valid(kNonceKey, ip4(198, 51, 100, 1, 5001), n.view(), t0));
  std::array<std::uint8_t, 32> other = kNonceKey;
  other[0] ^= 1;
  EXPECT_FALSE(nonce_valid(other, a, n.view(), t0));
  EXPECT_TRUE(nonce_announces_password_algorithms(n.view()));
  EXPECT_FALSE(nonce_announces_password_algorithms("obMatJos2AAAC"));
  EXPECT_FALSE(nonce_announces_password_algorithms("abc"));
}

}  // namespace
}  // namespace peerhub::turn::testing
