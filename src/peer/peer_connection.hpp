// A WebRTC peer for data channels, in the W3C shape (create offer / answer, set local / remote description,
// add ICE candidate, create data channel), composed of the sans-IO cores: ICE (ice::Agent) carries DTLS
// (dtls::Session), which carries SCTP (sctp::Association), which carries the channels. Sans-IO itself: it
// never opens a socket, reads a clock or starts a thread.
//
// Driving contract (src/net/peer_host.hpp is the shell that does it for real sockets; tests do it by hand):
// - The shell opens UDP sockets on the machine's addresses and tells the peer with add_local_base(); every
//   datagram a socket receives goes to handle_datagram(now, base_id, from, bytes).
// - After every call, drain poll_transmit() (send `bytes` from socket `base_id` to `destination`) and
//   poll_event(), then arm one timer at next_timeout() and call handle_timeout(now) when it fires.
// - TURN over TCP (a TurnServer with `tcp`): a Transmit whose `turn_stream` is set is not a datagram. Its
//   `bytes` are one or more whole STUN / ChannelData frames for the TCP connection to
//   Configuration::turn_servers[*turn_stream] (`destination` is that server). The shell opens that connection
//   on the first such Transmit (one per index, never reopened once it closed), writes the bytes in order,
//   cuts what it reads into frames with stun::next_frame() (stun/framing.hpp) and passes each whole frame to
//   handle_turn_stream(now, index, frame). When the connection cannot be opened, ends, errs, or carries bytes
//   that are no frame, the shell closes it and calls turn_stream_closed(now, index) once: the relayed
//   candidate over it is gone (ICE moves to another pair if it has one). Transmits for an index whose
//   connection is closed are dropped. After close(), the last Transmits (the allocation's Refresh with
//   lifetime 0) go out like any other, then the shell closes every connection; a server also ends the
//   allocation of a connection that closes (RFC 8656 §3.1).
// - Signaling is the caller's: send what create_offer()/create_answer() give and every LocalCandidate event;
//   pass what the other side sends to set_remote_description() and add_ice_candidate().
//
// Layering, as RFC 8835/8831 stack it: ICE connected → DTLS handshake (the client is the side whose a=setup
// is active) → SCTP association (both sides connect: simultaneous open) → channels (DCEP). A DTLS packet that
// arrives before the remote description has said who is who (a browser answerer's ClientHello usually does)
// is kept (bounded) and handled as soon as it can be, so the handshake never waits for a retransmission.
//
// Renegotiation: a new remote offer with the same ICE credentials is answered without touching ICE, DTLS or
// SCTP (new audio/video sections from a browser are rejected until the SFU work adds media); new credentials
// are an ICE restart (RFC 8445 §9) and this side restarts too.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "ice/agent.hpp"
#include "stun/address.hpp"

namespace peerhub::peer {

enum class SdpType : std::uint8_t { offer, answer };
std::string_view to_string(SdpType type);  // "offer", "answer"
std::optional<SdpType> parse_sdp_type(std::string_view text);

struct Description {
  SdpType type = SdpType::offer;
  std::string sdp;
};

struct TurnServer {
  stun::Address address;
  bool tcp = false;  // over a TCP connection the shell opens (turn_stream, above) instead of the UDP sockets
  std::string username;
  std::string password;
};

struct Configuration {
  std::vector<stun::Address> stun_servers;
  std::vector<TurnServer> turn_servers;
  bool relay_only = false;  // RTCIceTransportPolicy "relay": only relayed local candidates are used
  // The largest message this side takes (a=max-message-size); the other side's limit bounds what it sends.
  std::size_t max_message_size = 1024 * 1024;
  ice::RandomFill random = ice::default_random_fill;
};

// RTCPeerConnectionState's words (W3C webrtc-pc §4.3.3).
enum class ConnectionState : std::uint8_t { new_, connecting, connected, disconnected, failed, closed };
std::string_view to_string(ConnectionState state);

using ChannelId = std::uint32_t;  // a handle of this PeerConnection, not the SCTP stream id

struct DataChannelInit {
  bool ordered = true;
  std::optional<std::uint16_t> max_retransmits;
  std::optional<std::uint32_t> max_lifetime_ms;
  std::string protocol;
  std::optional<std::uint16_t> negotiated_id;
};

namespace event {
struct LocalCandidate {
  std::string candidate;  // "candidate:…" (no "a="), for RTCIceCandidateInit.candidate
  std::string mid;        // sdpMid
};
struct GatheringComplete {};
struct StateChanged {
  ConnectionState state;
  std::string reason;  // why it failed or closed, in words; empty otherwise
};
struct IceStateChanged {
  ice::State state;
};
struct SelectedPair {
  std::string local;  // "host 127.0.0.1:50000", "relay 127.0.0.1:49200", ...
  std::string remote;
};
struct ChannelOpen {
  ChannelId id = 0;
  std::string label;
  std::string protocol;
  bool incoming = false;  // the other side opened it (RTCPeerConnection's "datachannel" event)
  bool ordered = true;
};
struct Message {
  ChannelId id = 0;
  bool binary = false;
  std::vector<std::uint8_t> bytes;
};
struct BufferedAmountLow {
  ChannelId id = 0;
};
struct ChannelClosed {
  ChannelId id = 0;
};
}  // namespace event
using Event = std::variant<event::LocalCandidate, event::GatheringComplete, event::StateChanged,
                           event::IceStateChanged, event::SelectedPair, event::ChannelOpen, event::Message,
                           event::BufferedAmountLow, event::ChannelClosed>;

class PeerConnection {
 public:
  // Generates this peer's DTLS certificate (ECDSA P-256). `wall_clock` is only for its validity period.
  PeerConnection(Configuration configuration, std::chrono::system_clock::time_point wall_clock);
  ~PeerConnection();
  PeerConnection(PeerConnection&&) noexcept;
  PeerConnection& operator=(PeerConnection&&) noexcept;

  // --- signaling (JSEP) ---
  // An offer with one data channel section and the candidates gathered so far. Errors: not in a state to
  // offer.
  Result<Description> create_offer();
  // The answer to the remote offer: the data channel section accepted, audio/video rejected.
  Result<Description> create_answer();
  Result<void> set_local_description(TimePoint now, const Description& description);
  // Errors in words: the SDP's own ("line 7: …"), a missing data channel section, fingerprint, credentials,
  // an answer without an offer.
  Result<void> set_remote_description(TimePoint now, const Description& description);
  // "candidate:…" (with or without "a="); an empty string means end of candidates. Candidates that cannot be
  // used (mDNS names, TCP) are ignored without error; malformed ones are an error.
  Result<void> add_ice_candidate(TimePoint now, std::string_view candidate, std::string_view mid = {});
  // The current local description with every candidate gathered so far (pc.localDescription).
  std::optional<Description> local_description() const;
  bool gathering_complete() const;

  // --- data channels ---
  Result<ChannelId> create_data_channel(std::string label, const DataChannelInit& init = {});
  Result<void> send(ChannelId id, std::string_view text);
  Result<void> send(ChannelId id, std::span<const std::uint8_t> binary);
  std::size_t buffered_amount(ChannelId id) const;
  void set_buffered_amount_low_threshold(ChannelId id, std::size_t bytes);
  Result<void> close_channel(ChannelId id);
  // The largest message send() takes now (the other side's a=max-message-size); 0 before it is known.
  std::size_t max_message_size() const;

  ConnectionState state() const;
  void close(TimePoint now);

  // --- transport (the shell) ---
  void add_local_base(TimePoint now, const ice::LocalBase& base);
  void handle_datagram(TimePoint now, std::uint32_t base_id, const stun::Address& from,
                       std::span<const std::uint8_t> bytes);
  // One whole frame read from the TCP connection to Configuration::turn_servers[server] (see above).
  void handle_turn_stream(TimePoint now, std::size_t server, std::span<const std::uint8_t> frame);
  // That connection is gone, or could not be opened.
  void turn_stream_closed(TimePoint now, std::size_t server);
  void handle_timeout(TimePoint now);
  std::optional<ice::Transmit> poll_transmit();
  std::optional<Event> poll_event();
  std::optional<TimePoint> next_timeout() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace peerhub::peer
