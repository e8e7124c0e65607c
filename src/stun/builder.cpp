// The Builder's bookkeeping: room, order rules, the running length, and the three computed attributes.
#include "stun/builder.hpp"

#include <algorithm>

#include "stun/crypto.hpp"
#include "stun/integrity.hpp"
#include "stun/wire.hpp"

namespace peerhub::stun {

namespace {

constexpr auto kIntegrity = static_cast<std::uint16_t>(AttrType::message_integrity);
constexpr auto kIntegritySha256 = static_cast<std::uint16_t>(AttrType::message_integrity_sha256);
constexpr auto kFingerprint = static_cast<std::uint16_t>(AttrType::fingerprint);

void write_header(std::span<std::uint8_t> h, Method method, Class cls, const TransactionId& id) {
  wire::put_u16(h, 0, encode_message_type(method, cls));
  wire::put_u16(h, 2, 0);
  wire::put_u32(h, 4, kMagicCookie);
  std::copy(id.begin(), id.end(), h.begin() + 8);
}

}  // namespace

Builder::Builder(std::span<std::uint8_t> buffer, Method method, Class cls, const TransactionId& id)
    : buffer_(buffer), id_(id) {
  if (grow(kHeaderSize)) write_header({data(), kHeaderSize}, method, cls, id);
}

Builder::Builder(std::vector<std::uint8_t>& out, Method method, Class cls, const TransactionId& id)
    : out_(&out), id_(id) {
  out.clear();
  if (grow(kHeaderSize)) write_header({data(), kHeaderSize}, method, cls, id);
}

bool Builder::grow(std::size_t n) {
  if (error_ != Error::none) return false;
  if (n > kMaxMessageSize - size_) {
    fail(Error::message_too_long);
    return false;
  }
  if (out_ != nullptr) {
    out_->resize(size_ + n);  // within the capacity of a reused vector: no allocation
  } else if (n > buffer_.size() - size_) {
    fail(Error::buffer_too_small);
    return false;
  }
  size_ += n;
  return true;
}

Builder& Builder::fail(Error e) {
  if (error_ == Error::none) error_ = e;
  if (out_ != nullptr) out_->clear();
  return *this;
}

std::optional<std::span<std::uint8_t>> Builder::begin_attribute(std::uint16_t type, std::size_t length) {
  if (error_ != Error::none) return std::nullopt;
  if (fingerprint_) {
    fail(Error::attribute_after_fingerprint);
    return std::nullopt;
  }
  const bool allowed_after_integrity =
      type == kFingerprint || (type == kIntegritySha256 && !integrity_sha256_);
  if ((integrity_ || integrity_sha256_) && !allowed_after_integrity) {
    fail(Error::attribute_after_integrity);
    return std::nullopt;
  }
  if (length > 0xFFFF) {
    fail(Error::value_too_long);
    return std::nullopt;
  }
  const std::size_t at = size_;
  if (!grow(kAttributeHeaderSize + wire::padded(length))) return std::nullopt;
  const std::span<std::uint8_t> all(data(), size_);
  wire::put_u16(all, at, type);
  wire::put_u16(all, at + 2, static_cast<std::uint16_t>(length));
  std::fill(all.begin() + static_cast<std::ptrdiff_t>(at + kAttributeHeaderSize + length), all.end(),
            padding_);
  wire::put_u16(all, 2, static_cast<std::uint16_t>(size_ - kHeaderSize));
  if (type == kIntegrity) integrity_ = true;
  if (type == kIntegritySha256) integrity_sha256_ = true;
  if (type == kFingerprint) fingerprint_ = true;
  return all.subspan(at + kAttributeHeaderSize, length);
}

Builder& Builder::add_raw(std::uint16_t type, std::span<const std::uint8_t> value) {
  if (type == kIntegrity || type == kIntegritySha256 || type == kFingerprint) return fail(Error::bad_value);
  if (const auto out = begin_attribute(type, value.size()))
    std::copy(value.begin(), value.end(), out->begin());
  return *this;
}

Builder& Builder::add_message_integrity(std::span<const std::uint8_t> key) {
  if (error_ != Error::none) return *this;
  if (key.empty()) return fail(Error::bad_credentials);
  const std::size_t at = size_;
  const auto out = begin_attribute(kIntegrity, 20);
  if (!out) return *this;
  // §14.5: over everything before the attribute, the length already counting it.
  const auto mac = hmac_sha1(key, {std::span<const std::uint8_t>(data(), at)});
  if (!mac) return fail(mac.error());
  std::copy(mac->begin(), mac->end(), out->begin());
  return *this;
}

Builder& Builder::add_message_integrity_sha256(std::span<const std::uint8_t> key, std::size_t length) {
  if (error_ != Error::none) return *this;
  if (length < 16 || length > 32 || length % 4 != 0) return fail(Error::bad_integrity_length);
  if (key.empty()) return fail(Error::bad_credentials);
  const std::size_t at = size_;
  const auto out = begin_attribute(kIntegritySha256, length);
  if (!out) return *this;
  const auto mac = hmac_sha256(key, {std::span<const std::uint8_t>(data(), at)});
  if (!mac) return fail(mac.error());
  std::copy_n(mac->begin(), length, out->begin());  // §14.6: truncation keeps the leftmost bytes
  return *this;
}

Builder& Builder::add_fingerprint() {
  const std::size_t at = size_;
  const auto out = begin_attribute(kFingerprint, 4);
  if (!out) return *this;
  wire::put_u32(*out, 0, crc32({data(), at}) ^ kFingerprintXor);
  return *this;
}

std::span<const std::uint8_t> Builder::bytes() const {
  if (error_ != Error::none) return {};
  return {data(), size_};
}

Result<std::span<const std::uint8_t>> Builder::finish() const {
  if (error_ != Error::none) return error_;
  return bytes();
}

}  // namespace peerhub::stun
