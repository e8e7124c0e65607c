#include "peer/demux.hpp"

// Every boundary of the RFC 7983 table, checked when this library is compiled.
namespace peerhub::peer {
namespace {
constexpr PacketKind first(std::uint8_t b) {
  const std::uint8_t bytes[1] = {b};
  return classify(std::span<const std::uint8_t>(bytes, 1));
}
static_assert(first(0) == PacketKind::stun && first(3) == PacketKind::stun);
static_assert(first(4) == PacketKind::unknown && first(15) == PacketKind::unknown);
static_assert(first(16) == PacketKind::zrtp && first(19) == PacketKind::zrtp);
static_assert(first(20) == PacketKind::dtls && first(63) == PacketKind::dtls);
static_assert(first(64) == PacketKind::turn_channel && first(79) == PacketKind::turn_channel);
static_assert(first(80) == PacketKind::unknown && first(127) == PacketKind::unknown);
static_assert(first(128) == PacketKind::rtp && first(191) == PacketKind::rtp);
static_assert(first(192) == PacketKind::unknown && first(255) == PacketKind::unknown);
}  // namespace
}  // namespace peerhub::peer
