// PeerHost's side of TURN over TCP (peer_connection.hpp's driving contract): a Transmit whose turn_stream is
// set goes on the TCP connection to that TURN server, opened on first use; frames read from it go to
// PeerConnection::handle_turn_stream, and its end to turn_stream_closed.
#include <spdlog/spdlog.h>

#include "common/log.hpp"
#include "net/peer_host.hpp"
#include "net/turn_client_stream.hpp"

namespace peerhub::net {

namespace {
// More TURN servers than ICE ever allocates on (ice::Limits::relays); an index past this is dropped.
constexpr std::size_t kMaxTurnStreams = 16;
}  // namespace

void PeerHost::send_turn_stream(ice::Transmit&& transmit) {
  const std::size_t index = *transmit.turn_stream;
  if (closed_ || index >= kMaxTurnStreams) return;
  if (index >= turn_streams_.size()) turn_streams_.resize(index + 1);
  auto& stream = turn_streams_[index];
  if (!stream) {
    TurnClientStream::Handlers handlers;
    // The handlers run from the io_context, never inside flush() or a stream's own call; `alive` guards a
    // frame's handling, which may end this host through its event callback.
    handlers.frame = [this, index, alive = alive_](std::span<const std::uint8_t> frame) {
      if (!*alive || closed_) return;
      pc_.handle_turn_stream(now(), index, frame);
    };
    handlers.read_done = [this, alive = alive_] {
      if (*alive && !closed_) flush();
    };
    const auto server = stun::to_string(transmit.destination);
    handlers.closed = [this, index, server, alive = alive_](const std::string& why) {
      if (!*alive || closed_) return;
      spdlog::warn(log::event("turn-tcp-closed", {{"server", server}, {"reason", why}}));
      pc_.turn_stream_closed(now(), index);
      flush();
    };
    stream = std::make_unique<TurnClientStream>(io_, transmit.destination, std::move(handlers));
  }
  // A closed connection drops it (the agent has been told, or is about to be); a full queue drops data as a
  // congested path would (turn_client_stream.hpp).
  (void)stream->send(std::move(transmit.bytes));
}

}  // namespace peerhub::net
