// The Data Channel Establishment Protocol (RFC 8832 §5): DATA_CHANNEL_OPEN and DATA_CHANNEL_ACK, the two
// messages that travel with PPID 50 on the stream of the channel they open. Pure: bytes in, a view or words
// out; nothing here knows about SCTP.
//
// parse() never trusts a length: the label and protocol lengths must fit inside the message exactly, and
// the result's strings point into the caller's buffer.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <variant>
#include <vector>

#include "sctp/result.hpp"

namespace peerhub::sctp::dcep {

// §8.2.1: message types.
inline constexpr std::uint8_t kAck = 0x02;
inline constexpr std::uint8_t kOpen = 0x03;
inline constexpr std::size_t kOpenHeaderSize = 12;
inline constexpr std::size_t kMaxOpenSize = kOpenHeaderSize + 2 * 0xFFFF;  // both lengths at their maximum

// §5.1: the channel type byte. Bit 0x80 means unordered; the low bits say how reliable.
enum class ChannelType : std::uint8_t {
  reliable = 0x00,
  reliable_unordered = 0x80,
  partial_reliable_rexmit = 0x01,
  partial_reliable_rexmit_unordered = 0x81,
  partial_reliable_timed = 0x02,
  partial_reliable_timed_unordered = 0x82,
};

// §5.1 priorities (RFC 8831 §6.4 maps them to the W3C levels). Any 16-bit value is carried.
inline constexpr std::uint16_t kPriorityBelowNormal = 128;
inline constexpr std::uint16_t kPriorityNormal = 256;
inline constexpr std::uint16_t kPriorityHigh = 512;
inline constexpr std::uint16_t kPriorityExtraHigh = 1024;

// The reliability a channel asks for, as the application sees it.
struct Reliability {
  bool ordered = true;
  std::optional<std::uint32_t> max_retransmits;  // partial_reliable_rexmit
  std::optional<std::uint32_t> max_lifetime_ms;  // partial_reliable_timed
};

ChannelType channel_type(const Reliability& r);  // max_retransmits wins if both are set (callers refuse that)
Reliability reliability(ChannelType type, std::uint32_t parameter);

// DATA_CHANNEL_OPEN, as a view: label and protocol point into the parsed buffer.
struct Open {
  ChannelType channel_type = ChannelType::reliable;
  std::uint16_t priority = kPriorityNormal;
  std::uint32_t reliability_parameter = 0;  // §5.1: ignored for the reliable types
  std::string_view label;
  std::string_view protocol;
};

struct Ack {};

using Message = std::variant<Open, Ack>;

// Errors name the field: "DCEP: unknown message type 0x07", "DCEP: label length 300 and protocol length 0
// need 312 bytes, the message has 20", "DCEP: unknown channel type 0x03".
Result<Message> parse(std::span<const std::uint8_t> bytes);
Result<Message> parse(std::vector<std::uint8_t>&&) = delete;  // the view would dangle

// Errors: a label or protocol longer than 65535 bytes.
Result<std::vector<std::uint8_t>> write(const Open& open);
std::vector<std::uint8_t> write_ack();

}  // namespace peerhub::sctp::dcep
