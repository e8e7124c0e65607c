// Data channels of the PeerConnection: handles that exist before SCTP does (W3C createDataChannel works
// before negotiation), mapped to SCTP stream ids once the DTLS roles have fixed which ids are ours (RFC 8832
// §6).
#include "common/overloaded.hpp"
#include "peer/peer_connection_impl.hpp"

namespace peerhub::peer {
namespace {

sctp::ChannelOptions options_for(const std::string& label, const DataChannelInit& init) {
  sctp::ChannelOptions o;
  o.label = label;
  o.protocol = init.protocol;
  o.ordered = init.ordered;
  o.max_retransmits = init.max_retransmits;
  o.max_lifetime_ms = init.max_lifetime_ms;
  o.negotiated_id = init.negotiated_id;
  return o;
}

}  // namespace

Result<ChannelId> PeerConnection::create_data_channel(std::string label, const DataChannelInit& init) {
  auto& s = *impl_;
  if (s.signaling == SignalingState::closed) return Error{"the connection is closed"};
  if (init.max_retransmits && init.max_lifetime_ms) {
    return Error{"a channel takes max_retransmits or max_lifetime_ms, not both"};
  }
  if (label.size() > 65535 || init.protocol.size() > 65535)
    return Error{"label and protocol are at most 65535 bytes"};
  if (s.channels.size() >= kMaxChannels) return Error{"too many data channels (at most 1024)"};
  const ChannelId id = s.next_channel++;
  Channel channel;
  channel.label = std::move(label);
  channel.init = init;
  if (s.sctp) {
    auto stream = s.sctp->open_channel(options_for(channel.label, init));
    if (!stream) return Error{stream.error()};
    channel.stream = *stream;
    s.by_stream[*stream] = id;
  }
  s.channels.emplace(id, std::move(channel));
  return id;
}

void PeerConnection::Impl::open_pending_channels() {
  for (auto it = channels.begin(); it != channels.end();) {
    auto& [id, channel] = *it;
    if (channel.stream) {
      ++it;
      continue;
    }
    auto stream = sctp->open_channel(options_for(channel.label, channel.init));
    if (!stream) {
      // The W3C API would fire an error on the channel; this peer closes it, which is what the caller sees.
      emit(event::ChannelClosed{id});
      it = channels.erase(it);
      continue;
    }
    channel.stream = *stream;
    by_stream[*stream] = id;
    ++it;
  }
}

void PeerConnection::Impl::on_sctp_event(sctp::Event&& e) {
  std::visit(Overloaded{
                 [&](sctp::event::Connected&) {},
                 [&](sctp::event::ChannelOpen& o) {
                   ChannelId id = 0;
                   if (auto known = by_stream.find(o.id); known != by_stream.end()) {
                     id = known->second;
                   } else {
                     if (channels.size() >= kMaxChannels) {
                       (void)sctp->close_channel(o.id);
                       return;
                     }
                     id = next_channel++;
                     Channel channel;
                     channel.stream = o.id;
                     channel.label = o.label;
                     channel.init.ordered = o.ordered;
                     channel.init.protocol = o.protocol;
                     channels.emplace(id, std::move(channel));
                     by_stream[o.id] = id;
                   }
                   channels[id].open = true;
                   emit(event::ChannelOpen{id, o.label, o.protocol, o.incoming, o.ordered});
                 },
                 [&](sctp::event::Message& m) {
                   const auto known = by_stream.find(m.id);
                   if (known == by_stream.end()) return;
                   emit(event::Message{known->second, m.binary, std::move(m.bytes)});
                 },
                 [&](sctp::event::BufferedAmountLow& b) {
                   const auto known = by_stream.find(b.id);
                   if (known != by_stream.end()) emit(event::BufferedAmountLow{known->second});
                 },
                 [&](sctp::event::ChannelClosing&) {},
                 [&](sctp::event::ChannelClosed& c) {
                   const auto known = by_stream.find(c.id);
                   if (known == by_stream.end()) return;
                   const ChannelId id = known->second;
                   by_stream.erase(known);
                   channels.erase(id);
                   emit(event::ChannelClosed{id});
                 },
                 [&](sctp::event::Closed&) { remote_closed(); },
                 [&](sctp::event::Failed& f) { fail("SCTP: " + f.reason); },
             },
             e);
}

namespace {

Result<void> send_on(PeerConnection::Impl& s, ChannelId id, bool binary,
                     std::span<const std::uint8_t> bytes) {
  const auto it = s.channels.find(id);
  if (it == s.channels.end()) return Error{"no data channel " + std::to_string(id)};
  if (!it->second.open || !it->second.stream || !s.sctp) {
    return Error{"data channel \"" + it->second.label + "\" is not open yet"};
  }
  auto sent = s.sctp->send(*it->second.stream, binary, bytes);
  if (!sent) return Error{sent.error()};
  return {};
}

}  // namespace

Result<void> PeerConnection::send(ChannelId id, std::string_view text) {
  const auto* data = reinterpret_cast<const std::uint8_t*>(text.data());
  Result<void> r = send_on(*impl_, id, false, {data, text.size()});
  impl_->pump(impl_->last_now);
  return r;
}

Result<void> PeerConnection::send(ChannelId id, std::span<const std::uint8_t> binary) {
  Result<void> r = send_on(*impl_, id, true, binary);
  impl_->pump(impl_->last_now);
  return r;
}

std::size_t PeerConnection::buffered_amount(ChannelId id) const {
  const auto& s = *impl_;
  const auto it = s.channels.find(id);
  if (it == s.channels.end() || !it->second.stream || !s.sctp) return 0;
  return s.sctp->buffered_amount(*it->second.stream);
}

void PeerConnection::set_buffered_amount_low_threshold(ChannelId id, std::size_t bytes) {
  auto& s = *impl_;
  const auto it = s.channels.find(id);
  if (it == s.channels.end() || !it->second.stream || !s.sctp) return;
  s.sctp->set_buffered_amount_low_threshold(*it->second.stream, bytes);
}

Result<void> PeerConnection::close_channel(ChannelId id) {
  auto& s = *impl_;
  const auto it = s.channels.find(id);
  if (it == s.channels.end()) return Error{"no data channel " + std::to_string(id)};
  if (!it->second.stream || !s.sctp) {
    s.channels.erase(it);
    s.emit(event::ChannelClosed{id});
    return {};
  }
  auto closed = s.sctp->close_channel(*it->second.stream);
  s.pump(s.last_now);
  if (!closed) return Error{closed.error()};
  return {};
}

std::size_t PeerConnection::max_message_size() const {
  const auto& s = *impl_;
  return s.sctp ? s.sctp->max_message_size() : 0;
}

}  // namespace peerhub::peer
