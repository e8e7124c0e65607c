// What a datagram on an ICE transport carries, from its first byte alone (RFC 7983 §7, updating RFC 5764
// §5.1.2). One pure function, so the peer and the server's media port demultiplex the same way.
//
//                  +----------------+
//                  |        [0..3] -+--> STUN
//                  |                |
//                  |      [16..19] -+--> ZRTP
//      packet -->  |                |
//                  |      [20..63] -+--> DTLS
//                  |                |
//                  |      [64..79] -+--> TURN ChannelData
//                  |                |
//                  |    [128..191] -+--> RTP/RTCP
//                  +----------------+
//
// Anything else (and an empty datagram) is dropped, as RFC 7983 §7 says.
#pragma once
#include <cstdint>
#include <span>

namespace peerhub::peer {

enum class PacketKind : std::uint8_t { stun, zrtp, dtls, turn_channel, rtp, unknown };

constexpr PacketKind classify(std::span<const std::uint8_t> packet) {
  if (packet.empty()) return PacketKind::unknown;
  const std::uint8_t b = packet[0];
  if (b <= 3) return PacketKind::stun;
  if (b >= 16 && b <= 19) return PacketKind::zrtp;
  if (b >= 20 && b <= 63) return PacketKind::dtls;
  if (b >= 64 && b <= 79) return PacketKind::turn_channel;
  if (b >= 128 && b <= 191) return PacketKind::rtp;
  return PacketKind::unknown;
}

// RTP and RTCP share [128..191] (RFC 5761 §4): with rtcp-mux, payload types 192–223 of the second byte (the
// RTCP packet types SR 200 … XR 207 and the feedback types, whose marker bit is always set) are RTCP.
constexpr bool is_rtcp(std::span<const std::uint8_t> packet) {
  return packet.size() >= 2 && packet[1] >= 192 && packet[1] <= 223;
}

}  // namespace peerhub::peer
