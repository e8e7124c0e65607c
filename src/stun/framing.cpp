// The stream framer: only the first 4 (or 8) bytes are looked at; the parsers check the rest.
#include "stun/framing.hpp"

#include "stun/channel_data.hpp"
#include "stun/wire.hpp"

namespace peerhub::stun {

Frame next_frame(std::span<const std::uint8_t> buffered, ChannelRange range) {
  if (buffered.size() < 4) return {FrameKind::unknown, 4, Error::none};
  const std::size_t length = wire::u16(buffered, 2);
  if ((buffered[0] & 0xC0U) == 0) {
    if (length % 4 != 0) return {FrameKind::invalid, 0, Error::length_not_multiple_of_4};
    // The cookie is known once 8 bytes are in; a stream that is not STUN is refused early.
    if (buffered.size() >= 8 && wire::u32(buffered, 4) != kMagicCookie)
      return {FrameKind::invalid, 0, Error::bad_magic_cookie};
    return {FrameKind::stun, kHeaderSize + length, Error::none};
  }
  if (valid_channel_number(wire::u16(buffered, 0), range))
    return {FrameKind::channel_data, channel_data_size(length, Transport::stream), Error::none};
  return {FrameKind::invalid, 0, buffered[0] < 0x80 ? Error::bad_channel_number : Error::not_stun};
}

}  // namespace peerhub::stun
