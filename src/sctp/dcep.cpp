#include "sctp/dcep.hpp"

#include <cstdio>
#include <string>

namespace peerhub::sctp::dcep {
namespace {

std::uint16_t u16(std::span<const std::uint8_t> b, std::size_t at) {
  return static_cast<std::uint16_t>((b[at] << 8) | b[at + 1]);
}

std::uint32_t u32(std::span<const std::uint8_t> b, std::size_t at) {
  return (std::uint32_t{b[at]} << 24) | (std::uint32_t{b[at + 1]} << 16) | (std::uint32_t{b[at + 2]} << 8) |
         std::uint32_t{b[at + 3]};
}

void put_u16(std::vector<std::uint8_t>& out, std::uint16_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v));
}

void put_u32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  put_u16(out, static_cast<std::uint16_t>(v >> 16));
  put_u16(out, static_cast<std::uint16_t>(v));
}

std::string hex(std::uint8_t v) {
  char text[8];
  std::snprintf(text, sizeof text, "0x%02X", v);
  return text;
}

bool known_channel_type(std::uint8_t t) {
  switch (t) {
    case 0x00:
    case 0x80:
    case 0x01:
    case 0x81:
    case 0x02:
    case 0x82:
      return true;
    default:
      return false;
  }
}

std::string_view text(std::span<const std::uint8_t> b, std::size_t at, std::size_t size) {
  return {reinterpret_cast<const char*>(b.data()) + at, size};
}

Result<Message> parse_open(std::span<const std::uint8_t> b) {
  // §5.1: type(1) channel type(1) priority(2) reliability parameter(4) label length(2) protocol length(2),
  // then the label and the protocol, neither padded.
  if (b.size() < kOpenHeaderSize) {
    return Error{"DCEP: DATA_CHANNEL_OPEN needs at least 12 bytes, got " + std::to_string(b.size())};
  }
  if (!known_channel_type(b[1])) return Error{"DCEP: unknown channel type " + hex(b[1])};
  const std::size_t label_size = u16(b, 8);
  const std::size_t protocol_size = u16(b, 10);
  const std::size_t need = kOpenHeaderSize + label_size + protocol_size;
  if (need != b.size()) {
    return Error{"DCEP: label length " + std::to_string(label_size) + " and protocol length " +
                 std::to_string(protocol_size) + " need " + std::to_string(need) +
                 " bytes, the message has " + std::to_string(b.size())};
  }
  Open open;
  open.channel_type = static_cast<ChannelType>(b[1]);
  open.priority = u16(b, 2);
  open.reliability_parameter = u32(b, 4);
  open.label = text(b, kOpenHeaderSize, label_size);
  open.protocol = text(b, kOpenHeaderSize + label_size, protocol_size);
  return Message{open};
}

}  // namespace

ChannelType channel_type(const Reliability& r) {
  const std::uint8_t unordered = r.ordered ? 0x00 : 0x80;
  std::uint8_t kind = 0x00;
  if (r.max_retransmits) {
    kind = 0x01;
  } else if (r.max_lifetime_ms) {
    kind = 0x02;
  }
  return static_cast<ChannelType>(unordered | kind);
}

Reliability reliability(ChannelType type, std::uint32_t parameter) {
  const auto bits = static_cast<std::uint8_t>(type);
  Reliability r;
  r.ordered = (bits & 0x80) == 0;
  if ((bits & 0x7F) == 0x01) r.max_retransmits = parameter;
  if ((bits & 0x7F) == 0x02) r.max_lifetime_ms = parameter;
  return r;
}

Result<Message> parse(std::span<const std::uint8_t> bytes) {
  if (bytes.empty()) return Error{"DCEP: empty message"};
  switch (bytes[0]) {
    case kOpen:
      return parse_open(bytes);
    case kAck:
      // §5.2: the ACK is the type byte alone.
      if (bytes.size() != 1) {
        return Error{"DCEP: DATA_CHANNEL_ACK is 1 byte, got " + std::to_string(bytes.size())};
      }
      return Message{Ack{}};
    default:
      return Error{"DCEP: unknown message type " + hex(bytes[0])};
  }
}

Result<std::vector<std::uint8_t>> write(const Open& open) {
  if (open.label.size() > 0xFFFF) {
    return Error{"DCEP: label of " + std::to_string(open.label.size()) + " bytes is over 65535"};
  }
  if (open.protocol.size() > 0xFFFF) {
    return Error{"DCEP: protocol of " + std::to_string(open.protocol.size()) + " bytes is over 65535"};
  }
  std::vector<std::uint8_t> out;
  out.reserve(kOpenHeaderSize + open.label.size() + open.protocol.size());
  out.push_back(kOpen);
  out.push_back(static_cast<std::uint8_t>(open.channel_type));
  put_u16(out, open.priority);
  put_u32(out, open.reliability_parameter);
  put_u16(out, static_cast<std::uint16_t>(open.label.size()));
  put_u16(out, static_cast<std::uint16_t>(open.protocol.size()));
  out.insert(out.end(), open.label.begin(), open.label.end());
  out.insert(out.end(), open.protocol.begin(), open.protocol.end());
  return out;
}

std::vector<std::uint8_t> write_ack() {
  return {kAck};
}

}  // namespace peerhub::sctp::dcep
