// ChannelData messages (RFC 8656 §12.4, §12.5): a 4-byte header (channel number, data length) and the data,
// the TURN fast path that carries no STUN header.
//
// Padding depends on the transport: over UDP it is optional (a datagram may end right after the data, or
// carry up to 3 padding bytes); over TCP and TLS every ChannelData message is padded to a multiple of 4,
// because the next message starts right after it (framing.hpp cuts the stream).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "stun/types.hpp"

namespace peerhub::stun {

enum class Transport : std::uint8_t { udp, stream };  // stream: TCP or TLS

inline constexpr std::size_t kChannelDataHeaderSize = 4;

// §12: channel numbers 0x4000..0x4FFF; 0x5000..0xFFFF are reserved. RFC 5766 allowed 0x4000..0x7FFF, and some
// clients (coturn's turnutils_uclient) still pick numbers up there: a TURN server may accept that range on a
// port nothing else is multiplexed on (RFC 7983's 64..79 first bytes matter only where DTLS and RTP share
// it).
enum class ChannelRange : std::uint8_t { rfc8656, rfc5766 };

constexpr bool valid_channel_number(std::uint16_t n, ChannelRange range = ChannelRange::rfc8656) {
  return n >= 0x4000 && n <= (range == ChannelRange::rfc5766 ? 0x7FFF : 0x4FFF);
}

// RFC 7983's demultiplexing rule: a first byte of 64..79 is TURN ChannelData. Also needs the 4-byte header.
bool looks_like_channel_data(std::span<const std::uint8_t> bytes);

// A validated view over one ChannelData message; data() points into the caller's buffer.
class ChannelData {
 public:
  // Error::channel_data_truncated (fewer than 4 bytes, or fewer data bytes than the length says),
  // bad_channel_number, channel_data_padding (UDP: more than the data and 3 padding bytes; stream: not
  // exactly the data padded to 4).
  static Result<ChannelData> parse(std::span<const std::uint8_t> bytes, Transport transport,
                                   ChannelRange range = ChannelRange::rfc8656);
  static Result<ChannelData> parse(std::vector<std::uint8_t>&&, Transport,
                                   ChannelRange = ChannelRange::rfc8656) = delete;  // would dangle

  std::uint16_t channel() const { return channel_; }
  std::span<const std::uint8_t> data() const { return data_; }

 private:
  ChannelData() = default;
  std::uint16_t channel_ = 0;
  std::span<const std::uint8_t> data_;
};

// The bytes a ChannelData message with `data_size` bytes of data takes on `transport`.
constexpr std::size_t channel_data_size(std::size_t data_size, Transport transport) {
  return kChannelDataHeaderSize +
         (transport == Transport::stream ? (data_size + 3) & ~std::size_t{3} : data_size);
}

// Writes header, data and (stream) zero padding into `out`; returns the message size. Errors:
// bad_channel_number, value_too_long (data over 65535 bytes), buffer_too_small.
Result<std::size_t> write_channel_data(std::span<std::uint8_t> out, std::uint16_t channel,
                                       std::span<const std::uint8_t> data, Transport transport,
                                       ChannelRange range = ChannelRange::rfc8656);

// The zero-copy form for relaying: the shell has received `data_size` bytes from the peer at buffer[4..], and
// this writes the header in front (and the stream padding after). Same errors and result as above.
Result<std::size_t> frame_channel_data_in_place(std::span<std::uint8_t> buffer, std::uint16_t channel,
                                                std::size_t data_size, Transport transport,
                                                ChannelRange range = ChannelRange::rfc8656);

}  // namespace peerhub::stun
