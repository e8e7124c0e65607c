// Key derivation for the short-term and long-term credential mechanisms (RFC 8489 §9.1, §9.2, §18.5.1).
#include "stun/credentials.hpp"

#include <algorithm>

#include "stun/crypto.hpp"
#include "stun/utf8.hpp"

namespace peerhub::stun {

namespace {

std::span<const std::uint8_t> bytes_of(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

const std::uint8_t kColon[] = {':'};

}  // namespace

Result<std::string_view> opaque_string(std::string_view s) {
  if (s.empty() || !detail::valid_utf8(s)) return Error::bad_credentials;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<std::uint8_t>(s[i]);
    if (c < 0x20 || c == 0x7F) return Error::bad_credentials;
    // C1 controls U+0080..U+009F are encoded C2 80..C2 9F.
    if (c == 0xC2 && static_cast<std::uint8_t>(s[i + 1]) < 0xA0) return Error::bad_credentials;
  }
  return s;
}

Result<std::span<const std::uint8_t>> short_term_key(std::string_view password) {
  const auto prepared = opaque_string(password);
  if (!prepared) return prepared.error();
  return bytes_of(*prepared);
}

Result<LongTermKey> long_term_key(std::string_view username, std::string_view realm,
                                  std::string_view password, PasswordAlgorithm algorithm) {
  const auto r = opaque_string(realm);
  const auto p = opaque_string(password);
  if (!r) return r.error();
  if (!p) return p.error();
  LongTermKey key;
  if (algorithm == PasswordAlgorithm::md5) {
    const auto h = md5({bytes_of(username), kColon, bytes_of(*r), kColon, bytes_of(*p)});
    if (!h) return h.error();
    std::copy(h->begin(), h->end(), key.storage.begin());
    key.size = h->size();
  } else if (algorithm == PasswordAlgorithm::sha256) {
    const auto h = sha256({bytes_of(username), kColon, bytes_of(*r), kColon, bytes_of(*p)});
    if (!h) return h.error();
    key.storage = *h;
    key.size = h->size();
  } else {
    return Error::bad_value;
  }
  return key;
}

Result<std::array<std::uint8_t, 32>> userhash(std::string_view username, std::string_view realm) {
  const auto u = opaque_string(username);
  const auto r = opaque_string(realm);
  if (!u) return u.error();
  if (!r) return r.error();
  return sha256({bytes_of(*u), kColon, bytes_of(*r)});
}

}  // namespace peerhub::stun
