// libFuzzer target for the login token verifier (src/signaling/jwt.hpp).
//
// Input: byte 0 = secret choice, bytes 1-3 = clock offset, byte 4 = lifetime, then "name\ntoken". The
// verifier must never throw or crash on any token; a token it minted itself must verify for its name until it
// expires and for nobody else (nor under another secret); any change to one of its characters is refused.
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

  // Arbitrary input: any verdict, but never a crash, a hang or an exception.
  (void)peerhub::signaling::verify_token(secret, token, name, now);

  // Login names are at most 64 bytes (HubConfig::max_name_length); the verifier caps tokens at 4 KiB, which
  // a longer name full of escaped control characters could exceed.
  if (name.empty() || name.size() > 64 || !peerhub::ws::valid_utf8(name)) return 0;
  // Round trip: what we mint verifies for exactly its name and lifetime.
  const std::string minted = peerhub::signaling::mint_token(secret, name, now, ttl + 1);
  check(peerhub::signaling::verify_token(secret, minted, name, now) == TokenError::kNone);
  check(peerhub::signaling::verify_token(secret, minted, name, now + ttl + 1) == TokenError::kExpired);
  check(peerhub::signaling::verify_token(secret + "x", minted, name, now) == TokenError::kBadSignature);
  check(peerhub::signaling::verify_token(secret, minted, std::string(name) + "x", now) ==
        TokenError::kWrongSubject);
  // Changing any one character, the signature's last one included (its 2 spare bits must be zero, RFC 4648
  // §3.5, or a token would have several spellings), makes the token unacceptable.
  std::string tampered = minted;
  const std::size_t at = token.size() % minted.size();
  tampered[at] = tampered[at] == 'A' ? 'B' : 'A';
  check(peerhub::signaling::verify_token(secret, tampered, name, now) != TokenError::kNone);
  tampered = minted;
  tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
  check(peerhub::signaling::verify_token(secret, tampered, name, now) != TokenError::kNone);
  return 0;
}
