// The Association's life: the usrsctp socket and its options, the five verbs, reading what usrsctp delivered
// (user data and notifications) and the events that follow. Channels and sending live in channels.cpp.
#include <usrsctp.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

#include "sctp/association_impl.hpp"

namespace peerhub::sctp {
namespace {

// usrsctp's own timer thread ticks every 10 ms; we wake as often while a timer may be due soon (data in
// flight or just received, a handshake, a reset or a shutdown under way), and once a second when the
// association is idle, where only the heartbeat (every 10 s) can be due.
constexpr auto kBusyPeriod = std::chrono::milliseconds(10);
constexpr auto kIdlePeriod = std::chrono::seconds(1);
constexpr auto kActivityWindow = std::chrono::seconds(1);
constexpr std::size_t kReadSize = 64 * 1024;
constexpr std::uint16_t kCommonHeaderSize = 12;
constexpr std::size_t kMaxNotificationSize = 64 * 1024;
constexpr std::size_t kMaxEarlyPackets = 32;

template <class T>
Result<void> set_option(struct socket* sock, int level, int name, const T& value, const char* what) {
  if (usrsctp_setsockopt(sock, level, name, &value, sizeof(value)) != 0) {
    return Error{std::string("usrsctp refused ") + what + " (errno " + std::to_string(errno) + ")"};
  }
  return {};
}

std::size_t event_size(const Event& e) {
  if (const auto* m = std::get_if<event::Message>(&e)) return m->bytes.size();
  return 0;
}

}  // namespace

Result<std::unique_ptr<Association>> Association::create(Config config) {
  auto& library = UsrsctpLibrary::instance();
  auto impl = std::make_unique<Impl>();
  impl->config = config;
  impl->outbox = std::make_shared<Outbox>(config.max_transmits);
  impl->address_id = library.add(impl->outbox);
  impl->sock = usrsctp_socket(AF_CONN, SOCK_STREAM, IPPROTO_SCTP, nullptr, nullptr, 0, nullptr);
  if (impl->sock == nullptr)
    return Error{"usrsctp could not create a socket (errno " + std::to_string(errno) + ")"};
  if (auto configured = impl->configure_socket(); !configured) return Error{configured.error()};
  impl->receive_buffer.resize(kReadSize);
  return std::unique_ptr<Association>(new Association(std::move(impl)));
}

Association::Association(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Association::~Association() = default;

Association::Impl::~Impl() {
  // SO_LINGER 0: closing a live association sends ABORT (into an outbox nobody reads any more).
  if (sock != nullptr) usrsctp_close(sock);
  if (address_id != 0) UsrsctpLibrary::instance().remove(address_id);
}

Result<void> Association::Impl::configure_socket() {
  // Non-blocking: sendv says EWOULDBLOCK instead of waiting for a SACK no thread would deliver, and recvv
  // says EWOULDBLOCK when there is nothing to read. No upcall is needed: after every call into usrsctp we
  // read until EWOULDBLOCK and retry queued sends, synchronously, on the driving thread.
  if (usrsctp_set_non_blocking(sock, 1) != 0) return Error{"usrsctp refused non-blocking mode"};
  linger no_linger{};
  no_linger.l_onoff = 1;
  no_linger.l_linger = 0;
  if (auto r = set_option(sock, SOL_SOCKET, SO_LINGER, no_linger, "SO_LINGER"); !r) return r;

  // RFC 8831 §6.7: channels close by resetting their outgoing stream (RFC 6525).
  sctp_assoc_value reset{};
  reset.assoc_id = SCTP_FUTURE_ASSOC;
  reset.assoc_value = SCTP_ENABLE_RESET_STREAM_REQ;
  if (auto r = set_option(sock, IPPROTO_SCTP, SCTP_ENABLE_STREAM_RESET, reset, "SCTP_ENABLE_STREAM_RESET");
      !r) {
    return r;
  }
  const int on = 1;
  if (auto r = set_option(sock, IPPROTO_SCTP, SCTP_RECVRCVINFO, on, "SCTP_RECVRCVINFO"); !r) return r;
  // RFC 8831 §6.6: no Nagle; a data channel message goes out when it is sent.
  if (auto r = set_option(sock, IPPROTO_SCTP, SCTP_NODELAY, on, "SCTP_NODELAY"); !r) return r;

  // No SENDER_DRY: the queue is retried after every input anyway, and SACKs (inputs) are what free room.
  for (int type :
       {SCTP_ASSOC_CHANGE, SCTP_STREAM_RESET_EVENT, SCTP_STREAM_CHANGE_EVENT, SCTP_PARTIAL_DELIVERY_EVENT}) {
    sctp_event subscribe{};
    subscribe.se_assoc_id = SCTP_FUTURE_ASSOC;
    subscribe.se_type = static_cast<std::uint16_t>(type);
    subscribe.se_on = 1;
    if (auto r = set_option(sock, IPPROTO_SCTP, SCTP_EVENT, subscribe, "SCTP_EVENT"); !r) return r;
  }

  // No path MTU discovery (usrsctp has none that works over DTLS): a fixed packet size.
  sctp_paddrparams path{};
  path.spp_assoc_id = SCTP_FUTURE_ASSOC;
  path.spp_flags = SPP_HB_ENABLE | SPP_PMTUD_DISABLE;
  // usrsctp's path MTU for AF_CONN counts the chunks only; the 12-byte common header comes on top.
  path.spp_pathmtu = config.mtu > kCommonHeaderSize ? config.mtu - kCommonHeaderSize : config.mtu;
  if (auto r = set_option(sock, IPPROTO_SCTP, SCTP_PEER_ADDR_PARAMS, path, "SCTP_PEER_ADDR_PARAMS"); !r)
    return r;

  sctp_initmsg init{};
  init.sinit_num_ostreams = config.max_channels;
  init.sinit_max_instreams = config.max_channels;
  if (auto r = set_option(sock, IPPROTO_SCTP, SCTP_INITMSG, init, "SCTP_INITMSG"); !r) return r;

  // RFC 6458 §8.1.20 level 0: one message at a time is delivered, even in pieces, and notifications never
  // fall between the pieces.
  const int level = 0;
  if (auto r = set_option(sock, IPPROTO_SCTP, SCTP_FRAGMENT_INTERLEAVE, level, "SCTP_FRAGMENT_INTERLEAVE");
      !r) {
    return r;
  }
  const int send_space = static_cast<int>(std::min<std::size_t>(config.sctp_send_buffer, 1u << 30));
  const int receive_space = static_cast<int>(std::min<std::size_t>(config.sctp_receive_buffer, 1u << 30));
  if (auto r = set_option(sock, SOL_SOCKET, SO_SNDBUF, send_space, "SO_SNDBUF"); !r) return r;
  if (auto r = set_option(sock, SOL_SOCKET, SO_RCVBUF, receive_space, "SO_RCVBUF"); !r) return r;
  return {};
}

void Association::connect(TimePoint now) {
  auto& d = *impl_;
  if (d.state != State::idle) return;
  d.advance(now);
  d.last_activity = d.last_now;
  sockaddr_conn local{};
  local.sconn_family = AF_CONN;
  local.sconn_port = htons(d.config.local_port);
  local.sconn_addr = UsrsctpLibrary::address_of(d.address_id);
  sockaddr_conn remote = local;
  remote.sconn_port = htons(d.config.remote_port);
  if (usrsctp_bind(d.sock, reinterpret_cast<sockaddr*>(&local), sizeof(local)) != 0) {
    d.on_closed(event::Failed{"usrsctp could not bind port " + std::to_string(d.config.local_port) +
                              " (errno " + std::to_string(errno) + ")"});
    return;
  }
  d.state = State::connecting;
  // RFC 8841: both ends initiate the association; SCTP resolves the INIT collision (RFC 9260 §5.2.1).
  if (usrsctp_connect(d.sock, reinterpret_cast<sockaddr*>(&remote), sizeof(remote)) != 0 &&
      errno != EINPROGRESS) {
    d.on_closed(
        event::Failed{"usrsctp could not start the association (errno " + std::to_string(errno) + ")"});
    return;
  }
  // Packets that came before connect() (the peer was quicker) go in now that there is an association.
  while (!d.early_packets.empty()) {
    auto packet = std::move(d.early_packets.front());
    d.early_packets.pop_front();
    usrsctp_conninput(UsrsctpLibrary::address_of(d.address_id), packet.data(), packet.size(), 0);
  }
  d.pump();
}

void Association::handle_datagram(TimePoint now, std::span<const std::uint8_t> bytes) {
  auto& d = *impl_;
  if (d.state == State::idle) {
    if (d.early_packets.size() < kMaxEarlyPackets) d.early_packets.emplace_back(bytes.begin(), bytes.end());
    return;
  }
  if (d.state == State::closed || d.state == State::failed || bytes.empty()) return;
  d.advance(now);
  d.last_activity = d.last_now;
  usrsctp_conninput(UsrsctpLibrary::address_of(d.address_id), bytes.data(), bytes.size(), 0);
  d.pump();
}

void Association::handle_timeout(TimePoint now) {
  auto& d = *impl_;
  if (d.state == State::idle || d.state == State::closed || d.state == State::failed) return;
  d.advance(now);
  d.pump();
}

std::optional<Transmit> Association::poll_transmit() {
  Transmit t;
  if (!impl_->outbox->pop(t.bytes)) return std::nullopt;
  impl_->last_activity = impl_->last_now;
  return t;
}

std::optional<Event> Association::poll_event() {
  auto& d = *impl_;
  if (d.events.empty()) {
    if (d.receive_paused) d.pump();
    if (d.events.empty()) return std::nullopt;
  }
  Event e = std::move(d.events.front());
  d.events.pop_front();
  d.event_bytes -= event_size(e);
  // Reading stopped while the queue was full (the peer's window closed meanwhile); the caller made room.
  if (d.receive_paused && d.events.size() <= d.config.max_events / 2) d.pump();
  return e;
}

std::optional<TimePoint> Association::next_timeout() const {
  const auto& d = *impl_;
  if (d.state == State::idle || d.state == State::closed || d.state == State::failed) return std::nullopt;
  return d.last_now + (d.busy ? kBusyPeriod : kIdlePeriod);
}

State Association::state() const {
  return impl_->state;
}

void Association::close() {
  auto& d = *impl_;
  if (d.state == State::connecting || d.state == State::connected) {
    // Messages still in our queue are dropped; what SCTP holds is delivered before SHUTDOWN.
    if (usrsctp_shutdown(d.sock, SHUT_WR) == 0) {
      d.state = State::closing;
      d.pump();
      return;
    }
  }
  if (d.state != State::closed && d.state != State::failed) d.on_closed(event::Closed{});
}

void Association::abort() {
  auto& d = *impl_;
  if (d.sock != nullptr) {
    usrsctp_close(d.sock);  // SO_LINGER 0: ABORT
    d.sock = nullptr;
  }
  if (d.state != State::closed && d.state != State::failed) d.on_closed(event::Closed{});
}

void Association::Impl::advance(TimePoint now) {
  last_now = std::max(last_now, now);
  UsrsctpLibrary::instance().advance_timers(now);
}

bool Association::Impl::event_room() const {
  return events.size() < config.max_events && event_bytes < config.max_event_bytes;
}

void Association::Impl::push_event(Event e) {
  event_bytes += event_size(e);
  events.push_back(std::move(e));
}

void Association::Impl::pump() {
  if (sock == nullptr) return;
  receive();
  if (state == State::connected) {
    flush();
    request_resets();
  }
  update_busy();
}

void Association::Impl::update_busy() {
  busy = true;
  if (state != State::connected || last_now - last_activity < kActivityWindow || !send_queue.empty()) return;
  for (const auto& [id, c] : channels) {
    if (c.closing) return;
  }
  // Chunks sent but not yet acknowledged, or queued in SCTP: a retransmission timer runs.
  sctp_status status{};
  socklen_t size = sizeof(status);
  if (usrsctp_getsockopt(sock, IPPROTO_SCTP, SCTP_STATUS, &status, &size) != 0) return;
  busy = status.sstat_unackdata != 0 || status.sstat_penddata != 0;
}

void Association::Impl::receive() {
  receive_paused = false;
  while (sock != nullptr) {
    if (!event_room()) {
      // Leave the rest in usrsctp: its receive window closes and the peer slows down.
      receive_paused = true;
      return;
    }
    sctp_rcvinfo info{};
    socklen_t info_size = sizeof(info);
    socklen_t from_size = 0;
    unsigned int info_type = 0;
    int flags = 0;
    const ssize_t n = usrsctp_recvv(sock, receive_buffer.data(), receive_buffer.size(), nullptr, &from_size,
                                    &info, &info_size, &info_type, &flags);
    if (n < 0) return;  // EWOULDBLOCK: nothing more; ENOTCONN / ECONNRESET: the notification said why
    const std::span<const std::uint8_t> piece(receive_buffer.data(), static_cast<std::size_t>(n));
    const bool end = (flags & MSG_EOR) != 0;
    if ((flags & MSG_NOTIFICATION) != 0) {
      if (notification.size() + piece.size() <= kMaxNotificationSize) {
        notification.insert(notification.end(), piece.begin(), piece.end());
      }
      if (end) {
        std::vector<std::uint8_t> whole;
        whole.swap(notification);
        on_notification_bytes(whole);
      }
      continue;
    }
    if (piece.empty() && !end) return;              // end of stream after SHUTDOWN
    if (info_type != SCTP_RECVV_RCVINFO) continue;  // cannot tell the stream: drop
    on_data_piece(info.rcv_sid, ntohl(info.rcv_ppid), piece, end);
  }
}

// A message comes whole, or (larger than the read buffer, or partially delivered) in pieces, one message
// at a time (fragment interleave level 0).
void Association::Impl::on_data_piece(std::uint16_t sid, std::uint32_t ppid,
                                      std::span<const std::uint8_t> piece, bool end) {
  auto& r = reassembly;
  const std::size_t limit =
      ppid == static_cast<std::uint32_t>(Ppid::dcep) ? dcep::kMaxOpenSize : config.local_max_message_size;
  if (r.active && r.sid != sid) r = Reassembly{};  // a new message began: the last one lost its end
  if (!r.active) {
    if (end && piece.size() <= limit) {
      on_user_data(sid, ppid, std::vector<std::uint8_t>(piece.begin(), piece.end()));
      return;
    }
    r = Reassembly{true, false, sid, ppid, {}};
  }
  if (!r.discarding && r.bytes.size() + piece.size() > limit) {
    r.discarding = true;
    r.bytes = {};
  }
  if (!r.discarding) r.bytes.insert(r.bytes.end(), piece.begin(), piece.end());
  if (!end) return;
  const bool discarded = r.discarding;
  auto bytes = std::move(r.bytes);
  r = Reassembly{};
  if (discarded) {
    // A message over our a=max-message-size cannot be delivered whole: the channel is closed.
    refuse_stream(sid);
  } else {
    on_user_data(sid, ppid, std::move(bytes));
  }
}

void Association::Impl::on_notification_bytes(std::span<const std::uint8_t> whole) {
  sctp_notification n{};
  if (whole.size() < sizeof(n.sn_header)) return;
  std::memcpy(&n, whole.data(), std::min(whole.size(), sizeof(n)));
  if (n.sn_header.sn_type != SCTP_STREAM_RESET_EVENT) {
    on_notification(n);
    return;
  }
  // The stream-reset event lists the streams after its fixed part.
  if (whole.size() < sizeof(sctp_stream_reset_event)) return;
  const auto flags = n.sn_strreset_event.strreset_flags;
  const bool incoming = (flags & SCTP_STREAM_RESET_INCOMING_SSN) != 0;
  const bool outgoing = (flags & SCTP_STREAM_RESET_OUTGOING_SSN) != 0;
  for (std::size_t at = sizeof(sctp_stream_reset_event); at + 2 <= whole.size(); at += 2) {
    std::uint16_t sid = 0;
    std::memcpy(&sid, whole.data() + at, 2);
    on_stream_reset(sid, incoming, outgoing);
  }
}

void Association::Impl::on_notification(const union sctp_notification& n) {
  switch (n.sn_header.sn_type) {
    case SCTP_ASSOC_CHANGE: {
      const auto& change = n.sn_assoc_change;
      switch (change.sac_state) {
        case SCTP_COMM_UP:
        case SCTP_RESTART:
          outbound_streams = change.sac_outbound_streams;
          inbound_streams = change.sac_inbound_streams;
          if (state == State::connecting) {
            state = State::connected;
            push_event(event::Connected{});
            on_connected();
          }
          break;
        case SCTP_COMM_LOST:
          on_closed(event::Failed{"SCTP association lost: the peer aborted or stopped answering (error " +
                                  std::to_string(change.sac_error) + ")"});
          break;
        case SCTP_CANT_STR_ASSOC:
          on_closed(event::Failed{"SCTP association could not start: INIT went unanswered"});
          break;
        case SCTP_SHUTDOWN_COMP:
          on_closed(event::Closed{});
          break;
        default:
          break;
      }
      break;
    }
    case SCTP_STREAM_CHANGE_EVENT:
      inbound_streams = n.sn_strchange_event.strchange_instrms;
      outbound_streams = n.sn_strchange_event.strchange_outstrms;
      break;
    case SCTP_PARTIAL_DELIVERY_EVENT:
      // A partly delivered message was abandoned (PR-SCTP): its pieces are not a message.
      if (n.sn_pdapi_event.pdapi_indication == SCTP_PARTIAL_DELIVERY_ABORTED) reassembly = Reassembly{};
      break;
    default:
      break;
  }
}

void Association::Impl::on_closed(Event final_event) {
  if (state == State::closed || state == State::failed) return;
  for (auto& [id, c] : channels) {
    if (c.announced) push_event(event::ChannelClosed{id});
  }
  channels.clear();
  send_queue.clear();
  send_queue_bytes = 0;
  reassembly = Reassembly{};
  state = std::holds_alternative<event::Failed>(final_event) ? State::failed : State::closed;
  push_event(std::move(final_event));
}

}  // namespace peerhub::sctp
