// RFC 8656 §12.4 (format) and §12.5 (padding by transport, and what a receiver drops).
#include "stun/channel_data.hpp"

#include <algorithm>

#include "stun/wire.hpp"

namespace peerhub::stun {

bool looks_like_channel_data(std::span<const std::uint8_t> bytes) {
  return bytes.size() >= kChannelDataHeaderSize && bytes[0] >= 0x40 && bytes[0] <= 0x4F;
}

Result<ChannelData> ChannelData::parse(std::span<const std::uint8_t> bytes, Transport transport,
                                       ChannelRange range) {
  if (bytes.size() < kChannelDataHeaderSize) return Error::channel_data_truncated;
  const std::uint16_t channel = wire::u16(bytes, 0);
  if (!valid_channel_number(channel, range)) return Error::bad_channel_number;
  const std::size_t length = wire::u16(bytes, 2);
  const std::size_t after_header = bytes.size() - kChannelDataHeaderSize;
  // §12.5: a datagram too short for the length it claims is discarded.
  if (after_header < length) return Error::channel_data_truncated;
  if (transport == Transport::stream ? after_header != wire::padded(length)
                                     : after_header > wire::padded(length))
    return Error::channel_data_padding;
  ChannelData c;
  c.channel_ = channel;
  c.data_ = bytes.subspan(kChannelDataHeaderSize, length);
  return c;
}

Result<std::size_t> frame_channel_data_in_place(std::span<std::uint8_t> buffer, std::uint16_t channel,
                                                std::size_t data_size, Transport transport,
                                                ChannelRange range) {
  if (!valid_channel_number(channel, range)) return Error::bad_channel_number;
  if (data_size > 0xFFFF) return Error::value_too_long;
  const std::size_t total = channel_data_size(data_size, transport);
  if (buffer.size() < total) return Error::buffer_too_small;
  wire::put_u16(buffer, 0, channel);
  wire::put_u16(buffer, 2, static_cast<std::uint16_t>(data_size));
  std::fill(buffer.begin() + static_cast<std::ptrdiff_t>(kChannelDataHeaderSize + data_size),
            buffer.begin() + static_cast<std::ptrdiff_t>(total), std::uint8_t{0});
  return total;
}

Result<std::size_t> write_channel_data(std::span<std::uint8_t> out, std::uint16_t channel,
                                       std::span<const std::uint8_t> data, Transport transport,
                                       ChannelRange range) {
  if (out.size() >= kChannelDataHeaderSize + data.size())
    std::copy(data.begin(), data.end(), out.begin() + kChannelDataHeaderSize);
  return frame_channel_data_in_place(out, channel, data.size(), transport, range);
}

}  // namespace peerhub::stun
