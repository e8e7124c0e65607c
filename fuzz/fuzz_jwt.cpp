// libFuzzer target for the login token verifier (src/signaling/jwt.hpp).
//
// Input: byte 0 = secret choice, bytes 1-3 = clock offset, byte 4 = lifetime, then "name\ntoken". The
// verifier must never throw or crash on any token; a token it minted itself must verify for its name until it
// expires and for nobody else; any change to a minted token's header or claims must be refused; error texts
// never carry the secret.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "signaling/jwt.hpp"
#include "ws/frame.hpp"

namespace {

using peerhub::signaling::TokenError;

void check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 5) return 0;
  const std::string secret = (data[0] & 1) != 0 ? "fuzz-secret" : std::string(8 + data[0] % 70, 's');
  const std::int64_t now =
      1700000000 + ((std::int64_t{data[1]} << 16) | (data[2] << 8) | data[3]) - (1 << 23);
  const std::int64_t ttl = data[4] % 100;
  const std::string_view rest(reinterpret_cast<const char*>(data + 5), size - 5);
  const std::size_t newline = rest.find('\n');
  const std::string_view name = rest.substr(0, newline);
  const std::string_view token =
      newline == std::string_view::npos ? std::string_view() : rest.substr(newline + 1);

  // Arbitrary input: any verdict, but never a crash, and the text is fixed wording.
  const TokenError verdict = peerhub::signaling::verify_token(secret, token, name, now);
  const std::string_view text = peerhub::signaling::token_error_text(verdict);
  check(text.find(secret) == std::string_view::npos);
  if (!token.empty()) check(text.find(token) == std::string_view::npos || token.size() < 8);

  if (!peerhub::ws::valid_utf8(name) || name.empty()) return 0;
  // Round trip: what we mint verifies for exactly its name and lifetime.
  const std::string minted = peerhub::signaling::mint_token(secret, name, now, ttl + 1);
  check(peerhub::signaling::verify_token(secret, minted, name, now) == TokenError::kNone);
  check(peerhub::signaling::verify_token(secret, minted, name, now + ttl + 1) == TokenError::kExpired);
  check(peerhub::signaling::verify_token(secret + "x", minted, name, now) == TokenError::kBadSignature);
  check(peerhub::signaling::verify_token(secret, minted, std::string(name) + "x", now) ==
        TokenError::kWrongSubject);
  // Tampering with the signed part (header.claims) at a position the input chooses.
  const std::size_t signed_len = minted.rfind('.');
  if (signed_len != std::string::npos && signed_len > 0) {
    std::string tampered = minted;
    const std::size_t at = token.size() % signed_len;
    tampered[at] = tampered[at] == 'A' ? 'B' : 'A';
    check(peerhub::signaling::verify_token(secret, tampered, name, now) != TokenError::kNone);
  }
  return 0;
}
