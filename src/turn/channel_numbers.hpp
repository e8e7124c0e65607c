// Channel numbers and ChannelData as the core accepts them. RFC 8656 §12 allows 0x4000–0x4FFF; RFC 5766
// allowed 0x4000–0x7FFF, and coturn's own clients (turnutils_uclient) still pick numbers such as 0x75AF from
// that range, so by default (ServerConfig::rfc5766_channels) the core takes the whole RFC 5766 range. On the
// TURN port nothing else is multiplexed, so a first byte of 0x50–0x7F cannot be mistaken for another protocol
// (RFC 7983's narrower 64–79 is for ports shared with DTLS and RTP).
//
// The codec applies the range (stun::ChannelRange); these forward the core's setting to it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "stun/channel_data.hpp"
#include "stun/framing.hpp"
#include "stun/message.hpp"

namespace peerhub::turn {

constexpr stun::ChannelRange channel_range(bool rfc5766) {
  return rfc5766 ? stun::ChannelRange::rfc5766 : stun::ChannelRange::rfc8656;
}

constexpr bool channel_number_ok(std::uint16_t n, bool rfc5766) {
  return stun::valid_channel_number(n, channel_range(rfc5766));
}

// Whether a first byte announces ChannelData (0x40–0x4F, or 0x40–0x7F with RFC 5766's range).
constexpr bool channel_data_first_byte(std::uint8_t b, bool rfc5766) {
  return b >= 0x40 && b <= (rfc5766 ? 0x7F : 0x4F);
}

struct ChannelFrame {
  std::uint16_t channel = 0;
  std::span<const std::uint8_t> data;
};

std::optional<ChannelFrame> parse_channel_frame(std::span<const std::uint8_t> bytes,
                                                stun::Transport transport, bool rfc5766);

// Writes the frame into `out` (padded on a stream); nullopt when it does not fit or the data is over 65535.
std::optional<std::size_t> write_channel_frame(std::span<std::uint8_t> out, std::uint16_t channel,
                                               std::span<const std::uint8_t> data, stun::Transport transport);

// stun::next_frame() for a client's TCP/TLS stream, with RFC 5766's channel numbers when `rfc5766`: the shell
// cuts streams with this one, so that coturn's clients can use channels over TCP.
stun::Frame next_stream_frame(std::span<const std::uint8_t> buffered, bool rfc5766);

// CHANNEL-NUMBER (§18.1): nullopt when absent, malformed or out of range.
std::optional<std::uint16_t> channel_number(const stun::Message& m, bool rfc5766);

}  // namespace peerhub::turn
