// HS256 login tokens.
#include <gtest/gtest.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <boost/json.hpp>
#include <vector>

#include "signaling/base64url.hpp"
#include "signaling/jwt.hpp"

namespace peerhub::signaling {
namespace {

namespace json = boost::json;
constexpr std::int64_t kNow = 1'700'000'000;

std::string b64(std::string_view s) {
  std::string out;
  append_base64url(out, s);
  return out;
}

// A token with any header and claims, correctly HMAC-SHA256 signed with `secret`.
std::string sign_text(std::string_view header, std::string_view claims, std::string_view secret) {
  std::string input = b64(header) + "." + b64(claims);
  unsigned char mac[32];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &length);
  return input + "." + b64(std::string_view(reinterpret_cast<const char*>(mac), length));
}

std::string sign(const json::object& header, const json::object& claims, std::string_view secret) {
  return sign_text(json::serialize(header), json::serialize(claims), secret);
}

const json::object kHs256{{"alg", "HS256"}, {"typ", "JWT"}};

TEST(SignalingBase64Url, RoundTripsAndIsStrict) {
  for (std::string s : std::vector<std::string>{"", "f", "fo", "foo", "foob", "fooba", "foobar",
                                                std::string("\xff\xfe\x00\x01", 4)}) {
    auto back = decode_base64url(b64(s));
    ASSERT_TRUE(back.has_value()) << s;
    EXPECT_EQ(*back, s);
  }
  EXPECT_EQ(b64("\xfb\xff"), "-_8");        // URL-safe alphabet (RFC 4648 §5)
  EXPECT_FALSE(decode_base64url("Zm9v="));  // no padding in JWT
  EXPECT_FALSE(decode_base64url("Zm+v"));   // not the URL-safe alphabet
  EXPECT_FALSE(decode_base64url("Z"));      // 6 bits cannot make a byte
  EXPECT_FALSE(decode_base64url("Zh"));     // non-zero leftover bits
  EXPECT_TRUE(decode_base64url("Zg"));
}

TEST(SignalingJwt, MintedTokenVerifiesForItsNameUntilExpiry) {
  std::string token = mint_token("s3cret", "alice", kNow, 3600);
  EXPECT_EQ(std::count(token.begin(), token.end(), '.'), 2);
  EXPECT_EQ(verify_token("s3cret", token, "alice", kNow), TokenError::kNone);
  EXPECT_EQ(verify_token("s3cret", token, "alice", kNow + 3599), TokenError::kNone);
  EXPECT_EQ(verify_token("s3cret", token, "alice", kNow + 3600), TokenError::kExpired);
  // Header and claims are standard JSON any JWT library can read.
  auto header = json::parse(*decode_base64url(token.substr(0, token.find('.'))));
  EXPECT_EQ(header.at("alg"), "HS256");
  auto claims = json::parse(
      *decode_base64url(token.substr(token.find('.') + 1, token.rfind('.') - token.find('.') - 1)));
  EXPECT_EQ(claims.at("sub"), "alice");
  EXPECT_EQ(claims.at("exp"), kNow + 3600);
}

TEST(SignalingJwt, WrongSecretOrTamperedTokenFailsTheSignature) {
  std::string token = mint_token("s3cret", "alice", kNow, 3600);
  EXPECT_EQ(verify_token("other", token, "alice", kNow), TokenError::kBadSignature);
  // Same header, claims changed to another name: the signature no longer matches.
  std::string claims = b64(R"({"sub":"mallory","exp":1800000000})");
  std::size_t d1 = token.find('.');
  std::size_t d2 = token.rfind('.');
  std::string tampered = token.substr(0, d1 + 1) + claims + token.substr(d2);
  EXPECT_EQ(verify_token("s3cret", tampered, "mallory", kNow), TokenError::kBadSignature);
  std::string flipped = token;
  flipped.back() = flipped.back() == 'A' ? 'Q' : 'A';
  EXPECT_NE(verify_token("s3cret", flipped, "alice", kNow), TokenError::kNone);
}

TEST(SignalingJwt, AlgNoneAndOtherAlgorithmsAreRejected) {
  json::object claims{{"sub", "alice"}, {"exp", kNow + 60}};
  std::string none = b64(R"({"alg":"none","typ":"JWT"})") + "." + b64(json::serialize(claims)) + ".";
  EXPECT_EQ(verify_token("s3cret", none, "alice", kNow), TokenError::kBadAlgorithm);
  EXPECT_EQ(verify_token("s3cret", sign({{"alg", "HS512"}}, claims, "s3cret"), "alice", kNow),
            TokenError::kBadAlgorithm);
  EXPECT_EQ(verify_token("s3cret", sign({{"typ", "JWT"}}, claims, "s3cret"), "alice", kNow),
            TokenError::kBadAlgorithm);
}

TEST(SignalingJwt, SignedClaimsAreChecked) {
  EXPECT_EQ(verify_token("k", sign(kHs256, {{"sub", "alice"}, {"exp", kNow + 10}}, "k"), "alice", kNow),
            TokenError::kNone);
  EXPECT_EQ(verify_token("k", sign(kHs256, {{"sub", "alice"}}, "k"), "alice", kNow), TokenError::kExpired);
  EXPECT_EQ(verify_token("k", sign(kHs256, {{"sub", "alice"}, {"exp", "soon"}}, "k"), "alice", kNow),
            TokenError::kExpired);
  EXPECT_EQ(verify_token("k", sign(kHs256, {{"sub", "alice"}, {"exp", kNow - 1}}, "k"), "alice", kNow),
            TokenError::kExpired);
  EXPECT_EQ(verify_token("k", sign(kHs256, {{"sub", 7}, {"exp", kNow + 10}}, "k"), "alice", kNow),
            TokenError::kWrongSubject);
  EXPECT_EQ(verify_token("k", sign(kHs256, {{"exp", kNow + 10}}, "k"), "alice", kNow),
            TokenError::kWrongSubject);
  // nbf (RFC 7519 §4.1.5) is optional; when present it must have passed.
  EXPECT_EQ(verify_token("k", sign(kHs256, {{"sub", "alice"}, {"exp", kNow + 10}, {"nbf", kNow + 5}}, "k"),
                         "alice", kNow),
            TokenError::kNotYetValid);
  EXPECT_EQ(verify_token("k", sign(kHs256, {{"sub", "alice"}, {"exp", kNow + 10}, {"nbf", kNow}}, "k"),
                         "alice", kNow),
            TokenError::kNone);
  EXPECT_EQ(verify_token("k", sign(kHs256, {{"sub", "alice"}, {"exp", 1.7e9 + 10.5}}, "k"), "alice", kNow),
            TokenError::kNone);
  // Correctly signed, but the claims are not a JSON object.
  EXPECT_EQ(verify_token("k", sign_text(R"({"alg":"HS256"})", "[1]", "k"), "alice", kNow),
            TokenError::kMalformed);
  EXPECT_EQ(verify_token("k", sign_text(R"({"alg":"HS256"})", "{\"sub\":", "k"), "alice", kNow),
            TokenError::kMalformed);
}

TEST(SignalingJwt, SubjectMustBeTheLoginName) {
  std::string token = mint_token("s3cret", "alice", kNow, 3600);
  EXPECT_EQ(verify_token("s3cret", token, "bob", kNow), TokenError::kWrongSubject);
  EXPECT_EQ(verify_token("s3cret", token, "alic", kNow), TokenError::kWrongSubject);
}

TEST(SignalingJwt, GarbageIsMalformedNeverACrash) {
  for (const std::string& bad :
       std::vector<std::string>{"", ".", "..", "...", "a.b.c", "abc", "a.b", "a.b.c.d", "!!!.###.$$$",
                                std::string(5000, 'a') + ".b.c", b64("[]") + "." + b64("{}") + ".x",
                                b64("{\"alg\":") + "." + b64("{}") + ".x"}) {
    TokenError e = verify_token("s3cret", bad, "alice", kNow);
    EXPECT_TRUE(e == TokenError::kMalformed || e == TokenError::kBadAlgorithm ||
                e == TokenError::kBadSignature)
        << bad;
  }
  EXPECT_EQ(verify_token("s3cret", "", "alice", kNow), TokenError::kMalformed);
  EXPECT_FALSE(token_error_text(TokenError::kExpired).empty());
}

TEST(SignalingJwt, TextsNeverEchoTheTokenOrSecret) {
  for (auto e : {TokenError::kMalformed, TokenError::kBadAlgorithm, TokenError::kBadSignature,
                 TokenError::kExpired, TokenError::kNotYetValid, TokenError::kWrongSubject}) {
    EXPECT_EQ(token_error_text(e).find("s3cret"), std::string_view::npos);
  }
}

}  // namespace
}  // namespace peerhub::signaling
