// Writing a STUN message (RFC 8489 §5, §14) into a buffer the caller owns.
//
// Driving contract: make a Builder over a fixed buffer or over a std::vector that is reused from message to
// message (it is cleared, and grows only past its old capacity, so a steady flow of messages allocates
// nothing), add attributes in wire order, then take finish(). The header's length is kept up to date after
// every attribute, which is what MESSAGE-INTEGRITY(-SHA256) and FINGERPRINT need: each is computed over the
// bytes before it with the length already covering it (§14.5–§14.7).
//
// Errors are sticky: the first one (a value the RFC does not allow, no room left, an attribute after
// FINGERPRINT...) makes every later call a no-op, and finish() returns it. Order rules enforced: only
// MESSAGE-INTEGRITY-SHA256 and FINGERPRINT may follow MESSAGE-INTEGRITY, only FINGERPRINT may follow
// MESSAGE-INTEGRITY-SHA256, nothing may follow FINGERPRINT — receivers would ignore anything else.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "stun/attributes.hpp"
#include "stun/types.hpp"

namespace peerhub::stun {

class Builder {
 public:
  Builder(std::span<std::uint8_t> buffer, Method method, Class cls, const TransactionId& id);
  Builder(std::vector<std::uint8_t>& out, Method method, Class cls, const TransactionId& id);
  Builder(const Builder&) = delete;
  Builder& operator=(const Builder&) = delete;

  // A typed attribute (attributes.hpp): builder.add<attr::XorMappedAddress>(address).
  template <Writable A>
  Builder& add(const typename A::Value& value) {
    if (error_ != Error::none) return *this;
    const Result<std::size_t> size = A::size(value);
    if (!size) return fail(size.error());
    if (const auto out = begin_attribute(static_cast<std::uint16_t>(A::type), *size))
      A::encode(value, *out, id_);
    return *this;
  }

  // Any attribute as raw bytes (an unknown type, or one echoed back). The three computed attributes are
  // refused with Error::bad_value: use the functions below for them.
  Builder& add_raw(std::uint16_t type, std::span<const std::uint8_t> value);

  // HMAC-SHA1 with `key` (§14.5).
  Builder& add_message_integrity(std::span<const std::uint8_t> key);
  // HMAC-SHA256 with `key`, cut to `length` bytes (16..32, a multiple of 4) where the usage allows (§14.6).
  Builder& add_message_integrity_sha256(std::span<const std::uint8_t> key, std::size_t length = 32);
  // CRC-32 XOR 0x5354554E (§14.7); the last attribute.
  Builder& add_fingerprint();

  // The byte written into attribute padding: 0 as RFC 8489 §14 asks. RFC 5769's samples pad with spaces, so
  // tests set 0x20 to rebuild them byte for byte.
  Builder& set_padding(std::uint8_t byte) {
    padding_ = byte;
    return *this;
  }

  Error error() const { return error_; }
  bool ok() const { return error_ == Error::none; }
  const TransactionId& transaction_id() const { return id_; }
  // The message so far (empty after an error).
  std::span<const std::uint8_t> bytes() const;
  Result<std::span<const std::uint8_t>> finish() const;

 private:
  std::uint8_t* data() const { return out_ != nullptr ? out_->data() : buffer_.data(); }
  bool grow(std::size_t n);
  Builder& fail(Error e);
  // Checks the order rules and the room, writes the attribute header and padding, updates the message length;
  // returns the `length` value bytes for the caller to fill.
  std::optional<std::span<std::uint8_t>> begin_attribute(std::uint16_t type, std::size_t length);

  std::span<std::uint8_t> buffer_;
  std::vector<std::uint8_t>* out_ = nullptr;
  std::size_t size_ = 0;
  TransactionId id_{};
  Error error_ = Error::none;
  std::uint8_t padding_ = 0;
  bool integrity_ = false;
  bool integrity_sha256_ = false;
  bool fingerprint_ = false;
};

}  // namespace peerhub::stun
