#include "turn/channel_numbers.hpp"

namespace peerhub::turn {
namespace {

std::uint16_t u16(std::span<const std::uint8_t> b, std::size_t at) {
  return static_cast<std::uint16_t>((b[at] << 8) | b[at + 1]);
}

}  // namespace

std::optional<ChannelFrame> parse_channel_frame(std::span<const std::uint8_t> bytes,
                                                stun::Transport transport, bool rfc5766) {
  const auto c = stun::ChannelData::parse(bytes, transport, channel_range(rfc5766));
  if (!c) return std::nullopt;
  return ChannelFrame{c->channel(), c->data()};
}

std::optional<std::size_t> write_channel_frame(std::span<std::uint8_t> out, std::uint16_t channel,
                                               std::span<const std::uint8_t> data,
                                               stun::Transport transport) {
  // The binding was checked against the configured range when it was made: any number it holds is written.
  const auto size = stun::write_channel_data(out, channel, data, transport, stun::ChannelRange::rfc5766);
  if (!size) return std::nullopt;
  return *size;
}

stun::Frame next_stream_frame(std::span<const std::uint8_t> buffered, bool rfc5766) {
  return stun::next_frame(buffered, channel_range(rfc5766));
}

std::optional<std::uint16_t> channel_number(const stun::Message& m, bool rfc5766) {
  const auto a = m.find(stun::AttrType::channel_number);
  if (!a || a->value.size() != 4) return std::nullopt;  // a number and 16 RFFU bits
  const std::uint16_t n = u16(a->value, 0);
  if (!channel_number_ok(n, rfc5766)) return std::nullopt;
  return n;
}

}  // namespace peerhub::turn
