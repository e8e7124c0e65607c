// Reading and writing attribute values. Every read is preceded by a size check on the value span; writers get
// a span of exactly the size their size() function returned.
#include "stun/attributes.hpp"

#include <algorithm>

#include "stun/utf8.hpp"
#include "stun/wire.hpp"

namespace peerhub::stun {

namespace {

constexpr std::size_t kMaxReasonDecode = 763;  // RFC 8489 §14.8: fewer than 128 characters
constexpr std::size_t kMaxReasonEncode = 509;
constexpr std::size_t kMaxValue = 0xFFFF;

bool valid_family(std::uint8_t f) {
  return f == static_cast<std::uint8_t>(Family::ipv4) || f == static_cast<std::uint8_t>(Family::ipv6);
}

// §14.2: the port is XORed with the cookie's top 16 bits, an IPv4 address with the cookie, an IPv6 address
// with the cookie followed by the transaction id.
std::array<std::uint8_t, 16> xor_mask(const TransactionId& id) {
  std::array<std::uint8_t, 16> mask{0x21, 0x12, 0xA4, 0x42};
  std::copy(id.begin(), id.end(), mask.begin() + 4);
  return mask;
}

Result<std::uint16_t> decode_code(std::uint8_t cls_byte, std::uint8_t number) {
  // §14.8: the class is 3..6 and the number 0..99; the reserved bits above the class are ignored.
  const unsigned cls = cls_byte & 0x07U;
  if (cls < 3 || cls > 6 || number > 99) return Error::bad_error_code;
  return static_cast<std::uint16_t>(cls * 100 + number);
}

Result<std::size_t> code_and_reason_size(std::uint16_t code, std::string_view reason) {
  if (code < 300 || code > 699) return Error::bad_error_code;
  if (reason.size() > kMaxReasonEncode) return Error::value_too_long;
  if (!detail::valid_utf8(reason)) return Error::bad_utf8;
  return 4 + reason.size();
}

std::string_view as_text(Bytes v) {
  return {reinterpret_cast<const char*>(v.data()), v.size()};
}

}  // namespace

namespace detail {

Result<Address> decode_address(Bytes v, bool xored, const TransactionId& id) {
  // §14.1: 8 bits reserved (ignored), the family, the port, then 4 or 16 address bytes.
  if (v.size() < 4) return Error::bad_attribute_length;
  if (!valid_family(v[1])) return Error::bad_address_family;
  Address a;
  a.family = static_cast<Family>(v[1]);
  const std::size_t ip_size = a.family == Family::ipv4 ? 4 : 16;
  if (v.size() != 4 + ip_size) return Error::bad_attribute_length;
  const auto mask = xor_mask(id);
  a.port = static_cast<std::uint16_t>(wire::u16(v, 2) ^ (xored ? kMagicCookie >> 16 : 0U));
  for (std::size_t i = 0; i < ip_size; ++i)
    a.bytes[i] = static_cast<std::uint8_t>(v[4 + i] ^ (xored ? mask[i] : 0U));
  return a;
}

Result<std::size_t> address_size(const Address& a) {
  if (!valid_family(static_cast<std::uint8_t>(a.family))) return Error::bad_address_family;
  return std::size_t{a.family == Family::ipv4 ? 8U : 20U};
}

void encode_address(const Address& a, bool xored, std::span<std::uint8_t> out, const TransactionId& id) {
  out[0] = 0;
  out[1] = static_cast<std::uint8_t>(a.family);
  wire::put_u16(out, 2, static_cast<std::uint16_t>(a.port ^ (xored ? kMagicCookie >> 16 : 0U)));
  const auto mask = xor_mask(id);
  for (std::size_t i = 0; i + 4 < out.size(); ++i)
    out[4 + i] = static_cast<std::uint8_t>(a.bytes[i] ^ (xored ? mask[i] : 0U));
}

Result<std::uint32_t> decode_u32(Bytes v) {
  if (v.size() != 4) return Error::bad_attribute_length;
  return wire::u32(v, 0);
}

Result<std::uint64_t> decode_u64(Bytes v) {
  if (v.size() != 8) return Error::bad_attribute_length;
  return wire::u64(v, 0);
}

Result<Empty> decode_empty(Bytes v) {
  if (!v.empty()) return Error::bad_attribute_length;
  return Empty{};
}

Result<std::string_view> decode_text(Bytes v, std::size_t max, bool ascii) {
  if (v.size() > max) return Error::value_too_long;
  const std::string_view s = as_text(v);
  if (ascii ? !std::all_of(v.begin(), v.end(), [](std::uint8_t c) { return c < 0x80; }) : !valid_utf8(s))
    return Error::bad_utf8;
  return s;
}

Result<std::size_t> text_size(std::string_view s, std::size_t max, bool ascii) {
  const Bytes v(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
  if (const auto checked = decode_text(v, max, ascii); !checked) return checked.error();
  return s.size();
}

Result<Family> decode_family(Bytes v) {
  if (v.size() != 4) return Error::bad_attribute_length;
  if (!valid_family(v[0])) return Error::bad_address_family;  // the 24 bits after it are reserved
  return static_cast<Family>(v[0]);
}

Result<std::size_t> family_size(Family f) {
  if (!valid_family(static_cast<std::uint8_t>(f))) return Error::bad_address_family;
  return std::size_t{4};
}

Result<ErrorCodeValue> decode_error_code(Bytes v) {
  if (v.size() < 4) return Error::bad_attribute_length;
  const auto code = decode_code(v[2], v[3]);
  if (!code) return code.error();
  if (v.size() - 4 > kMaxReasonDecode) return Error::value_too_long;
  return ErrorCodeValue{*code, as_text(v.subspan(4))};
}

Result<std::size_t> error_code_size(const ErrorCodeValue& e) {
  return code_and_reason_size(e.code, e.reason);
}

Result<AddressErrorCodeValue> decode_address_error_code(Bytes v) {
  if (v.size() < 4) return Error::bad_attribute_length;
  if (!valid_family(v[0])) return Error::bad_address_family;
  const auto code = decode_code(v[2], v[3]);
  if (!code) return code.error();
  if (v.size() - 4 > kMaxReasonDecode) return Error::value_too_long;
  return AddressErrorCodeValue{static_cast<Family>(v[0]), *code, as_text(v.subspan(4))};
}

Result<std::size_t> address_error_code_size(const AddressErrorCodeValue& e) {
  if (!valid_family(static_cast<std::uint8_t>(e.family))) return Error::bad_address_family;
  return code_and_reason_size(e.code, e.reason);
}

void write_error_code(std::span<std::uint8_t> out, std::uint8_t first_byte, std::uint16_t code,
                      std::string_view reason) {
  out[0] = first_byte;
  out[1] = 0;
  out[2] = static_cast<std::uint8_t>(code / 100);
  out[3] = static_cast<std::uint8_t>(code % 100);
  write_bytes(out.subspan(4), {reinterpret_cast<const std::uint8_t*>(reason.data()), reason.size()});
}

Result<PasswordAlgorithmList> decode_password_algorithms(Bytes v) {
  std::size_t at = 0;
  while (at < v.size()) {
    if (v.size() - at < 4) return Error::bad_value;
    const std::size_t params = wire::u16(v, at + 2);
    if (v.size() - at - 4 < params) return Error::bad_value;
    at +=
        4 + wire::padded(params);  // past the end only by the last entry's padding, which the attribute holds
  }
  return PasswordAlgorithmList(v);
}

Result<std::size_t> password_algorithms_size(std::span<const PasswordAlgorithmEntry> entries) {
  std::size_t total = 0;
  for (const PasswordAlgorithmEntry& e : entries) {
    if (e.parameters.size() > kMaxValue) return Error::value_too_long;
    total += 4 + wire::padded(e.parameters.size());
    if (total > kMaxValue) return Error::value_too_long;
  }
  return total;
}

void encode_password_algorithms(std::span<const PasswordAlgorithmEntry> entries,
                                std::span<std::uint8_t> out) {
  std::size_t at = 0;
  for (const PasswordAlgorithmEntry& e : entries) {
    wire::put_u16(out, at, e.algorithm);
    wire::put_u16(out, at + 2, static_cast<std::uint16_t>(e.parameters.size()));
    write_bytes(out.subspan(at + 4, e.parameters.size()), e.parameters);
    const std::size_t end = at + 4 + wire::padded(e.parameters.size());
    std::fill(out.begin() + static_cast<std::ptrdiff_t>(at + 4 + e.parameters.size()),
              out.begin() + static_cast<std::ptrdiff_t>(end), std::uint8_t{0});
    at = end;
  }
}

void write_u32(std::span<std::uint8_t> out, std::uint32_t v) {
  wire::put_u32(out, 0, v);
}
void write_u64(std::span<std::uint8_t> out, std::uint64_t v) {
  wire::put_u64(out, 0, v);
}
void write_bytes(std::span<std::uint8_t> out, Bytes v) {
  std::copy(v.begin(), v.end(), out.begin());
}

}  // namespace detail

namespace attr {

Result<std::uint16_t> ChannelNumber::decode(Bytes v, const TransactionId&) {
  if (v.size() != 4) return Error::bad_attribute_length;
  const std::uint16_t channel = wire::u16(v, 0);  // the 16 RFFU bits after it are ignored
  if (channel < 0x4000 || channel > 0x4FFF) return Error::bad_channel_number;
  return channel;
}

Result<std::size_t> ChannelNumber::size(Value channel) {
  if (channel < 0x4000 || channel > 0x4FFF) return Error::bad_channel_number;
  return std::size_t{4};
}

Result<bool> EvenPort::decode(Bytes v, const TransactionId&) {
  if (v.size() != 1) return Error::bad_attribute_length;
  return (v[0] & 0x80U) != 0;
}

Result<std::uint8_t> RequestedTransport::decode(Bytes v, const TransactionId&) {
  if (v.size() != 4) return Error::bad_attribute_length;
  return v[0];
}

Result<IcmpValue> Icmp::decode(Bytes v, const TransactionId&) {
  if (v.size() != 8) return Error::bad_attribute_length;
  return IcmpValue{v[2], v[3], wire::u32(v, 4)};
}

void Icmp::encode(const Value& x, std::span<std::uint8_t> out, const TransactionId&) {
  out[0] = 0;
  out[1] = 0;
  out[2] = x.type;
  out[3] = x.code;
  wire::put_u32(out, 4, x.error_data);
}

Result<AttributeTypeList> UnknownAttributes::decode(Bytes v, const TransactionId&) {
  if (v.size() % 2 != 0) return Error::bad_attribute_length;
  return AttributeTypeList(v);
}

Result<std::size_t> UnknownAttributes::size(Value types) {
  if (types.size() * 2 > kMaxValue) return Error::value_too_long;
  return types.size() * 2;
}

void UnknownAttributes::encode(Value types, std::span<std::uint8_t> out, const TransactionId&) {
  for (std::size_t i = 0; i < types.size(); ++i)
    wire::put_u16(out, 2 * i, types[i]);
}

Result<PasswordAlgorithmEntry> PasswordAlgorithm::decode(Bytes v, const TransactionId&) {
  const auto list = detail::decode_password_algorithms(v);
  if (!list) return list.error();
  auto it = list->begin();
  if (it == list->end()) return Error::bad_value;
  const PasswordAlgorithmEntry entry = *it;
  if (++it != list->end()) return Error::bad_value;  // exactly one
  return entry;
}

Result<Bytes> MessageIntegrity::decode(Bytes v, const TransactionId&) {
  if (v.size() != 20) return Error::bad_integrity_length;
  return v;
}

Result<Bytes> MessageIntegritySha256::decode(Bytes v, const TransactionId&) {
  if (v.size() < 16 || v.size() > 32 || v.size() % 4 != 0) return Error::bad_integrity_length;
  return v;
}

}  // namespace attr

bool is_known_attribute(std::uint16_t type) {
  return visit_attribute_type(type, [](auto) {});
}

}  // namespace peerhub::stun
