// A DTLS 1.2 endpoint (RFC 6347) for WebRTC, over OpenSSL, sans-IO: no socket, no thread, no clock read.
//
// Driving contract (the PeerConnection is the caller; one thread owns a Session):
// - start(now) once the transport is ready: a client sends its ClientHello, a server waits. A server also
//   starts by itself on the first handle_datagram().
// - handle_datagram(now, bytes): every DTLS datagram from the peer (RFC 7983: first byte 20..63), whole;
//   one datagram may hold several records.
// - handle_timeout(now) when next_timeout() is reached (the caller may call it early or late).
// - send(bytes) once Connected: one DTLS record, one datagram (an SCTP packet, for data channels).
// - close(now) sends close_notify.
// - After every input, drain poll_transmit() (datagrams for the peer, each at most Config::mtu bytes) and
//   poll_event(), then arm one timer at next_timeout().
//
// Identity (RFC 8122, RFC 8827 §6.5): the peer's certificate is self-signed and trusted only if its hash
// equals the remote `a=fingerprint`. set_remote_fingerprint() may come before or after the peer's
// Certificate: a browser's ClientHello can arrive before the offerer has applied the answer, so the
// handshake goes on, the certificate is kept, and the two are compared as soon as both are known. A
// mismatch fails the session; Connected (and any application data) is held back until they matched.
//
// Time: OpenSSL's DTLS retransmission timer reads the wall clock itself, and every read OpenSSL makes during
// the handshake retransmits if that timer has expired. So the Session owns the schedule instead:
//   1. DTLS_set_timer_cb makes OpenSSL's own timeout an hour long, so it never fires by itself (neither in
//      real time nor in a test whose clock is virtual). A tiny timeout does not work: OpenSSL checks it at
//      the top of every record read, retransmits whenever it has expired, and counts each towards its limit
//      of 12; with 1 µs a handshake between two Sessions ends in "read timeout expired" (tried).
//   2. The Session keeps its own timer (RFC 6347 §4.2.4.1: 1 s initial, doubling, at most 60 s), restarted
//      whenever OpenSSL starts a new flight. The datagram BIO learns of every start and stop of OpenSSL's
//      timer through BIO_CTRL_DGRAM_SET_NEXT_TIMEOUT, whose argument in OpenSSL 3.0 is the address of
//      OpenSSL's own deadline.
//   3. When the Session's timer fires, it moves that deadline into the past and calls DTLSv1_handle_timeout,
//      which then retransmits the last flight with fresh record sequence numbers.
//   4. After Config::handshake_timeout (30 s) without Connected, the session fails: "DTLS handshake timed
//      out". Tests drive all of this on a virtual clock (tests/unit/dtls_retransmit_test.cpp).
// Step 2's address is checked at build time against the OpenSSL version (see datagram_bio.hpp).
//
// Bounds: at most Config::max_outgoing datagrams wait in poll_transmit() (older ones are dropped, as a full
// socket buffer would), incoming datagrams above kMaxDatagramSize are dropped, send() takes at most
// max_application_data() bytes, at most Config::max_held application messages wait for the fingerprint,
// and at most Config::max_events events wait in poll_event() (application data beyond that is dropped).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/clock.hpp"
#include "dtls/certificate.hpp"
#include "dtls/srtp_keys.hpp"

namespace peerhub::dtls {

// RFC 5763 §5: the endpoint whose a=setup is "active" is the DTLS client; "passive" is the server. The
// answerer picks for an offer's "actpass" (browsers answer "active").
enum class Role : std::uint8_t { client, server };

// Our role from our own a=setup value after negotiation: "active" → client, "passive" → server; nullopt
// for anything else ("actpass" is not a final role).
std::optional<Role> role_from_setup(std::string_view local_setup);

// Largest datagram handle_datagram() accepts: a full 16 KiB record plus its header and expansion.
inline constexpr std::size_t kMaxDatagramSize = 18 * 1024;

struct Config {
  Role role = Role::client;
  Certificate certificate;
  // Largest datagram to send (the UDP payload). 1200 fits every path WebRTC expects; the limits are
  // OpenSSL's minimum and a full record.
  std::size_t mtu = 1200;
  // Offered (client) or accepted (server) in the use_srtp extension, in order of preference; empty offers
  // none (data channels only).
  std::vector<SrtpProfile> srtp_profiles{SrtpProfile::aead_aes128_gcm, SrtpProfile::aes128_cm_sha1_80};
  Duration handshake_timeout = std::chrono::seconds(30);
  std::size_t max_outgoing = 256;
  std::size_t max_held = 64;
  std::size_t max_events = 1024;
};

inline constexpr std::size_t kMinMtu = 256;
inline constexpr std::size_t kMaxMtu = kMaxDatagramSize;

struct Transmit {
  std::vector<std::uint8_t> bytes;
};

// The handshake finished and the remote fingerprint matched. Without use_srtp (the peer offered none of
// ours) srtp_profile is empty and keys hold nothing.
struct Connected {
  std::optional<SrtpProfile> srtp_profile;
  SrtpKeyMaterial keys;
};
struct ApplicationData {
  std::vector<std::uint8_t> bytes;
};
// The peer sent close_notify.
struct Closed {};
// The session is over; `reason` says why in words.
struct Failed {
  std::string reason;
};
using Event = std::variant<Connected, ApplicationData, Closed, Failed>;

enum class SendResult : std::uint8_t { sent, not_connected, too_large, queue_full, failed };
std::string_view to_string(SendResult result);

enum class State : std::uint8_t { idle, handshaking, awaiting_fingerprint, connected, closed, failed };

class Session {
 public:
  // Throws std::invalid_argument for an MTU outside kMinMtu..kMaxMtu, std::runtime_error when OpenSSL
  // cannot set up the context.
  explicit Session(Config config);
  ~Session();
  Session(Session&&) noexcept;
  Session& operator=(Session&&) noexcept;
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void start(TimePoint now);
  void handle_datagram(TimePoint now, std::span<const std::uint8_t> bytes);
  void handle_timeout(TimePoint now);
  SendResult send(std::span<const std::uint8_t> bytes);
  void close(TimePoint now);
  void set_remote_fingerprint(const Fingerprint& fingerprint);

  std::optional<Transmit> poll_transmit();
  std::optional<Event> poll_event();
  std::optional<TimePoint> next_timeout() const;

  State state() const;
  Role role() const;
  // Largest send() once the cipher is known (MTU minus record overhead); 0 before the handshake finished.
  std::size_t max_application_data() const;
  // The peer's certificate as its handshake presented it (nullptr until then). Owned by the Session.
  X509* remote_certificate() const;
  // Datagrams dropped on the way in (too large) or out (queue full), and application messages dropped
  // because a queue was full.
  std::size_t dropped() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace peerhub::dtls
