// Data channels on an association: ids (RFC 8832 §6), DCEP open/ack, the send queue with buffered amounts,
// user messages in, and closing by stream reset (RFC 8831 §6.7).
#include <usrsctp.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "sctp/association_impl.hpp"

namespace peerhub::sctp {
namespace {

std::string channel_words(std::uint16_t id) {
  return "channel " + std::to_string(id);
}

}  // namespace

// ---- the public verbs ----

Result<std::uint16_t> Association::open_channel(const ChannelOptions& options) {
  auto& d = *impl_;
  if (d.state != State::idle && d.state != State::connecting && d.state != State::connected) {
    return Error{"the SCTP association is closed"};
  }
  if (options.max_retransmits && options.max_lifetime_ms) {
    return Error{"a channel takes max_retransmits or max_lifetime_ms, not both"};
  }
  if (options.label.size() > 0xFFFF || options.protocol.size() > 0xFFFF) {
    return Error{"label and protocol are limited to 65535 bytes each"};
  }
  const std::uint16_t limit = d.stream_limit();
  std::uint16_t id = 0;
  if (options.negotiated_id) {
    id = *options.negotiated_id;
    if (id >= limit) {
      return Error{"negotiated id " + std::to_string(id) + " is not below the " + std::to_string(limit) +
                   " streams of this association"};
    }
    if (d.channels.count(id) != 0) return Error{"negotiated id " + std::to_string(id) + " is in use"};
  } else {
    // RFC 8832 §6: the DTLS client picks even ids, the server odd ones.
    const int first = d.config.dtls_role == DtlsRole::client ? 0 : 1;
    int free_id = first;
    while (free_id < limit && d.channels.count(static_cast<std::uint16_t>(free_id)) != 0)
      free_id += 2;
    if (free_id >= limit) {
      return Error{"no free stream id: all " + std::to_string((limit - first + 1) / 2) +
                   " of ours are in use"};
    }
    id = static_cast<std::uint16_t>(free_id);
  }

  Channel c;
  c.id = id;
  c.label = options.label;
  c.protocol = options.protocol;
  c.reliability.ordered = options.ordered;
  if (options.max_retransmits) c.reliability.max_retransmits = *options.max_retransmits;
  c.reliability.max_lifetime_ms = options.max_lifetime_ms;
  c.priority = options.priority;
  c.negotiated = options.negotiated_id.has_value();
  c.acked = c.negotiated;
  auto& channel = d.channels[id] = std::move(c);

  if (!channel.negotiated) {
    dcep::Open open;
    open.channel_type = dcep::channel_type(channel.reliability);
    open.priority = channel.priority;
    open.reliability_parameter =
        channel.reliability.max_retransmits.value_or(channel.reliability.max_lifetime_ms.value_or(0));
    open.label = channel.label;
    open.protocol = channel.protocol;
    auto bytes = dcep::write(open);
    d.enqueue(id, Ppid::dcep, std::move(bytes.value()), 0);
  }
  if (d.state == State::connected) {
    d.announce(channel);
    d.pump();
  }
  return id;
}

Result<void> Association::send(std::uint16_t id, bool binary, std::span<const std::uint8_t> bytes) {
  auto& d = *impl_;
  if (d.state != State::idle && d.state != State::connecting && d.state != State::connected) {
    return Error{"the SCTP association is closed"};
  }
  auto it = d.channels.find(id);
  if (it == d.channels.end() || (!it->second.announced && it->second.closing))
    return Error{"no " + channel_words(id)};
  if (it->second.closing) return Error{channel_words(id) + " is closing"};
  const std::size_t limit = max_message_size();
  if (bytes.size() > limit) {
    return Error{"a message of " + std::to_string(bytes.size()) + " bytes is over the max-message-size of " +
                 std::to_string(limit)};
  }
  // RFC 8831 §6.6: an empty message is one byte with the "empty" PPID.
  const Ppid ppid = user_ppid(binary, bytes.empty());
  static constexpr std::uint8_t kZero[1] = {0};
  const std::span<const std::uint8_t> wire = bytes.empty() ? std::span<const std::uint8_t>(kZero) : bytes;
  if (d.state == State::connected && d.send_queue.empty()) {
    const int sent = d.send_now(id, ppid, wire);
    if (sent > 0) {
      d.busy = true;  // data in flight: its retransmission timer runs
      return {};
    }
    if (sent < 0) return Error{"SCTP refused the message (errno " + std::to_string(errno) + ")"};
  }
  if (d.send_queue_bytes + bytes.size() > d.config.send_buffer_limit) {
    return Error{"send buffer full: " + std::to_string(d.send_queue_bytes) + " bytes wait, the limit is " +
                 std::to_string(d.config.send_buffer_limit)};
  }
  d.enqueue(id, ppid, std::vector<std::uint8_t>(wire.begin(), wire.end()), bytes.size());
  return {};
}

Result<void> Association::close_channel(std::uint16_t id) {
  auto& d = *impl_;
  auto it = d.channels.find(id);
  if (it == d.channels.end()) return Error{"no " + channel_words(id)};
  auto& c = it->second;
  if (c.closing) return {};
  c.closing = true;
  d.busy = true;
  if (c.announced) d.push_event(event::ChannelClosing{id});
  if (d.state != State::connected) {
    // No association (yet, or any more): no stream to reset.
    c.reset_done = c.peer_reset = true;
    d.finish_if_closed(id);
    return {};
  }
  d.pump();
  return {};
}

std::size_t Association::buffered_amount(std::uint16_t id) const {
  auto it = impl_->channels.find(id);
  return it == impl_->channels.end() ? 0 : it->second.buffered;
}

void Association::set_buffered_amount_low_threshold(std::uint16_t id, std::size_t bytes) {
  auto it = impl_->channels.find(id);
  if (it != impl_->channels.end()) it->second.low_threshold = bytes;
}

void Association::set_remote_max_message_size(std::size_t bytes) {
  impl_->config.remote_max_message_size = bytes;
}

std::size_t Association::max_message_size() const {
  const auto& config = impl_->config;
  // RFC 8841 §6: 0 means the peer takes any size; ours is still bounded by what SCTP can hold at once.
  if (config.remote_max_message_size == 0) return config.sctp_send_buffer;
  return std::min(config.remote_max_message_size, config.sctp_send_buffer);
}

// ---- channel state ----

bool Association::Impl::id_is_ours(std::uint16_t id) const {
  return (id % 2 == 0) == (config.dtls_role == DtlsRole::client);
}

std::uint16_t Association::Impl::stream_limit() const {
  // We can send only on the outgoing streams the peer granted. Our incoming count does not limit our ids:
  // a peer that asked for few outgoing streams adds more itself (RFC 6525 §5.2.5) before it answers on
  // a higher one, as usrsctp-based browsers do.
  if (state == State::connected) return std::min(config.max_channels, outbound_streams);
  return config.max_channels;
}

void Association::Impl::announce(Channel& c) {
  if (c.announced) return;
  c.announced = true;
  event::ChannelOpen open;
  open.id = c.id;
  open.label = c.label;
  open.protocol = c.protocol;
  open.ordered = c.reliability.ordered;
  open.max_retransmits = c.reliability.max_retransmits;
  open.max_lifetime_ms = c.reliability.max_lifetime_ms;
  open.priority = c.priority;
  open.negotiated = c.negotiated;
  open.incoming = c.incoming;
  push_event(std::move(open));
}

void Association::Impl::on_connected() {
  for (auto& [id, c] : channels) {
    if (!c.closing) announce(c);
  }
}

void Association::Impl::on_dcep(std::uint16_t sid, std::span<const std::uint8_t> bytes) {
  auto parsed = dcep::parse(bytes);
  auto it = channels.find(sid);
  if (parsed && std::holds_alternative<dcep::Ack>(*parsed)) {
    if (it != channels.end()) it->second.acked = true;
    return;
  }
  // RFC 8832 §6: an OPEN that is malformed, on a stream in use, or breaks the even/odd rule is answered by
  // closing the channel, never by an ACK.
  if (!parsed || it != channels.end() || id_is_ours(sid) || sid >= config.max_channels) {
    refuse_stream(sid);
    return;
  }
  const auto& open = std::get<dcep::Open>(*parsed);
  Channel c;
  c.id = sid;
  c.label = std::string(open.label);
  c.protocol = std::string(open.protocol);
  c.reliability = dcep::reliability(open.channel_type, open.reliability_parameter);
  c.priority = open.priority;
  c.incoming = true;
  c.acked = true;
  auto& channel = channels[sid] = std::move(c);
  enqueue(sid, Ppid::dcep, dcep::write_ack(), 0);
  announce(channel);
}

void Association::Impl::on_user_data(std::uint16_t sid, std::uint32_t ppid, std::vector<std::uint8_t> bytes) {
  if (ppid == static_cast<std::uint32_t>(Ppid::dcep)) {
    on_dcep(sid, bytes);
    return;
  }
  const auto payload = classify_user_ppid(ppid, nullptr);
  auto it = channels.find(sid);
  if (!payload || it == channels.end() || !it->second.announced || it->second.peer_reset) return;
  // The peer sends on a stream only once it has the channel: its data also says that our OPEN arrived.
  it->second.acked = true;
  if (payload->empty) bytes.clear();
  push_event(event::Message{sid, payload->binary, std::move(bytes)});
}

// ---- sending ----

void Association::Impl::enqueue(std::uint16_t id, Ppid ppid, std::vector<std::uint8_t> bytes,
                                std::size_t user_size) {
  auto& c = channels[id];
  c.buffered += user_size;
  ++c.queued;
  send_queue_bytes += user_size;
  send_queue.push_back(Pending{id, ppid, std::move(bytes), user_size});
  if (state == State::connected) flush();
}

int Association::Impl::send_now(std::uint16_t id, Ppid ppid, std::span<const std::uint8_t> bytes) {
  auto it = channels.find(id);
  if (sock == nullptr || it == channels.end()) return -1;  // gone: drop
  const Channel& c = it->second;
  sctp_sendv_spa spa{};
  spa.sendv_flags = SCTP_SEND_SNDINFO_VALID;
  spa.sendv_sndinfo.snd_sid = id;
  spa.sendv_sndinfo.snd_ppid = htonl(static_cast<std::uint32_t>(ppid));
  spa.sendv_sndinfo.snd_flags = SCTP_EOR;
  if (ppid != Ppid::dcep) {
    // RFC 8832 §6: DCEP is ordered and reliable, and user messages stay ordered until the ACK, so none
    // overtakes the OPEN.
    if (!c.reliability.ordered && c.acked) spa.sendv_sndinfo.snd_flags |= SCTP_UNORDERED;
    if (c.reliability.max_retransmits) {
      spa.sendv_flags |= SCTP_SEND_PRINFO_VALID;
      spa.sendv_prinfo.pr_policy = SCTP_PR_SCTP_RTX;
      spa.sendv_prinfo.pr_value = *c.reliability.max_retransmits;
    } else if (c.reliability.max_lifetime_ms) {
      spa.sendv_flags |= SCTP_SEND_PRINFO_VALID;
      spa.sendv_prinfo.pr_policy = SCTP_PR_SCTP_TTL;
      spa.sendv_prinfo.pr_value = *c.reliability.max_lifetime_ms;
    }
  }
  const ssize_t n =
      usrsctp_sendv(sock, bytes.data(), bytes.size(), nullptr, 0, &spa, sizeof(spa), SCTP_SENDV_SPA, 0);
  if (n >= 0) return 1;
  if (errno == EWOULDBLOCK || errno == EAGAIN) return 0;
  return -1;
}

void Association::Impl::flush() {
  while (!send_queue.empty() && state == State::connected) {
    Pending& p = send_queue.front();
    const int result = send_now(p.id, p.ppid, p.bytes);
    if (result == 0) return;  // SCTP's buffer is full; SACKs will make room
    const std::uint16_t id = p.id;
    const std::size_t size = p.user_size;
    send_queue_bytes -= size;
    send_queue.pop_front();
    auto it = channels.find(id);
    if (it == channels.end()) continue;
    Channel& c = it->second;
    const std::size_t before = c.buffered;
    c.buffered -= size;
    --c.queued;
    if (before > c.low_threshold && c.buffered <= c.low_threshold && c.announced && !c.closing) {
      push_event(event::BufferedAmountLow{id});
    }
  }
}

// ---- closing ----

void Association::Impl::refuse_stream(std::uint16_t sid) {
  auto it = channels.find(sid);
  if (it == channels.end()) {
    // Not a channel the application knows: reset quietly.
    Channel c;
    c.id = sid;
    c.acked = true;
    it = channels.emplace(sid, std::move(c)).first;
  }
  Channel& c = it->second;
  if (c.closing) return;
  c.closing = true;
  if (c.announced) push_event(event::ChannelClosing{sid});
}

void Association::Impl::request_resets() {
  std::vector<std::uint16_t> done;
  for (auto& [id, c] : channels) {
    if (!c.closing || c.reset_requested || c.queued != 0) continue;
    // Our messages are all with SCTP; usrsctp sends the reset once the stream's own queue is empty.
    std::uint8_t request[sizeof(sctp_reset_streams) + sizeof(std::uint16_t)] = {};
    sctp_reset_streams head{};
    head.srs_assoc_id = SCTP_ALL_ASSOC;
    head.srs_flags = SCTP_STREAM_RESET_OUTGOING;
    head.srs_number_streams = 1;
    std::memcpy(request, &head, sizeof(head));
    std::memcpy(request + sizeof(head), &id, sizeof(id));
    if (usrsctp_setsockopt(sock, IPPROTO_SCTP, SCTP_RESET_STREAMS, request, sizeof(request)) == 0) {
      c.reset_requested = true;
    } else if (errno != EAGAIN && errno != EALREADY && errno != EBUSY) {
      // The stream cannot be reset (never negotiated, or already reset): nothing more to wait for.
      c.reset_requested = c.reset_done = true;
      done.push_back(id);
    }
  }
  for (auto id : done)
    finish_if_closed(id);
}

void Association::Impl::on_stream_reset(std::uint16_t sid, bool incoming, bool outgoing) {
  auto it = channels.find(sid);
  if (it == channels.end()) return;
  Channel& c = it->second;
  if (incoming) {
    // RFC 8831 §6.7: the peer reset its outgoing stream; we reset ours in answer (after our queue drains).
    c.peer_reset = true;
    if (!c.closing) {
      c.closing = true;
      if (c.announced) push_event(event::ChannelClosing{sid});
    }
    reassembly = reassembly.sid == sid ? Reassembly{} : reassembly;
  }
  if (outgoing) c.reset_done = true;  // done, denied or failed alike: we will not try again
  finish_if_closed(sid);
}

void Association::Impl::finish_if_closed(std::uint16_t id) {
  auto it = channels.find(id);
  if (it == channels.end() || !it->second.reset_done || !it->second.peer_reset) return;
  if (it->second.announced) push_event(event::ChannelClosed{id});
  if (it->second.queued != 0) {
    std::erase_if(send_queue, [&](const Pending& p) {
      if (p.id != id) return false;
      send_queue_bytes -= p.user_size;
      return true;
    });
  }
  channels.erase(it);
}

}  // namespace peerhub::sctp
