// The inside of PeerConnection: the three cores, the negotiation state, and the channel handles.
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dtls/certificate.hpp"
#include "dtls/session.hpp"
#include "ice/agent.hpp"
#include "peer/peer_connection.hpp"
#include "sctp/association.hpp"
#include "sdp/description.hpp"
#include "sdp/jsep.hpp"

namespace peerhub::peer {

enum class SignalingState : std::uint8_t { stable, have_local_offer, have_remote_offer, closed };

inline constexpr std::size_t kMaxEarlyDtls = 32;     // DTLS datagrams kept until the roles are known
inline constexpr std::size_t kMaxEvents = 16384;     // events waiting for poll_event()
inline constexpr std::size_t kMaxChannels = 1024;    // channel handles alive at once
inline constexpr std::size_t kMaxPendingBases = 64;  // sockets announced before the ICE agent exists

inline constexpr std::size_t kMaxQueuedTransmits = 8192;
// Datagram sizes: DTLS records fill at most 1232 bytes of UDP payload (IPv6's minimum MTU of 1280 less the
// IPv6 and UDP headers), and an SCTP packet leaves room in them for the record header, explicit nonce and
// AEAD tag (13 + 8 + 16 bytes with AES-GCM, less with ChaCha20-Poly1305), rounded down to a multiple of 4.
inline constexpr std::size_t kDtlsMtu = 1232;
inline constexpr std::uint16_t kSctpMtu = 1192;

struct Channel {
  std::optional<std::uint16_t> stream;  // once the association exists
  std::string label;
  DataChannelInit init;
  bool open = false;
};

struct PeerConnection::Impl {
  Impl(Configuration configuration, std::chrono::system_clock::time_point wall_clock);

  Configuration config;
  dtls::Certificate certificate;

  // ICE exists from the first description on: its role (controlling for the offerer, RFC 8445 §6.1.1) is
  // known only then. Sockets announced before wait in pending_bases.
  std::optional<ice::Agent> ice;
  std::vector<ice::LocalBase> pending_bases;
  std::vector<std::string> local_candidates;  // "candidate:…", for local_description()
  bool gathering_complete = false;

  // DTLS and SCTP exist once both descriptions have fixed the DTLS roles.
  std::optional<dtls::Session> dtls;
  std::unique_ptr<sctp::Association> sctp;
  std::deque<std::vector<std::uint8_t>> early_dtls;
  // DTLS records made before ICE has a path (an early ClientHello answered the moment the answer came): sent
  // when ICE connects instead of lost, which would cost a 1 s retransmission. Bounded by kMaxEarlyDtls.
  std::deque<std::vector<std::uint8_t>> dtls_without_path;

  SignalingState signaling = SignalingState::stable;
  std::optional<sdp::SessionDescription> remote_offer;  // while have_remote_offer
  std::optional<Description> local;                     // the last local description applied
  std::optional<sdp::RemoteDataChannel> remote;         // what the remote description said
  std::string mid = "0";
  std::optional<sdp::Setup> local_setup;  // as our applied description says (actpass in an offer)
  std::uint64_t session_id = 0;
  std::uint64_t session_version = 0;

  std::map<ChannelId, Channel> channels;
  std::map<std::uint16_t, ChannelId> by_stream;
  ChannelId next_channel = 1;

  TimePoint last_now{};  // for calls that take no time (send, close_channel): the latest time seen
  ConnectionState state = ConnectionState::new_;
  ice::State ice_state = ice::State::new_;
  std::string failure;
  std::deque<Event> events;
  std::size_t dropped_events = 0;

  // signaling.cpp
  ice::Agent& ensure_ice(ice::Role role);
  sdp::LocalTransport local_transport() const;
  sdp::SessionIdentity next_identity();
  Result<void> apply_remote(TimePoint now, const sdp::RemoteDataChannel& remote, bool renegotiation);
  void settle_roles(TimePoint now);

  // transport.cpp
  void pump(TimePoint now);
  bool pump_ice(TimePoint now);
  bool pump_dtls(TimePoint now);
  bool pump_sctp(TimePoint now);
  void handle_application(TimePoint now, std::span<const std::uint8_t> bytes);
  void update_state();
  std::string ice_failure() const;
  void fail(std::string reason);
  void remote_closed();
  void end_closed(std::string reason);
  void start_dtls(TimePoint now);
  void send_dtls(TimePoint now, std::vector<std::uint8_t>&& record);
  void emit(Event event);

  // data_channels.cpp
  void open_pending_channels();
  void on_sctp_event(sctp::Event&& event);
};

}  // namespace peerhub::peer
