#include "signaling/jwt.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <limits>
#include <optional>

#include "signaling/base64url.hpp"

namespace peerhub::signaling {
namespace {

namespace json = boost::json;

// A login token is a few hundred bytes; anything far larger is not one of ours and is not worth decoding.
constexpr std::size_t kMaxTokenLength = 4096;
constexpr std::size_t kSignatureLength = 32;  // SHA-256

using Mac = std::array<unsigned char, kSignatureLength>;

Mac hmac_sha256(std::string_view key, std::string_view data) {
  Mac mac{};
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac.data(), &length);
  return mac;
}

std::optional<json::object> decode_json_part(std::string_view part) {
  auto bytes = decode_base64url(part);
  if (!bytes) return std::nullopt;
  json::parse_options options;
  options.max_depth = 8;
  boost::system::error_code ec;
  json::value v = json::parse(*bytes, ec, {}, options);
  if (ec || !v.is_object()) return std::nullopt;
  return std::move(v.as_object());
}

// A NumericDate (RFC 7519 §2): seconds, possibly non-integer. nullopt when absent or not a number.
std::optional<std::int64_t> numeric_date(const json::object& claims, std::string_view key) {
  const json::value* v = claims.if_contains(key);
  if (!v) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64()) {
    return v->get_uint64() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())
               ? std::numeric_limits<std::int64_t>::max()
               : static_cast<std::int64_t>(v->get_uint64());
  }
  if (v->is_double()) {
    double d = v->get_double();
    if (!(d > -9.0e18 && d < 9.0e18)) return std::nullopt;  // also rejects NaN
    return static_cast<std::int64_t>(d);
  }
  return std::nullopt;
}

}  // namespace

std::string mint_token(std::string_view secret, std::string_view name, std::int64_t unix_now,
                       std::int64_t ttl_s) {
  json::object header;
  header["alg"] = "HS256";
  header["typ"] = "JWT";
  json::object claims;
  claims["sub"] = name;
  claims["iat"] = unix_now;
  claims["exp"] = unix_now + ttl_s;

  std::string token;
  append_base64url(token, json::serialize(header));
  token += '.';
  append_base64url(token, json::serialize(claims));
  Mac mac = hmac_sha256(secret, token);
  token += '.';
  append_base64url(token, std::string_view(reinterpret_cast<const char*>(mac.data()), mac.size()));
  return token;
}

TokenError verify_token(std::string_view secret, std::string_view token, std::string_view name,
                        std::int64_t unix_now) {
  if (token.empty() || token.size() > kMaxTokenLength) return TokenError::kMalformed;
  // RFC 7515 §7.1: BASE64URL(header) '.' BASE64URL(payload) '.' BASE64URL(signature).
  std::size_t dot1 = token.find('.');
  if (dot1 == std::string_view::npos) return TokenError::kMalformed;
  std::size_t dot2 = token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos) {
    return TokenError::kMalformed;
  }
  std::string_view header_part = token.substr(0, dot1);
  std::string_view claims_part = token.substr(dot1 + 1, dot2 - dot1 - 1);
  std::string_view signature_part = token.substr(dot2 + 1);

  auto header = decode_json_part(header_part);
  if (!header) return TokenError::kMalformed;
  // RFC 8725 §2.1/§3.1: the verifier decides the algorithm; a token may not pick "none" or another one.
  const json::value* alg = header->if_contains("alg");
  if (!alg || !alg->is_string() || alg->get_string() != "HS256") return TokenError::kBadAlgorithm;

  auto signature = decode_base64url(signature_part);
  if (!signature || signature->size() != kSignatureLength) return TokenError::kBadSignature;
  Mac expected = hmac_sha256(secret, token.substr(0, dot2));
  // Constant time, so the comparison does not leak how many leading bytes of a forgery were right.
  if (CRYPTO_memcmp(expected.data(), signature->data(), kSignatureLength) != 0)
    return TokenError::kBadSignature;

  // Only a signed payload is read.
  auto claims = decode_json_part(claims_part);
  if (!claims) return TokenError::kMalformed;
  const json::value* sub = claims->if_contains("sub");
  if (!sub || !sub->is_string() || sub->get_string() != name) return TokenError::kWrongSubject;
  auto exp = numeric_date(*claims, "exp");
  if (!exp || *exp <= unix_now) return TokenError::kExpired;
  if (claims->contains("nbf")) {
    auto nbf = numeric_date(*claims, "nbf");
    if (!nbf) return TokenError::kMalformed;
    if (*nbf > unix_now) return TokenError::kNotYetValid;
  }
  return TokenError::kNone;
}

std::string_view token_error_text(TokenError error) {
  switch (error) {
    case TokenError::kNone:
      return "token accepted";
    case TokenError::kMalformed:
      return "token is malformed";
    case TokenError::kBadAlgorithm:
      return "token algorithm must be HS256";
    case TokenError::kBadSignature:
      return "token signature is invalid";
    case TokenError::kExpired:
      return "token expired";
    case TokenError::kNotYetValid:
      return "token not valid yet";
    case TokenError::kWrongSubject:
      return "token was issued for another name";
  }
  return "token rejected";
}

}  // namespace peerhub::signaling
