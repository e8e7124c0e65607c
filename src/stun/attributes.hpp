// Typed attribute values of RFC 8489 §14, RFC 8656 §18 and RFC 8445 §16.1.
//
// Each attribute is a traits type in stun::attr with the same four members:
//   type                         the AttrType on the wire
//   View / decode(value, id)     the value read from a received attribute (views point into the message)
//   Value / size(v) / encode(v)  what a Builder writes: size() checks the value and gives its length before
//                                padding, encode() writes exactly that many bytes
// View and Value are the same type except for the two lists (UNKNOWN-ATTRIBUTES, PASSWORD-ALGORITHMS).
// Read with message.get<attr::Lifetime>(), write with builder.add<attr::Lifetime>(600).
// MESSAGE-INTEGRITY(-SHA256) and FINGERPRINT can be read here but are written by the Builder's own functions.
//
// Decoding is strict about sizes (a wrong size is Error::bad_attribute_length) and lenient about reserved
// bits (ignored, as the RFCs ask). Text values are checked to be UTF-8 and within the RFC's byte limit for
// decoding (763); encoding uses the tighter limit for sending (509, USERNAME 508). Reason phrases of
// ERROR-CODE and ADDRESS-ERROR-CODE are returned as they came (not checked for UTF-8), so that an odd phrase
// never hides the code: escape them before logging.
#pragma once

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <span>
#include <string_view>

#include "stun/address.hpp"
#include "stun/attribute_values.hpp"
#include "stun/types.hpp"

namespace peerhub::stun {

// The codecs behind the traits below (attributes.cpp); they check every size before reading.
namespace detail {
Result<Address> decode_address(Bytes v, bool xored, const TransactionId& id);
Result<std::size_t> address_size(const Address& a);
void encode_address(const Address& a, bool xored, std::span<std::uint8_t> out, const TransactionId& id);
Result<std::uint32_t> decode_u32(Bytes v);
Result<std::uint64_t> decode_u64(Bytes v);
Result<Empty> decode_empty(Bytes v);
Result<std::string_view> decode_text(Bytes v, std::size_t max, bool ascii);
Result<std::size_t> text_size(std::string_view s, std::size_t max, bool ascii);
Result<Family> decode_family(Bytes v);
Result<std::size_t> family_size(Family f);
Result<ErrorCodeValue> decode_error_code(Bytes v);
Result<std::size_t> error_code_size(const ErrorCodeValue& e);
Result<AddressErrorCodeValue> decode_address_error_code(Bytes v);
Result<std::size_t> address_error_code_size(const AddressErrorCodeValue& e);
Result<PasswordAlgorithmList> decode_password_algorithms(Bytes v);
Result<std::size_t> password_algorithms_size(std::span<const PasswordAlgorithmEntry> entries);
void encode_password_algorithms(std::span<const PasswordAlgorithmEntry> entries, std::span<std::uint8_t> out);
void write_u32(std::span<std::uint8_t> out, std::uint32_t v);
void write_u64(std::span<std::uint8_t> out, std::uint64_t v);
void write_bytes(std::span<std::uint8_t> out, Bytes v);
void write_error_code(std::span<std::uint8_t> out, std::uint8_t first_byte, std::uint16_t code,
                      std::string_view reason);
}  // namespace detail

namespace attr {

template <AttrType T, bool Xored>
struct AddressAttribute {
  static constexpr AttrType type = T;
  using View = Address;
  using Value = Address;
  static Result<View> decode(Bytes v, const TransactionId& id) {
    return detail::decode_address(v, Xored, id);
  }
  static Result<std::size_t> size(const Value& a) { return detail::address_size(a); }
  static void encode(const Value& a, std::span<std::uint8_t> out, const TransactionId& id) {
    detail::encode_address(a, Xored, out, id);
  }
};

// Text of at most MaxDecode bytes when read and MaxEncode when written; ASCII-only when Ascii.
template <AttrType T, std::size_t MaxDecode, std::size_t MaxEncode, bool Ascii = false>
struct Text {
  static constexpr AttrType type = T;
  using View = std::string_view;
  using Value = std::string_view;
  static Result<View> decode(Bytes v, const TransactionId&) {
    return detail::decode_text(v, MaxDecode, Ascii);
  }
  static Result<std::size_t> size(Value s) { return detail::text_size(s, MaxEncode, Ascii); }
  static void encode(Value s, std::span<std::uint8_t> out, const TransactionId&) {
    detail::write_bytes(out, {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()});
  }
};

template <AttrType T>
struct U32 {
  static constexpr AttrType type = T;
  using View = std::uint32_t;
  using Value = std::uint32_t;
  static Result<View> decode(Bytes v, const TransactionId&) { return detail::decode_u32(v); }
  static Result<std::size_t> size(Value) { return std::size_t{4}; }
  static void encode(Value x, std::span<std::uint8_t> out, const TransactionId&) {
    detail::write_u32(out, x);
  }
};

template <AttrType T>
struct U64 {
  static constexpr AttrType type = T;
  using View = std::uint64_t;
  using Value = std::uint64_t;
  static Result<View> decode(Bytes v, const TransactionId&) { return detail::decode_u64(v); }
  static Result<std::size_t> size(Value) { return std::size_t{8}; }
  static void encode(Value x, std::span<std::uint8_t> out, const TransactionId&) {
    detail::write_u64(out, x);
  }
};

template <AttrType T>
struct Flag {
  static constexpr AttrType type = T;
  using View = Empty;
  using Value = Empty;
  static Result<View> decode(Bytes v, const TransactionId&) { return detail::decode_empty(v); }
  static Result<std::size_t> size(Value) { return std::size_t{0}; }
  static void encode(Value, std::span<std::uint8_t>, const TransactionId&) {}
};

template <AttrType T, std::size_t N>
struct FixedBytes {
  static constexpr AttrType type = T;
  using View = std::array<std::uint8_t, N>;
  using Value = std::array<std::uint8_t, N>;
  static Result<View> decode(Bytes v, const TransactionId&) {
    if (v.size() != N) return Error::bad_attribute_length;
    View out;
    for (std::size_t i = 0; i < N; ++i)
      out[i] = v[i];
    return out;
  }
  static Result<std::size_t> size(const Value&) { return N; }
  static void encode(const Value& x, std::span<std::uint8_t> out, const TransactionId&) {
    detail::write_bytes(out, x);
  }
};

// REQUESTED-ADDRESS-FAMILY / ADDITIONAL-ADDRESS-FAMILY (RFC 8656 §18.6, §18.11): a family and 24 reserved
// bits.
template <AttrType T>
struct FamilyAttribute {
  static constexpr AttrType type = T;
  using View = Family;
  using Value = Family;
  static Result<View> decode(Bytes v, const TransactionId&) { return detail::decode_family(v); }
  static Result<std::size_t> size(Value f) { return detail::family_size(f); }
  static void encode(Value f, std::span<std::uint8_t> out, const TransactionId&) {
    detail::write_u32(out, std::uint32_t{static_cast<std::uint8_t>(f)} << 24);
  }
};

using MappedAddress = AddressAttribute<AttrType::mapped_address, false>;          // RFC 8489 §14.1
using XorMappedAddress = AddressAttribute<AttrType::xor_mapped_address, true>;    // §14.2
using AlternateServer = AddressAttribute<AttrType::alternate_server, false>;      // §14.15
using XorPeerAddress = AddressAttribute<AttrType::xor_peer_address, true>;        // RFC 8656 §18.3
using XorRelayedAddress = AddressAttribute<AttrType::xor_relayed_address, true>;  // §18.5

using Username = Text<AttrType::username, 763, 508>;                       // RFC 8489 §14.3
using Realm = Text<AttrType::realm, 763, 509>;                             // §14.9
using Nonce = Text<AttrType::nonce, 763, 509>;                             // §14.10
using Software = Text<AttrType::software, 763, 509>;                       // §14.14
using AlternateDomain = Text<AttrType::alternate_domain, 255, 255, true>;  // §14.16: a DNS name

using Userhash = FixedBytes<AttrType::userhash, 32>;                  // §14.4
using ReservationToken = FixedBytes<AttrType::reservation_token, 8>;  // RFC 8656 §18.10

using Lifetime = U32<AttrType::lifetime>;               // RFC 8656 §18.2, seconds
using Priority = U32<AttrType::priority>;               // RFC 8445 §16.1
using IceControlled = U64<AttrType::ice_controlled>;    // tie-breaker
using IceControlling = U64<AttrType::ice_controlling>;  //
using UseCandidate = Flag<AttrType::use_candidate>;     //
using DontFragment = Flag<AttrType::dont_fragment>;     // RFC 8656 §18.9

using RequestedAddressFamily = FamilyAttribute<AttrType::requested_address_family>;
using AdditionalAddressFamily =
    FamilyAttribute<AttrType::additional_address_family>;  // IPv6 is the only valid one

// DATA (RFC 8656 §18.4): the application bytes, any length that fits the message.
struct Data {
  static constexpr AttrType type = AttrType::data;
  using View = Bytes;
  using Value = Bytes;
  static Result<View> decode(Bytes v, const TransactionId&) { return v; }
  static Result<std::size_t> size(Value v) { return v.size(); }
  static void encode(Value v, std::span<std::uint8_t> out, const TransactionId&) {
    detail::write_bytes(out, v);
  }
};

// CHANNEL-NUMBER (RFC 8656 §18.1): 16 bits and 16 RFFU. Numbers outside 0x4000..0x4FFF are
// Error::bad_channel_number both ways (§12: the server answers 400 to them).
struct ChannelNumber {
  static constexpr AttrType type = AttrType::channel_number;
  using View = std::uint16_t;
  using Value = std::uint16_t;
  static Result<View> decode(Bytes v, const TransactionId&);
  static Result<std::size_t> size(Value channel);
  static void encode(Value channel, std::span<std::uint8_t> out, const TransactionId&) {
    detail::write_u32(out, std::uint32_t{channel} << 16);
  }
};

// EVEN-PORT (RFC 8656 §18.7): one byte whose top bit R asks to reserve the next port.
struct EvenPort {
  static constexpr AttrType type = AttrType::even_port;
  using View = bool;
  using Value = bool;
  static Result<View> decode(Bytes v, const TransactionId&);
  static Result<std::size_t> size(Value) { return std::size_t{1}; }
  static void encode(Value reserve, std::span<std::uint8_t> out, const TransactionId&) {
    out[0] = reserve ? 0x80 : 0x00;
  }
};

// REQUESTED-TRANSPORT (RFC 8656 §18.8): an IP protocol number (17 = UDP) and 24 RFFU bits.
struct RequestedTransport {
  static constexpr AttrType type = AttrType::requested_transport;
  using View = std::uint8_t;
  using Value = std::uint8_t;
  static constexpr std::uint8_t kUdp = 17;
  static constexpr std::uint8_t kTcp = 6;  // RFC 6062
  static Result<View> decode(Bytes v, const TransactionId&);
  static Result<std::size_t> size(Value) { return std::size_t{4}; }
  static void encode(Value protocol, std::span<std::uint8_t> out, const TransactionId&) {
    detail::write_u32(out, std::uint32_t{protocol} << 24);
  }
};

// ERROR-CODE (RFC 8489 §14.8): 21 reserved bits, the class (hundreds) and the number (modulo 100), a reason.
struct ErrorCode {
  static constexpr AttrType type = AttrType::error_code;
  using View = ErrorCodeValue;
  using Value = ErrorCodeValue;
  static Result<View> decode(Bytes v, const TransactionId&) { return detail::decode_error_code(v); }
  static Result<std::size_t> size(const Value& e) { return detail::error_code_size(e); }
  static void encode(const Value& e, std::span<std::uint8_t> out, const TransactionId&) {
    detail::write_error_code(out, 0, e.code, e.reason);
  }
};

// ADDRESS-ERROR-CODE (RFC 8656 §18.12): ERROR-CODE with the family in the first byte.
struct AddressErrorCode {
  static constexpr AttrType type = AttrType::address_error_code;
  using View = AddressErrorCodeValue;
  using Value = AddressErrorCodeValue;
  static Result<View> decode(Bytes v, const TransactionId&) { return detail::decode_address_error_code(v); }
  static Result<std::size_t> size(const Value& e) { return detail::address_error_code_size(e); }
  static void encode(const Value& e, std::span<std::uint8_t> out, const TransactionId&) {
    detail::write_error_code(out, static_cast<std::uint8_t>(e.family), e.code, e.reason);
  }
};

// ICMP (RFC 8656 §18.13): 16 reserved bits, the ICMP type and code, 32 bits of error data (the MTU for
// "fragmentation needed" / "packet too big").
struct Icmp {
  static constexpr AttrType type = AttrType::icmp;
  using View = IcmpValue;
  using Value = IcmpValue;
  static Result<View> decode(Bytes v, const TransactionId&);
  static Result<std::size_t> size(const Value&) { return std::size_t{8}; }
  static void encode(const Value& x, std::span<std::uint8_t> out, const TransactionId&);
};

// UNKNOWN-ATTRIBUTES (RFC 8489 §14.13): 16-bit types, padded like any attribute (not by repeating one, as
// RFC 3489 did).
struct UnknownAttributes {
  static constexpr AttrType type = AttrType::unknown_attributes;
  using View = AttributeTypeList;
  using Value = std::span<const std::uint16_t>;
  static Result<View> decode(Bytes v, const TransactionId&);
  static Result<std::size_t> size(Value types);
  static void encode(Value types, std::span<std::uint8_t> out, const TransactionId&);
};

// PASSWORD-ALGORITHMS (RFC 8489 §14.11): a list of (algorithm, parameters) with the parameters padded to 4.
struct PasswordAlgorithms {
  static constexpr AttrType type = AttrType::password_algorithms;
  using View = PasswordAlgorithmList;
  using Value = std::span<const PasswordAlgorithmEntry>;
  static Result<View> decode(Bytes v, const TransactionId&) { return detail::decode_password_algorithms(v); }
  static Result<std::size_t> size(Value entries) { return detail::password_algorithms_size(entries); }
  static void encode(Value entries, std::span<std::uint8_t> out, const TransactionId&) {
    detail::encode_password_algorithms(entries, out);
  }
};

// PASSWORD-ALGORITHM (RFC 8489 §14.12): one entry in the same format.
struct PasswordAlgorithm {
  static constexpr AttrType type = AttrType::password_algorithm;
  using View = PasswordAlgorithmEntry;
  using Value = PasswordAlgorithmEntry;
  static Result<View> decode(Bytes v, const TransactionId&);
  static Result<std::size_t> size(const Value& e) { return detail::password_algorithms_size({&e, 1}); }
  static void encode(const Value& e, std::span<std::uint8_t> out, const TransactionId&) {
    detail::encode_password_algorithms({&e, 1}, out);
  }
};

// Read-only: the Builder computes these (builder.hpp) and integrity.hpp checks them.
struct MessageIntegrity {
  static constexpr AttrType type = AttrType::message_integrity;
  using View = Bytes;  // 20 bytes of HMAC-SHA1
  static Result<View> decode(Bytes v, const TransactionId&);
};
struct MessageIntegritySha256 {
  static constexpr AttrType type = AttrType::message_integrity_sha256;
  using View = Bytes;  // 16..32 bytes of HMAC-SHA256 (truncated when under 32)
  static Result<View> decode(Bytes v, const TransactionId&);
};
struct Fingerprint {
  static constexpr AttrType type = AttrType::fingerprint;
  using View = std::uint32_t;  // CRC-32 XOR 0x5354554E
  static Result<View> decode(Bytes v, const TransactionId&) { return detail::decode_u32(v); }
};

}  // namespace attr

// Whether Builder::add<A> can write A (everything but the three computed attributes).
template <class A>
concept Writable = requires(const typename A::Value& v, std::span<std::uint8_t> out,
                            const TransactionId& id) {
  { A::size(v) } -> std::same_as<Result<std::size_t>>;
  A::encode(v, out, id);
};

// Calls f(attr::X{}) with the traits of a known attribute type and returns true; false for any other type.
template <class F>
bool visit_attribute_type(std::uint16_t type, F&& f) {
  switch (static_cast<AttrType>(type)) {
    case AttrType::mapped_address:
      f(attr::MappedAddress{});
      return true;
    case AttrType::username:
      f(attr::Username{});
      return true;
    case AttrType::message_integrity:
      f(attr::MessageIntegrity{});
      return true;
    case AttrType::error_code:
      f(attr::ErrorCode{});
      return true;
    case AttrType::unknown_attributes:
      f(attr::UnknownAttributes{});
      return true;
    case AttrType::channel_number:
      f(attr::ChannelNumber{});
      return true;
    case AttrType::lifetime:
      f(attr::Lifetime{});
      return true;
    case AttrType::xor_peer_address:
      f(attr::XorPeerAddress{});
      return true;
    case AttrType::data:
      f(attr::Data{});
      return true;
    case AttrType::realm:
      f(attr::Realm{});
      return true;
    case AttrType::nonce:
      f(attr::Nonce{});
      return true;
    case AttrType::xor_relayed_address:
      f(attr::XorRelayedAddress{});
      return true;
    case AttrType::requested_address_family:
      f(attr::RequestedAddressFamily{});
      return true;
    case AttrType::even_port:
      f(attr::EvenPort{});
      return true;
    case AttrType::requested_transport:
      f(attr::RequestedTransport{});
      return true;
    case AttrType::dont_fragment:
      f(attr::DontFragment{});
      return true;
    case AttrType::message_integrity_sha256:
      f(attr::MessageIntegritySha256{});
      return true;
    case AttrType::password_algorithm:
      f(attr::PasswordAlgorithm{});
      return true;
    case AttrType::userhash:
      f(attr::Userhash{});
      return true;
    case AttrType::xor_mapped_address:
      f(attr::XorMappedAddress{});
      return true;
    case AttrType::reservation_token:
      f(attr::ReservationToken{});
      return true;
    case AttrType::priority:
      f(attr::Priority{});
      return true;
    case AttrType::use_candidate:
      f(attr::UseCandidate{});
      return true;
    case AttrType::additional_address_family:
      f(attr::AdditionalAddressFamily{});
      return true;
    case AttrType::address_error_code:
      f(attr::AddressErrorCode{});
      return true;
    case AttrType::password_algorithms:
      f(attr::PasswordAlgorithms{});
      return true;
    case AttrType::alternate_domain:
      f(attr::AlternateDomain{});
      return true;
    case AttrType::icmp:
      f(attr::Icmp{});
      return true;
    case AttrType::software:
      f(attr::Software{});
      return true;
    case AttrType::alternate_server:
      f(attr::AlternateServer{});
      return true;
    case AttrType::fingerprint:
      f(attr::Fingerprint{});
      return true;
    case AttrType::ice_controlled:
      f(attr::IceControlled{});
      return true;
    case AttrType::ice_controlling:
      f(attr::IceControlling{});
      return true;
  }
  return false;
}

// One of the attribute types above.
bool is_known_attribute(std::uint16_t type);

}  // namespace peerhub::stun
