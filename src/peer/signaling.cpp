// JSEP for the PeerConnection (RFC 8829): offers, answers, the roles they fix, and trickled candidates.
#include <algorithm>

#include "peer/peer_connection_impl.hpp"

namespace peerhub::peer {

std::string_view to_string(SdpType type) {
  return type == SdpType::offer ? "offer" : "answer";
}

std::optional<SdpType> parse_sdp_type(std::string_view text) {
  if (text == "offer") return SdpType::offer;
  if (text == "answer") return SdpType::answer;
  return std::nullopt;
}

std::string_view to_string(ConnectionState state) {
  switch (state) {
    case ConnectionState::new_:
      return "new";
    case ConnectionState::connecting:
      return "connecting";
    case ConnectionState::connected:
      return "connected";
    case ConnectionState::disconnected:
      return "disconnected";
    case ConnectionState::failed:
      return "failed";
    case ConnectionState::closed:
      return "closed";
  }
  return "unknown";
}

PeerConnection::Impl::Impl(Configuration configuration, std::chrono::system_clock::time_point wall_clock)
    : config(std::move(configuration)), certificate(dtls::Certificate::generate(wall_clock)) {
  // RFC 8829 §5.2.1: a random 62-bit session id, kept for every description of this session.
  session_id = ice::random_u64(config.random) >> 2;
}

ice::Agent& PeerConnection::Impl::ensure_ice(ice::Role role) {
  if (!ice) {
    ice::Config c;
    c.role = role;
    c.stun_servers = config.stun_servers;
    c.relay_only = config.relay_only;
    // One for one, so that a Transmit's turn_stream is also an index into Configuration::turn_servers.
    for (const auto& t : config.turn_servers) {
      c.turn_servers.push_back(
          {t.address, t.tcp ? ice::Transport::tcp : ice::Transport::udp, t.username, t.password});
    }
    c.random = config.random;
    // A window of SCTP packets can leave in one go; they wait here until the shell takes them.
    c.limits.transmits = kMaxQueuedTransmits;
    ice.emplace(std::move(c));
  }
  return *ice;
}

sdp::LocalTransport PeerConnection::Impl::local_transport() const {
  sdp::LocalTransport t;
  t.ice_ufrag = ice->local_ufrag();
  t.ice_pwd = ice->local_pwd();
  const auto fingerprint = certificate.fingerprint();
  t.fingerprint.algorithm = std::string(dtls::to_string(fingerprint.algorithm));
  t.fingerprint.digest = fingerprint.value;
  t.candidates = local_candidates;
  t.end_of_candidates = gathering_complete;
  return t;
}

sdp::SessionIdentity PeerConnection::Impl::next_identity() {
  sdp::SessionIdentity identity;
  identity.id = session_id;
  identity.version = ++session_version;
  return identity;
}

Result<Description> PeerConnection::create_offer() {
  auto& s = *impl_;
  if (s.signaling == SignalingState::closed) return Error{"the connection is closed"};
  if (s.signaling == SignalingState::have_remote_offer) {
    return Error{"cannot make an offer while the remote offer is not answered"};
  }
  s.ensure_ice(ice::Role::controlling);
  sdp::OfferOptions options;
  options.transport = s.local_transport();
  options.mid = s.mid;
  options.max_message_size = s.config.max_message_size;
  options.session = s.next_identity();
  auto offer = sdp::make_offer(options);
  if (!offer) return Error{offer.error().text()};
  return Description{SdpType::offer, sdp::write(offer.value())};
}

Result<Description> PeerConnection::create_answer() {
  auto& s = *impl_;
  if (s.signaling != SignalingState::have_remote_offer || !s.remote_offer) {
    return Error{"there is no remote offer to answer"};
  }
  sdp::AnswerOptions options;
  options.transport = s.local_transport();
  // A renegotiation keeps the DTLS role the connection already has; a first answer takes active (make_answer
  // turns that into passive when the offer said active).
  options.setup = s.dtls && s.dtls->role() == dtls::Role::server ? sdp::Setup::passive : sdp::Setup::active;
  options.max_message_size = s.config.max_message_size;
  options.session = s.next_identity();
  auto answer = sdp::make_answer(*s.remote_offer, options);
  if (!answer) return Error{answer.error().text()};
  return Description{SdpType::answer, sdp::write(answer.value())};
}

Result<void> PeerConnection::set_local_description(TimePoint now, const Description& description) {
  auto& s = *impl_;
  if (s.signaling == SignalingState::closed) return Error{"the connection is closed"};
  auto parsed = sdp::parse(description.sdp);
  if (!parsed)
    return Error{"our own " + std::string(to_string(description.type)) + ": " + parsed.error().text()};
  if (description.type == SdpType::offer) {
    if (s.signaling == SignalingState::have_remote_offer) {
      return Error{"cannot apply a local offer while the remote offer is not answered"};
    }
    s.signaling = SignalingState::have_local_offer;
  } else {
    if (s.signaling != SignalingState::have_remote_offer)
      return Error{"a local answer needs a remote offer first"};
    s.signaling = SignalingState::stable;
    s.remote_offer.reset();
  }
  // Our own a=setup, as written: actpass in an offer, active or passive in an answer.
  auto own = sdp::read_remote_data_channel(parsed.value(), description.type == SdpType::offer
                                                               ? sdp::DescriptionType::offer
                                                               : sdp::DescriptionType::answer);
  if (!own) return Error{"our own " + std::string(to_string(description.type)) + ": " + own.error().text()};
  s.local_setup = own->setup;
  s.local = description;
  s.settle_roles(now);
  for (auto& base : s.pending_bases)
    s.ice->add_local_base(now, base);
  s.pending_bases.clear();
  s.pump(now);
  return {};
}

Result<void> PeerConnection::set_remote_description(TimePoint now, const Description& description) {
  auto& s = *impl_;
  if (s.signaling == SignalingState::closed) return Error{"the connection is closed"};
  const bool is_offer = description.type == SdpType::offer;
  if (is_offer && s.signaling == SignalingState::have_local_offer) {
    // No rollback (RFC 8829 §4.1.8.2) in this peer: the side that offered first keeps its offer.
    return Error{"an offer crossed ours (glare): the remote offer is refused while ours is pending"};
  }
  if (!is_offer && s.signaling != SignalingState::have_local_offer) {
    return Error{"an answer came, but no offer of ours is pending"};
  }
  auto parsed = sdp::parse(description.sdp);
  if (!parsed)
    return Error{"the remote " + std::string(to_string(description.type)) + ": " + parsed.error().text()};
  auto remote = sdp::read_remote_data_channel(
      parsed.value(), is_offer ? sdp::DescriptionType::offer : sdp::DescriptionType::answer);
  if (!remote) return Error{remote.error().text()};

  const bool renegotiation = s.remote.has_value();
  if (is_offer) {
    // RFC 8445 §6.1.1: the offerer is controlling, unless it is lite and we are full.
    s.ensure_ice(remote->ice_lite ? ice::Role::controlling : ice::Role::controlled);
    s.mid = remote->mid.empty() ? s.mid : remote->mid;
    s.remote_offer = std::move(parsed).value();
    s.signaling = SignalingState::have_remote_offer;
  } else {
    s.signaling = SignalingState::stable;
  }
  auto applied = s.apply_remote(now, remote.value(), renegotiation);
  if (!applied) return applied;
  s.settle_roles(now);
  s.pump(now);
  return {};
}

Result<void> PeerConnection::Impl::apply_remote(TimePoint now, const sdp::RemoteDataChannel& incoming,
                                                bool renegotiation) {
  const bool restart = renegotiation && remote &&
                       (remote->ice_ufrag != incoming.ice_ufrag || remote->ice_pwd != incoming.ice_pwd);
  if (renegotiation && remote && remote->fingerprints != incoming.fingerprints) {
    return Error{"the remote certificate changed in a renegotiation; start a new connection instead"};
  }
  if (restart) {
    // RFC 8445 §9: the other side restarted ICE; so do we (new credentials, a fresh checklist).
    local_candidates.clear();
    gathering_complete = false;
    ice->restart(now);
  }
  if (!renegotiation || restart) {
    ice->set_remote_credentials(incoming.ice_ufrag, incoming.ice_pwd);
    for (const auto& text : incoming.candidates) {
      auto parsed = ice::parse_candidate(text);
      if (parsed) (void)ice->add_remote_candidate(now, *parsed.candidate);
    }
    if (incoming.end_of_candidates) ice->remote_end_of_candidates(now);
  }
  remote = incoming;
  if (sctp) sctp->set_remote_max_message_size(incoming.max_message_size);
  return {};
}

// Once both sides' a=setup are known, DTLS and SCTP can exist (their roles come from it): early DTLS
// datagrams kept until now are handled at once.
void PeerConnection::Impl::settle_roles(TimePoint now) {
  if (dtls || !local_setup || !remote || !ice) return;
  // RFC 8842 §5.1: the end whose a=setup is active is the DTLS client.
  const auto role = sdp::local_dtls_role(*local_setup, remote->setup);
  if (!role) {
    fail(role.error().text());
    return;
  }
  dtls::Config c{.role = *role == sdp::DtlsRole::client ? dtls::Role::client : dtls::Role::server,
                 .certificate = certificate};
  c.mtu = kDtlsMtu;
  c.srtp_profiles = {};  // data channels only until the SFU work adds media
  dtls.emplace(std::move(c));
  // RFC 8122 §5: the certificate must match one of the fingerprints; prefer SHA-256, which every browser
  // sends.
  const sdp::Fingerprint* chosen = nullptr;
  for (const auto& f : remote->fingerprints) {
    if (chosen == nullptr || f.algorithm == "sha-256") chosen = &f;
  }
  if (chosen != nullptr) {
    std::string why;
    auto fingerprint = dtls::Fingerprint::parse(sdp::to_string(*chosen), &why);
    if (fingerprint) {
      dtls->set_remote_fingerprint(*fingerprint);
    } else {
      fail("the remote a=fingerprint cannot be used: " + why);
      return;
    }
  }
  sctp::Config sc;
  sc.remote_port = remote->sctp_port;
  sc.local_max_message_size = config.max_message_size;
  sc.remote_max_message_size = remote->max_message_size;
  sc.mtu = kSctpMtu;
  sc.max_transmits = kMaxQueuedTransmits;
  sc.dtls_role = c.role == dtls::Role::client ? sctp::DtlsRole::client : sctp::DtlsRole::server;
  auto association = sctp::Association::create(sc);
  if (!association) {
    fail("cannot start SCTP: " + association.error());
    return;
  }
  sctp = std::move(association.value());
  open_pending_channels();
  start_dtls(now);
  while (!early_dtls.empty()) {
    auto datagram = std::move(early_dtls.front());
    early_dtls.pop_front();
    dtls->handle_datagram(now, datagram);
  }
}

Result<void> PeerConnection::add_ice_candidate(TimePoint now, std::string_view candidate,
                                               std::string_view mid) {
  auto& s = *impl_;
  if (s.signaling == SignalingState::closed) return Error{"the connection is closed"};
  if (!s.ice || !s.remote) return Error{"a candidate came before the remote description"};
  // Candidates belong to this transport when their mid is one bundled onto it (Chromium trickles with the
  // BUNDLE tag's mid, which may be an audio section's); others are for sections this peer rejected: ignored.
  const auto& mids = s.remote->transport_mids;
  if (!mid.empty() && mid != s.mid && std::find(mids.begin(), mids.end(), mid) == mids.end()) return {};
  if (candidate.starts_with("a=")) candidate.remove_prefix(2);
  if (candidate.empty() || candidate == "end-of-candidates") {
    s.ice->remote_end_of_candidates(now);
    s.pump(now);
    return {};
  }
  auto parsed = ice::parse_candidate(candidate);
  if (!parsed) return Error{"bad candidate \"" + std::string(candidate) + "\": " + parsed.error};
  (void)s.ice->add_remote_candidate(now, *parsed.candidate);
  s.pump(now);
  return {};
}

std::optional<Description> PeerConnection::local_description() const {
  const auto& s = *impl_;
  if (!s.local) return std::nullopt;
  auto parsed = sdp::parse(s.local->sdp);
  if (!parsed) return s.local;
  auto description = std::move(parsed).value();
  // pc.localDescription: the applied description plus what was gathered since.
  for (std::size_t i = 0; i < description.media().size(); ++i) {
    auto& section = description.media()[i];
    if (section.media_line().port == 0) continue;
    section.remove_attributes("candidate");
    section.remove_attributes("end-of-candidates");
    for (const auto& c : s.local_candidates)
      section.add_attribute(c);
    if (s.gathering_complete) section.add_attribute("end-of-candidates");
  }
  return Description{s.local->type, sdp::write(description)};
}

bool PeerConnection::gathering_complete() const {
  return impl_->gathering_complete;
}

}  // namespace peerhub::peer
