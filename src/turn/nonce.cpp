#include "turn/nonce.hpp"

#include <chrono>

#include "stun/crypto.hpp"
#include "turn/base64.hpp"

namespace peerhub::turn {
namespace {

constexpr std::string_view kFeatures = "AAAB";  // 0x000001: password algorithms (§18.1, erratum 6290)
constexpr std::size_t kPrefix = 13;             // cookie + features
constexpr std::size_t kPayload = 24;            // expiry (8) + MAC (16)
static_assert(kPrefix + base64_size(kPayload) == NonceText::kSize);

std::int64_t seconds(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

std::array<std::uint8_t, 16> mac(std::span<const std::uint8_t, 32> key, const stun::Address& client,
                                 std::span<const std::uint8_t, 8> expiry) {
  static constexpr std::string_view kLabel = "peerhub-nonce";
  const std::uint8_t where[3] = {static_cast<std::uint8_t>(client.family),
                                 static_cast<std::uint8_t>(client.port >> 8),
                                 static_cast<std::uint8_t>(client.port)};
  const auto full = stun::hmac_sha256(
      key,
      {{reinterpret_cast<const std::uint8_t*>(kLabel.data()), kLabel.size()}, expiry, where, client.ip()});
  std::array<std::uint8_t, 16> out{};
  if (full)
    for (std::size_t i = 0; i < out.size(); ++i)
      out[i] = (*full)[i];
  return out;
}

}  // namespace

NonceText make_nonce(std::span<const std::uint8_t, 32> key, const stun::Address& client, TimePoint expires) {
  std::array<std::uint8_t, kPayload> payload{};
  const auto e = static_cast<std::uint64_t>(seconds(expires));
  for (std::size_t i = 0; i < 8; ++i)
    payload[i] = static_cast<std::uint8_t>(e >> (56 - 8 * i));
  const auto m = mac(key, client, std::span<const std::uint8_t, 8>(payload.data(), 8));
  for (std::size_t i = 0; i < m.size(); ++i)
    payload[8 + i] = m[i];
  NonceText out;
  std::size_t at = 0;
  for (char c : kNonceCookie)
    out.chars_[at++] = c;
  for (char c : kFeatures)
    out.chars_[at++] = c;
  encode_base64(payload, out.chars_.data() + at);
  return out;
}

bool nonce_valid(std::span<const std::uint8_t, 32> key, const stun::Address& client, std::string_view nonce,
                 TimePoint now) {
  if (nonce.size() != NonceText::kSize || nonce.substr(0, kNonceCookie.size()) != kNonceCookie ||
      nonce.substr(kNonceCookie.size(), kFeatures.size()) != kFeatures)
    return false;
  std::array<std::uint8_t, kPayload> payload{};
  if (!decode_base64(nonce.substr(kPrefix), payload)) return false;
  const auto expected = mac(key, client, std::span<const std::uint8_t, 8>(payload.data(), 8));
  if (!stun::equal_constant_time(expected, std::span<const std::uint8_t>(payload.data() + 8, 16)))
    return false;
  std::uint64_t e = 0;
  for (std::size_t i = 0; i < 8; ++i)
    e = (e << 8) | payload[i];
  return static_cast<std::int64_t>(e) > seconds(now);
}

bool nonce_announces_password_algorithms(std::string_view nonce) {
  if (nonce.size() < kPrefix || nonce.substr(0, kNonceCookie.size()) != kNonceCookie) return false;
  std::array<std::uint8_t, 3> features{};
  if (!decode_base64(nonce.substr(kNonceCookie.size(), 4), features)) return false;
  return (features[2] & 0x01U) != 0;
}

}  // namespace peerhub::turn
