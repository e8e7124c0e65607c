// STUN vocabulary shared by the codec (RFC 8489, RFC 8656, RFC 8445): methods, classes, attribute types, the
// module's error enum and a small Result type. Nothing here touches a socket, a clock or the heap.
#pragma once

#include <array>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>

namespace peerhub::stun {

inline constexpr std::uint32_t kMagicCookie = 0x2112A442;  // RFC 8489 §5
inline constexpr std::size_t kHeaderSize = 20;
inline constexpr std::size_t kAttributeHeaderSize = 4;
// The length field is 16 bits and counts whole 32-bit words (§5), so the largest message is 20 + 65532 bytes.
inline constexpr std::size_t kMaxMessageSize = kHeaderSize + 0xFFFC;

using TransactionId = std::array<std::uint8_t, 12>;

// A 12-bit method (§5). Values outside the list are kept as they are, so unknown methods can be answered.
enum class Method : std::uint16_t {
  binding = 0x001,
  allocate = 0x003,           // RFC 8656 §17
  refresh = 0x004,            //
  send = 0x006,               //
  data = 0x007,               //
  create_permission = 0x008,  //
  channel_bind = 0x009,       //
  connect = 0x00A,            // RFC 6062 §6.1 (TURN over TCP to the peer)
  connection_bind = 0x00B,    //
  connection_attempt = 0x00C,
};

enum class Class : std::uint8_t { request = 0, indication = 1, success = 2, error = 3 };

// The 14-bit message type interleaves the class bits C1 C0 into the method bits M11..M0 (§5):
// M11 M10 M9 M8 M7 C1 M6 M5 M4 C0 M3 M2 M1 M0.
constexpr std::uint16_t encode_message_type(Method method, Class cls) {
  const auto m = static_cast<std::uint16_t>(static_cast<std::uint16_t>(method) & 0x0FFFU);
  const auto c = static_cast<std::uint16_t>(cls);
  return static_cast<std::uint16_t>((m & 0x000FU) | ((c & 1U) << 4) | ((m & 0x0070U) << 1) | ((c & 2U) << 7) |
                                    ((m & 0x0F80U) << 2));
}
constexpr Method method_of(std::uint16_t type) {
  return static_cast<Method>((type & 0x000FU) | ((type & 0x00E0U) >> 1) | ((type & 0x3E00U) >> 2));
}
constexpr Class class_of(std::uint16_t type) {
  return static_cast<Class>(((type >> 4) & 1U) | ((type >> 7) & 2U));
}

// Attribute types of RFC 8489 §18.3, RFC 8656 §18 and RFC 8445 §16.1. Any other 16-bit value may appear on
// the wire; values below 0x8000 are comprehension-required (§14).
enum class AttrType : std::uint16_t {
  mapped_address = 0x0001,
  username = 0x0006,
  message_integrity = 0x0008,
  error_code = 0x0009,
  unknown_attributes = 0x000A,
  channel_number = 0x000C,
  lifetime = 0x000D,
  xor_peer_address = 0x0012,
  data = 0x0013,
  realm = 0x0014,
  nonce = 0x0015,
  xor_relayed_address = 0x0016,
  requested_address_family = 0x0017,
  even_port = 0x0018,
  requested_transport = 0x0019,
  dont_fragment = 0x001A,
  message_integrity_sha256 = 0x001C,
  password_algorithm = 0x001D,
  userhash = 0x001E,
  xor_mapped_address = 0x0020,
  reservation_token = 0x0022,
  priority = 0x0024,
  use_candidate = 0x0025,
  additional_address_family = 0x8000,
  address_error_code = 0x8001,
  password_algorithms = 0x8002,
  alternate_domain = 0x8003,
  icmp = 0x8004,
  software = 0x8022,
  alternate_server = 0x8023,
  fingerprint = 0x8028,
  ice_controlled = 0x8029,
  ice_controlling = 0x802A,
};

constexpr bool comprehension_required(std::uint16_t type) {
  return type < 0x8000;
}

// The RFC name of a known attribute type ("XOR-MAPPED-ADDRESS"), or "" for others.
std::string_view attribute_name(std::uint16_t type);
// "Binding", "Allocate", ... or "" for others.
std::string_view method_name(Method method);

enum class Family : std::uint8_t { ipv4 = 0x01, ipv6 = 0x02 };  // §14.1

// RFC 8489 §18.5: the password algorithms registry.
enum class PasswordAlgorithm : std::uint16_t { md5 = 0x0001, sha256 = 0x0002 };

// Every way a STUN or ChannelData message, an attribute value, a build or a check can fail.
enum class Error : std::uint8_t {
  none = 0,
  // Framing of a STUN message (§5, §14).
  truncated_header,          // fewer than 20 bytes
  not_stun,                  // the two top bits of the first byte are not zero
  bad_magic_cookie,          // not 0x2112A442
  length_not_multiple_of_4,  // the header's length field
  length_mismatch,           // the header's length is not the number of bytes after the header
  truncated_attribute,       // an attribute header or value (with its padding) runs past the end
  bad_integrity_length,      // MESSAGE-INTEGRITY not 20 bytes, or -SHA256 not 16..32 in steps of 4
  bad_fingerprint_length,    // FINGERPRINT not 4 bytes
  // Attribute values.
  missing_attribute,     // the message has no such attribute
  bad_attribute_length,  // the value's size does not fit the attribute's format
  bad_address_family,    // neither 0x01 (IPv4) nor 0x02 (IPv6), or a size that does not match it
  value_too_long,        // over the RFC's limit for that attribute (e.g. USERNAME, REALM, NONCE)
  bad_utf8,              // a text attribute that is not UTF-8 (or not ASCII where the RFC says so)
  bad_error_code,        // class outside 3..6 or number above 99 (§14.8)
  bad_channel_number,    // outside 0x4000..0x4FFF (RFC 8656 §12)
  bad_value,             // any other malformed value (a list that does not add up, ...)
  // ChannelData (RFC 8656 §12.4).
  channel_data_truncated,  // fewer than 4 bytes, or fewer data bytes than the length says
  channel_data_padding,    // more bytes than data and padding (UDP), or not padded to 4 (TCP/TLS)
  // Building.
  buffer_too_small,             // the caller's buffer cannot hold the message
  message_too_long,             // over the 16-bit length field
  attribute_after_integrity,    // only MESSAGE-INTEGRITY-SHA256 and FINGERPRINT may follow MESSAGE-INTEGRITY
  attribute_after_fingerprint,  // FINGERPRINT is the last attribute (§14.7)
  // Integrity and credentials.
  no_integrity,          // the message carries no (such) integrity attribute
  integrity_mismatch,    // the HMAC does not match the key
  integrity_too_short,   // a truncated MESSAGE-INTEGRITY-SHA256 shorter than the caller accepts
  no_fingerprint,        // the message carries no FINGERPRINT
  fingerprint_mismatch,  // the CRC does not match
  bad_credentials,       // empty key, or a username/realm/password OpaqueString refuses (see credentials.hpp)
  crypto_failure,        // OpenSSL reported an error
};

// A short English description of the error for logs ("attribute runs past the end of the message").
std::string_view to_string(Error error);

// A value or the Error that prevented it (C++23's std::expected, small enough to keep until then).
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit on purpose, like std::expected
  Result(Error error) : error_(error) { assert(error != Error::none); }

  bool ok() const { return error_ == Error::none; }
  explicit operator bool() const { return ok(); }
  Error error() const { return error_; }

  const T& value() const {
    assert(ok());
    return *value_;
  }
  const T& operator*() const { return value(); }
  const T* operator->() const { return &value(); }
  T value_or(T fallback) const { return ok() ? *value_ : std::move(fallback); }

 private:
  std::optional<T> value_;
  Error error_ = Error::none;
};

}  // namespace peerhub::stun
