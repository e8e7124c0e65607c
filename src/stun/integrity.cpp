// RFC 8489 §14.5–§14.7 on the receiving side: recompute over the right prefix, with the length patched as the
// sender had it, and compare.
#include "stun/integrity.hpp"

#include <algorithm>
#include <array>

#include "stun/crypto.hpp"
#include "stun/wire.hpp"

namespace peerhub::stun {

namespace {

// The 20-byte header with the length field pointing at `end` (the end of the attribute being checked), and
// the bytes between the header and the attribute at `offset`.
struct Prefix {
  std::array<std::uint8_t, kHeaderSize> header{};
  std::span<const std::uint8_t> rest;
};

Prefix prefix(const Message& m, std::size_t offset, std::size_t end) {
  Prefix p;
  std::copy_n(m.bytes().begin(), kHeaderSize, p.header.begin());
  wire::put_u16(p.header, 2, static_cast<std::uint16_t>(end - kHeaderSize));
  p.rest = m.bytes().subspan(kHeaderSize, offset - kHeaderSize);
  return p;
}

}  // namespace

Error verify_message_integrity(const Message& message, std::span<const std::uint8_t> key) {
  const std::size_t at = message.integrity_offset();
  if (at == 0) return Error::no_integrity;
  // §14.5: "the length ... set to point to the length prior to the MESSAGE-INTEGRITY attribute plus 24".
  const Prefix p = prefix(message, at, at + kAttributeHeaderSize + 20);
  const auto mac = hmac_sha1(key, {p.header, p.rest});
  if (!mac) return mac.error();
  const auto value = message.bytes().subspan(at + kAttributeHeaderSize, 20);
  return equal_constant_time(*mac, value) ? Error::none : Error::integrity_mismatch;
}

Error verify_message_integrity_sha256(const Message& message, std::span<const std::uint8_t> key,
                                      std::size_t min_length) {
  const std::size_t at = message.integrity_sha256_offset();
  if (at == 0) return Error::no_integrity;
  const std::size_t length = wire::u16(message.bytes(), at + 2);  // 16..32, checked by parse()
  if (length < std::min<std::size_t>(min_length, 32)) return Error::integrity_too_short;
  const Prefix p = prefix(message, at, at + kAttributeHeaderSize + length);
  const auto mac = hmac_sha256(key, {p.header, p.rest});
  if (!mac) return mac.error();
  // §14.6: a truncated value is the leftmost bytes of the HMAC.
  const auto value = message.bytes().subspan(at + kAttributeHeaderSize, length);
  return equal_constant_time(std::span<const std::uint8_t>(*mac).first(length), value)
             ? Error::none
             : Error::integrity_mismatch;
}

Error verify_fingerprint(const Message& message) {
  const std::size_t at = message.fingerprint_offset();
  if (at == 0) return Error::no_fingerprint;
  const Prefix p = prefix(message, at, at + kAttributeHeaderSize + 4);
  const std::uint32_t crc = crc32(p.rest, crc32(p.header)) ^ kFingerprintXor;
  return crc == wire::u32(message.bytes(), at + kAttributeHeaderSize) ? Error::none
                                                                      : Error::fingerprint_mismatch;
}

}  // namespace peerhub::stun
