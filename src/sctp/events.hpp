// What an Association reports through poll_event(). Each channel gets exactly one ChannelOpen (local channels
// when the association is up, or at once if it already is; remote ones when their DATA_CHANNEL_OPEN arrives)
// and, once both directions of its stream are reset, exactly one ChannelClosed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace peerhub::sctp {

namespace event {

struct Connected {};

struct ChannelOpen {
  std::uint16_t id = 0;
  std::string label;
  std::string protocol;
  bool ordered = true;
  std::optional<std::uint32_t> max_retransmits;
  std::optional<std::uint32_t> max_lifetime_ms;
  std::uint16_t priority = 256;
  bool negotiated = false;  // agreed out of band: no DCEP
  bool incoming = false;    // the peer opened it with DATA_CHANNEL_OPEN
};

struct Message {
  std::uint16_t id = 0;
  bool binary = false;
  std::vector<std::uint8_t> bytes;
};

// buffered_amount(id) fell from above the channel's threshold to at or below it.
struct BufferedAmountLow {
  std::uint16_t id = 0;
};

// close_channel() was called, or the peer reset its stream: nothing more can be sent.
struct ChannelClosing {
  std::uint16_t id = 0;
};

struct ChannelClosed {
  std::uint16_t id = 0;
};

// The association ended by SHUTDOWN (ours or the peer's) or by close()/abort().
struct Closed {};

// The association could not start or was lost: the peer aborted, or retransmissions ran out.
struct Failed {
  std::string reason;
};

}  // namespace event

using Event = std::variant<event::Connected, event::ChannelOpen, event::Message, event::BufferedAmountLow,
                           event::ChannelClosing, event::ChannelClosed, event::Closed, event::Failed>;

}  // namespace peerhub::sctp
