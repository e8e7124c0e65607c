// The PeerConnection's data path: datagrams through ICE, DTLS and SCTP and back, the timers of all three, and
// the connection state they add up to.
#include <algorithm>

#include "common/overloaded.hpp"
#include "peer/demux.hpp"
#include "peer/peer_connection_impl.hpp"

namespace peerhub::peer {
namespace {

std::string describe(const ice::Candidate& c) {
  return std::string(ice::to_string(c.type)) + " " + stun::to_string(c.address);
}

}  // namespace

PeerConnection::PeerConnection(Configuration configuration, std::chrono::system_clock::time_point wall_clock)
    : impl_(std::make_unique<Impl>(std::move(configuration), wall_clock)) {}
PeerConnection::~PeerConnection() = default;
PeerConnection::PeerConnection(PeerConnection&&) noexcept = default;
PeerConnection& PeerConnection::operator=(PeerConnection&&) noexcept = default;

ConnectionState PeerConnection::state() const {
  return impl_->state;
}

void PeerConnection::add_local_base(TimePoint now, const ice::LocalBase& base) {
  auto& s = *impl_;
  if (!s.ice) {
    if (s.pending_bases.size() < kMaxPendingBases) s.pending_bases.push_back(base);
    return;
  }
  s.ice->add_local_base(now, base);
  s.pump(now);
}

void PeerConnection::handle_datagram(TimePoint now, std::uint32_t base_id, const stun::Address& from,
                                     std::span<const std::uint8_t> bytes) {
  auto& s = *impl_;
  if (!s.ice || s.state == ConnectionState::closed) return;
  const auto received = s.ice->handle_datagram(now, base_id, from, bytes);
  if (received.kind == ice::Received::Kind::data) s.handle_application(now, received.data);
  s.pump(now);
}

void PeerConnection::handle_turn_stream(TimePoint now, std::size_t server,
                                        std::span<const std::uint8_t> frame) {
  auto& s = *impl_;
  if (!s.ice || s.state == ConnectionState::closed) return;
  // What a peer sent through the relay comes out unwrapped, and is demultiplexed as a datagram's would be.
  const auto received = s.ice->handle_turn_stream(now, server, frame);
  if (received.kind == ice::Received::Kind::data) s.handle_application(now, received.data);
  s.pump(now);
}

void PeerConnection::turn_stream_closed(TimePoint now, std::size_t server) {
  auto& s = *impl_;
  if (!s.ice) return;
  s.ice->turn_stream_closed(now, server);
  s.pump(now);
}

void PeerConnection::Impl::handle_application(TimePoint now, std::span<const std::uint8_t> bytes) {
  // RFC 7983: after ICE's STUN, only DTLS is expected on a data channel transport; media comes with the SFU.
  if (classify(bytes) != PacketKind::dtls) return;
  if (dtls) {
    dtls->handle_datagram(now, bytes);
    return;
  }
  // Before the roles are settled (the answer has not been applied): keep it, bounded.
  if (early_dtls.size() < kMaxEarlyDtls) early_dtls.emplace_back(bytes.begin(), bytes.end());
}

void PeerConnection::handle_timeout(TimePoint now) {
  auto& s = *impl_;
  // Each core whose own timer is due (the three share one shell timer).
  const auto if_due = [now](auto* core) {
    if (core == nullptr) return;
    const auto due = core->next_timeout();
    if (due && *due <= now) core->handle_timeout(now);
  };
  if_due(s.ice ? &*s.ice : nullptr);
  if_due(s.dtls ? &*s.dtls : nullptr);
  if_due(s.sctp.get());
  s.pump(now);
}

std::optional<TimePoint> PeerConnection::next_timeout() const {
  const auto& s = *impl_;
  std::optional<TimePoint> next;
  const auto consider = [&next](std::optional<TimePoint> t) {
    if (t && (!next || *t < *next)) next = t;
  };
  if (s.ice) consider(s.ice->next_timeout());
  if (s.dtls) consider(s.dtls->next_timeout());
  if (s.sctp) consider(s.sctp->next_timeout());
  return next;
}

std::optional<ice::Transmit> PeerConnection::poll_transmit() {
  auto& s = *impl_;
  if (!s.ice) return std::nullopt;
  auto transmit = s.ice->poll_transmit();
  if (!transmit && s.state == ConnectionState::closed && s.ice->state() != ice::State::closed) s.ice->close();
  return transmit;
}

std::optional<Event> PeerConnection::poll_event() {
  auto& s = *impl_;
  if (s.events.empty()) return std::nullopt;
  Event event = std::move(s.events.front());
  s.events.pop_front();
  return event;
}

void PeerConnection::close(TimePoint now) {
  auto& s = *impl_;
  if (s.state == ConnectionState::closed) return;
  // DTLS's close_notify tells the other side this was on purpose; it goes out through ICE before ICE stops
  // (in poll_transmit, once it has been taken). The association then ends here without a word on the wire
  // (its ABORT finds DTLS closed): the other side's SCTP ends with its DTLS.
  if (s.dtls) s.dtls->close(now);
  s.pump(now);
  s.end_closed({});
}

// Moves bytes and events between the layers until none has anything more to say.
void PeerConnection::Impl::pump(TimePoint now) {
  if (now > last_now) last_now = now;
  for (int round = 0; round < 64; ++round) {
    bool moved = pump_ice(now);
    moved = pump_sctp(now) || moved;
    moved = pump_dtls(now) || moved;
    update_state();
    if (!moved) return;
  }
}

bool PeerConnection::Impl::pump_ice(TimePoint now) {
  if (!ice) return false;
  bool moved = false;
  while (auto e = ice->poll_event()) {
    moved = true;
    std::visit(Overloaded{
                   [&](ice::event::LocalCandidate& c) {
                     std::string text = c.candidate.to_string();
                     if (local_candidates.size() < 64) local_candidates.push_back(text);
                     emit(event::LocalCandidate{std::move(text), mid});
                   },
                   [&](ice::event::GatheringComplete&) {
                     gathering_complete = true;
                     emit(event::GatheringComplete{});
                   },
                   [&](ice::event::StateChanged& c) {
                     ice_state = c.state;
                     emit(event::IceStateChanged{c.state});
                     start_dtls(now);
                   },
                   [&](ice::event::SelectedPairChanged& c) {
                     emit(event::SelectedPair{describe(c.pair.local), describe(c.pair.remote)});
                   },
               },
               *e);
  }
  return moved;
}

bool PeerConnection::Impl::pump_dtls(TimePoint now) {
  if (!dtls) return false;
  bool moved = false;
  while (auto e = dtls->poll_event()) {
    moved = true;
    std::visit(Overloaded{
                   [&](dtls::Connected&) {
                     if (sctp) sctp->connect(now);
                   },
                   [&](dtls::ApplicationData& d) {
                     if (sctp) sctp->handle_datagram(now, d.bytes);
                   },
                   [&](dtls::Closed&) { remote_closed(); },
                   [&](dtls::Failed& f) { fail("DTLS: " + f.reason); },
               },
               *e);
  }
  while (auto t = dtls->poll_transmit()) {
    moved = true;
    send_dtls(now, std::move(t->bytes));
  }
  return moved;
}

bool PeerConnection::Impl::pump_sctp(TimePoint now) {
  (void)now;
  if (!sctp) return false;
  bool moved = false;
  while (auto t = sctp->poll_transmit()) {
    moved = true;
    if (!dtls) continue;
    // kSctpMtu leaves room for an AEAD record; a CBC suite's larger overhead would not fit, and silently
    // dropping would stall SCTP, so it is said.
    if (dtls->send(t->bytes) == dtls::SendResult::too_large) {
      fail("an SCTP packet of " + std::to_string(t->bytes.size()) +
           " bytes does not fit in a DTLS record (at most " + std::to_string(dtls->max_application_data()) +
           " with the negotiated cipher)");
    }
  }
  while (auto e = sctp->poll_event()) {
    moved = true;
    on_sctp_event(std::move(*e));
  }
  return moved;
}

// The other side ended the connection on purpose (close_notify, or SCTP's user-initiated ABORT or SHUTDOWN):
// the connection is closed, not failed. RTCPeerConnection has no state for this (its "closed" means this side
// closed); a program using this peer wants to tell it from a broken path.
void PeerConnection::Impl::remote_closed() {
  if (state == ConnectionState::failed || state == ConnectionState::closed) return;
  end_closed("the other side closed the connection");
}

// Either side's close: the association goes, every open channel is told, and the state says why.
void PeerConnection::Impl::end_closed(std::string reason) {
  if (sctp) sctp->abort();
  for (auto& [id, channel] : channels) {
    if (channel.open) emit(event::ChannelClosed{id});
  }
  channels.clear();
  by_stream.clear();
  signaling = SignalingState::closed;
  state = ConnectionState::closed;
  emit(event::StateChanged{state, std::move(reason)});
}

void PeerConnection::Impl::send_dtls(TimePoint now, std::vector<std::uint8_t>&& record) {
  if (!ice) return;
  // No pair selected yet (a disconnected one is still tried: sending is how it comes back).
  if (ice_state == ice::State::new_ || ice_state == ice::State::checking) {
    if (dtls_without_path.size() < kMaxEarlyDtls) dtls_without_path.push_back(std::move(record));
    return;
  }
  (void)ice->send(now, std::move(record));
}

// The DTLS client says hello once ICE has a path; the server waits for it. What DTLS said before there was a
// path leaves now.
void PeerConnection::Impl::start_dtls(TimePoint now) {
  const bool ice_up = ice_state == ice::State::connected || ice_state == ice::State::completed;
  while (ice_up && ice && !dtls_without_path.empty()) {
    (void)ice->send(now, std::move(dtls_without_path.front()));
    dtls_without_path.pop_front();
  }
  if (ice_up && dtls && dtls->role() == dtls::Role::client && dtls->state() == dtls::State::idle) {
    dtls->start(now);
  }
}

void PeerConnection::Impl::fail(std::string reason) {
  if (state == ConnectionState::failed || state == ConnectionState::closed) return;
  failure = std::move(reason);
  update_state();
}

// Why ICE failed, in words a user can act on.
std::string PeerConnection::Impl::ice_failure() const {
  if (config.relay_only && ice) {
    const auto locals = ice->local_candidates();
    if (std::none_of(locals.begin(), locals.end(),
                     [](const ice::Candidate& c) { return c.type == ice::CandidateType::relay; }))
      return "ICE failed: relay-only, and no TURN server gave a relayed candidate (unreachable, or it "
             "refused "
             "the credentials)";
  }
  return "ICE failed: no candidate pair works";
}

// W3C webrtc-pc §4.3.3, for one transport: failed if ICE or DTLS failed; connected once DTLS is; disconnected
// while ICE is; connecting once anything started.
void PeerConnection::Impl::update_state() {
  if (state == ConnectionState::closed) return;
  ConnectionState next = ConnectionState::new_;
  const auto dtls_state = dtls ? dtls->state() : dtls::State::idle;
  // A closed DTLS session is this side's close() or the other side's close_notify: each sets the state
  // itself.
  if (dtls_state == dtls::State::closed) return;
  if (!failure.empty() || ice_state == ice::State::failed || dtls_state == dtls::State::failed) {
    next = ConnectionState::failed;
    if (failure.empty()) failure = ice_state == ice::State::failed ? ice_failure() : "DTLS failed";
  } else if (ice_state == ice::State::disconnected) {
    next = ConnectionState::disconnected;
  } else if (dtls_state == dtls::State::connected) {
    next = ConnectionState::connected;
  } else if (ice_state != ice::State::new_ || dtls_state != dtls::State::idle) {
    next = ConnectionState::connecting;
  }
  if (next == state) return;
  state = next;
  emit(event::StateChanged{state, state == ConnectionState::failed ? failure : std::string()});
}

void PeerConnection::Impl::emit(Event event) {
  if (events.size() >= kMaxEvents) {
    ++dropped_events;
    return;
  }
  events.push_back(std::move(event));
}

}  // namespace peerhub::peer
