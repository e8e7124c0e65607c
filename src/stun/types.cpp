// Names for logs: attribute types, methods, and the module's errors.
#include "stun/types.hpp"

namespace peerhub::stun {

std::string_view attribute_name(std::uint16_t type) {
  switch (static_cast<AttrType>(type)) {
    case AttrType::mapped_address:
      return "MAPPED-ADDRESS";
    case AttrType::username:
      return "USERNAME";
    case AttrType::message_integrity:
      return "MESSAGE-INTEGRITY";
    case AttrType::error_code:
      return "ERROR-CODE";
    case AttrType::unknown_attributes:
      return "UNKNOWN-ATTRIBUTES";
    case AttrType::channel_number:
      return "CHANNEL-NUMBER";
    case AttrType::lifetime:
      return "LIFETIME";
    case AttrType::xor_peer_address:
      return "XOR-PEER-ADDRESS";
    case AttrType::data:
      return "DATA";
    case AttrType::realm:
      return "REALM";
    case AttrType::nonce:
      return "NONCE";
    case AttrType::xor_relayed_address:
      return "XOR-RELAYED-ADDRESS";
    case AttrType::requested_address_family:
      return "REQUESTED-ADDRESS-FAMILY";
    case AttrType::even_port:
      return "EVEN-PORT";
    case AttrType::requested_transport:
      return "REQUESTED-TRANSPORT";
    case AttrType::dont_fragment:
      return "DONT-FRAGMENT";
    case AttrType::message_integrity_sha256:
      return "MESSAGE-INTEGRITY-SHA256";
    case AttrType::password_algorithm:
      return "PASSWORD-ALGORITHM";
    case AttrType::userhash:
      return "USERHASH";
    case AttrType::xor_mapped_address:
      return "XOR-MAPPED-ADDRESS";
    case AttrType::reservation_token:
      return "RESERVATION-TOKEN";
    case AttrType::priority:
      return "PRIORITY";
    case AttrType::use_candidate:
      return "USE-CANDIDATE";
    case AttrType::additional_address_family:
      return "ADDITIONAL-ADDRESS-FAMILY";
    case AttrType::address_error_code:
      return "ADDRESS-ERROR-CODE";
    case AttrType::password_algorithms:
      return "PASSWORD-ALGORITHMS";
    case AttrType::alternate_domain:
      return "ALTERNATE-DOMAIN";
    case AttrType::icmp:
      return "ICMP";
    case AttrType::software:
      return "SOFTWARE";
    case AttrType::alternate_server:
      return "ALTERNATE-SERVER";
    case AttrType::fingerprint:
      return "FINGERPRINT";
    case AttrType::ice_controlled:
      return "ICE-CONTROLLED";
    case AttrType::ice_controlling:
      return "ICE-CONTROLLING";
  }
  return "";
}

std::string_view method_name(Method method) {
  switch (method) {
    case Method::binding:
      return "Binding";
    case Method::allocate:
      return "Allocate";
    case Method::refresh:
      return "Refresh";
    case Method::send:
      return "Send";
    case Method::data:
      return "Data";
    case Method::create_permission:
      return "CreatePermission";
    case Method::channel_bind:
      return "ChannelBind";
    case Method::connect:
      return "Connect";
    case Method::connection_bind:
      return "ConnectionBind";
    case Method::connection_attempt:
      return "ConnectionAttempt";
  }
  return "";
}

std::string_view to_string(Error error) {
  switch (error) {
    case Error::none:
      return "no error";
    case Error::truncated_header:
      return "shorter than the 20-byte STUN header";
    case Error::not_stun:
      return "the two top bits are not zero";
    case Error::bad_magic_cookie:
      return "wrong magic cookie";
    case Error::length_not_multiple_of_4:
      return "message length is not a multiple of 4";
    case Error::length_mismatch:
      return "message length does not match the bytes received";
    case Error::truncated_attribute:
      return "attribute runs past the end of the message";
    case Error::bad_integrity_length:
      return "MESSAGE-INTEGRITY(-SHA256) has the wrong length";
    case Error::bad_fingerprint_length:
      return "FINGERPRINT has the wrong length";
    case Error::missing_attribute:
      return "attribute not present";
    case Error::bad_attribute_length:
      return "attribute value has the wrong length";
    case Error::bad_address_family:
      return "unknown address family";
    case Error::value_too_long:
      return "attribute value is over its limit";
    case Error::bad_utf8:
      return "text attribute is not valid UTF-8 (or ASCII)";
    case Error::bad_error_code:
      return "error code outside 300..699";
    case Error::bad_channel_number:
      return "channel number outside 0x4000..0x4FFF";
    case Error::bad_value:
      return "malformed attribute value";
    case Error::channel_data_truncated:
      return "ChannelData shorter than its length";
    case Error::channel_data_padding:
      return "ChannelData padding does not fit the transport";
    case Error::buffer_too_small:
      return "buffer too small for the message";
    case Error::message_too_long:
      return "message over 65552 bytes";
    case Error::attribute_after_integrity:
      return "attribute after MESSAGE-INTEGRITY";
    case Error::attribute_after_fingerprint:
      return "attribute after FINGERPRINT";
    case Error::no_integrity:
      return "no message integrity attribute";
    case Error::integrity_mismatch:
      return "message integrity check failed";
    case Error::integrity_too_short:
      return "MESSAGE-INTEGRITY-SHA256 truncated below the accepted length";
    case Error::no_fingerprint:
      return "no FINGERPRINT attribute";
    case Error::fingerprint_mismatch:
      return "FINGERPRINT does not match";
    case Error::bad_credentials:
      return "credentials rejected (empty, control characters or invalid UTF-8)";
    case Error::crypto_failure:
      return "OpenSSL failure";
  }
  return "unknown error";
}

}  // namespace peerhub::stun
