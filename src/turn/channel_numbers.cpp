#include "turn/channel_numbers.hpp"

namespace peerhub::turn {
namespace {

std::uint16_t u16(std::span<const std::uint8_t> b, std::size_t at) {
  return static_cast<std::uint16_t>((b[at] << 8) | b[at + 1]);
}

}  // namespace

std::optional<ChannelFrame> parse_channel_frame(std::span<const std::uint8_t> bytes,
                                                stun::Transport transport, bool rfc5766) {
  if (bytes.size() < stun::kChannelDataHeaderSize) return std::nullopt;
  const std::uint16_t channel = u16(bytes, 0);
  if (stun::valid_channel_number(channel)) {
    const auto c = stun::ChannelData::parse(bytes, transport);
    if (!c) return std::nullopt;
    return ChannelFrame{c->channel(), c->data()};
  }
  if (!channel_number_ok(channel, rfc5766)) return std::nullopt;
  // RFC 5766's upper range, with the codec's rules (§12.5).
  const std::size_t length = u16(bytes, 2);
  const std::size_t after_header = bytes.size() - stun::kChannelDataHeaderSize;
  const std::size_t padded = (length + 3) & ~std::size_t{3};
  if (after_header < length) return std::nullopt;
  if (transport == stun::Transport::stream ? after_header != padded : after_header > padded)
    return std::nullopt;
  return ChannelFrame{channel, bytes.subspan(stun::kChannelDataHeaderSize, length)};
}

std::optional<std::size_t> write_channel_frame(std::span<std::uint8_t> out, std::uint16_t channel,
                                               std::span<const std::uint8_t> data,
                                               stun::Transport transport) {
  // The codec frames it under a number it accepts; the real number goes into the first two bytes after.
  const bool upper = !stun::valid_channel_number(channel);
  const auto size = stun::write_channel_data(out, upper ? std::uint16_t{0x4000} : channel, data, transport);
  if (!size) return std::nullopt;
  out[0] = static_cast<std::uint8_t>(channel >> 8);
  out[1] = static_cast<std::uint8_t>(channel);
  return *size;
}

stun::Frame next_stream_frame(std::span<const std::uint8_t> buffered, bool rfc5766) {
  const stun::Frame frame = stun::next_frame(buffered);
  if (frame.kind != stun::FrameKind::invalid || !rfc5766 || !channel_number_ok(u16(buffered, 0), true))
    return frame;
  const std::size_t length = u16(buffered, 2);
  return {stun::FrameKind::channel_data, stun::channel_data_size(length, stun::Transport::stream),
          stun::Error::none};
}

std::optional<std::uint16_t> channel_number(const stun::Message& m, bool rfc5766) {
  const auto a = m.find(stun::AttrType::channel_number);
  if (!a || a->value.size() != 4) return std::nullopt;  // a number and 16 RFFU bits
  const std::uint16_t n = u16(a->value, 0);
  if (!channel_number_ok(n, rfc5766)) return std::nullopt;
  return n;
}

}  // namespace peerhub::turn
