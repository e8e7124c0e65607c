// Cutting a TCP or TLS byte stream into STUN messages and ChannelData messages (RFC 8656 §12.5, RFC 8489
// §6.2.2), which follow each other with no other framing. The first byte tells them apart: its two top bits
// clear is STUN (RFC 8489 §5; the magic cookie confirms it once 8 bytes are in), 64..79 is ChannelData
// (RFC 7983); anything else cannot be framed and the connection should be closed.
//
// Driving contract: after every read, call next_frame() on the unconsumed bytes; when it says stun or
// channel_data and `size` bytes are buffered, hand exactly those bytes to Message::parse() or
// ChannelData::parse(.., Transport::stream), drop them, and ask again. A frame is never over kMaxFrameSize
// (65552) bytes, so a receive buffer of that size always makes progress.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "stun/channel_data.hpp"
#include "stun/types.hpp"

namespace peerhub::stun {

enum class FrameKind : std::uint8_t {
  unknown,       // fewer than 4 bytes buffered: read at least `size` (4) before asking again
  stun,          // a STUN message of `size` bytes (20 + its length field)
  channel_data,  // a ChannelData message of `size` bytes (4 + its length padded to 4)
  invalid,       // not a frame this server accepts; `error` says why
};

struct Frame {
  FrameKind kind = FrameKind::unknown;
  std::size_t size = 0;
  Error error = Error::none;
};

// The larger of STUN (20 + 0xFFFC) and ChannelData (4 + 0x10000 on a stream).
inline constexpr std::size_t kMaxFrameSize = kMaxMessageSize;
static_assert(kMaxFrameSize >= 4 + 0x10000);

// `range`: the channel numbers that frame as ChannelData (channel_data.hpp).
Frame next_frame(std::span<const std::uint8_t> buffered, ChannelRange range = ChannelRange::rfc8656);

}  // namespace peerhub::stun
