// Parsing and walking a STUN message (RFC 8489 §5, §6.3, §14). Lengths on the wire are never trusted: every
// attribute is checked against the end of the buffer before anything reads it.
#include "stun/message.hpp"

#include <algorithm>

#include "stun/attributes.hpp"
#include "stun/wire.hpp"

namespace peerhub::stun {

namespace {

constexpr auto kIntegrity = static_cast<std::uint16_t>(AttrType::message_integrity);
constexpr auto kIntegritySha256 = static_cast<std::uint16_t>(AttrType::message_integrity_sha256);
constexpr auto kFingerprint = static_cast<std::uint16_t>(AttrType::fingerprint);

Error check_header(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < kHeaderSize) return Error::truncated_header;
  // §6.3: the most significant two bits of every STUN message are zeroes.
  if ((bytes[0] & 0xC0U) != 0) return Error::not_stun;
  if (wire::u32(bytes, 4) != kMagicCookie) return Error::bad_magic_cookie;
  const std::size_t length = wire::u16(bytes, 2);
  if (length % 4 != 0) return Error::length_not_multiple_of_4;
  if (kHeaderSize + length != bytes.size()) return Error::length_mismatch;
  return Error::none;
}

}  // namespace

void UnknownTypes::add(std::uint16_t type) {
  if (std::find(types.begin(), types.begin() + static_cast<std::ptrdiff_t>(count), type) !=
      types.begin() + static_cast<std::ptrdiff_t>(count))
    return;
  if (count < types.size()) types[count++] = type;
}

bool looks_like_stun(std::span<const std::uint8_t> bytes) {
  return check_header(bytes) == Error::none;
}

Result<Message> Message::parse(std::span<const std::uint8_t> bytes) {
  if (const Error e = check_header(bytes); e != Error::none) return e;
  Message m;
  m.bytes_ = bytes;
  m.type_ = wire::u16(bytes, 0);
  std::copy_n(bytes.begin() + 8, m.transaction_id_.size(), m.transaction_id_.begin());

  std::size_t at = kHeaderSize;
  while (at < bytes.size()) {
    if (bytes.size() - at < kAttributeHeaderSize) return Error::truncated_attribute;
    const std::uint16_t type = wire::u16(bytes, at);
    const std::size_t length = wire::u16(bytes, at + 2);
    if (bytes.size() - at - kAttributeHeaderSize < wire::padded(length)) return Error::truncated_attribute;
    if (m.ignored(at, type)) {
      ++m.ignored_;
    } else if (type == kIntegrity) {
      if (length != 20) return Error::bad_integrity_length;  // §14.5: HMAC-SHA1
      m.integrity_ = static_cast<std::uint32_t>(at);
    } else if (type == kIntegritySha256) {
      // §14.6: at least 16 bytes, at most 32, a multiple of 4.
      if (length < 16 || length > 32 || length % 4 != 0) return Error::bad_integrity_length;
      m.integrity_sha256_ = static_cast<std::uint32_t>(at);
    } else if (type == kFingerprint) {
      if (length != 4) return Error::bad_fingerprint_length;  // §14.7: CRC-32
      m.fingerprint_ = static_cast<std::uint32_t>(at);
      at += kAttributeHeaderSize + 4;
      break;  // §14.7: the last attribute; whatever follows is not ours to read
    }
    at += kAttributeHeaderSize + wire::padded(length);
  }
  m.end_ = static_cast<std::uint32_t>(at);
  return m;
}

// §14.5 / §14.6: what follows MESSAGE-INTEGRITY, apart from MESSAGE-INTEGRITY-SHA256 and FINGERPRINT, and
// what follows MESSAGE-INTEGRITY-SHA256, apart from FINGERPRINT, is ignored.
bool Message::ignored(std::size_t offset, std::uint16_t type) const {
  if (integrity_ != 0 && offset > integrity_ && type != kIntegritySha256 && type != kFingerprint) return true;
  if (integrity_sha256_ != 0 && offset > integrity_sha256_ && type != kFingerprint) return true;
  return false;
}

AttributeRange Message::attributes() const {
  AttributeIterator first(this, kHeaderSize);
  first.skip_ignored();
  return {first, AttributeIterator(this, end_)};
}

std::optional<Attribute> Message::find(AttrType type) const {
  const auto wanted = static_cast<std::uint16_t>(type);
  for (const Attribute& a : attributes())
    if (a.type == wanted) return a;
  return std::nullopt;
}

UnknownTypes Message::unknown_comprehension_required() const {
  return unknown_comprehension_required(is_known_attribute);
}

Attribute AttributeIterator::operator*() const {
  const std::span<const std::uint8_t> bytes = message_->bytes_;
  const std::size_t length = wire::u16(bytes, offset_ + 2);
  return {wire::u16(bytes, offset_), bytes.subspan(offset_ + kAttributeHeaderSize, length), offset_};
}

AttributeIterator& AttributeIterator::operator++() {
  offset_ += kAttributeHeaderSize + wire::padded(wire::u16(message_->bytes_, offset_ + 2));
  skip_ignored();
  return *this;
}

// parse() already proved that every attribute before end_ fits, so walking again needs no further checks.
void AttributeIterator::skip_ignored() {
  while (offset_ < message_->end_ && message_->ignored(offset_, wire::u16(message_->bytes_, offset_)))
    offset_ += kAttributeHeaderSize + wire::padded(wire::u16(message_->bytes_, offset_ + 2));
}

}  // namespace peerhub::stun
