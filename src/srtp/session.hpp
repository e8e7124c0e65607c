// SRTP and SRTCP (RFC 3711, RFC 7714) for one DTLS-SRTP association, over libsrtp2.
//
// Built from what dtls::Session's Connected event carries: the profile and the exported keys. RFC 5764
// §4.2: the DTLS client protects what it sends with the client_write key and salt and checks what it
// receives with the server_write ones; the server the other way round. So a Session needs our DTLS role.
//
// Two libsrtp2 contexts, as libsrtp2 takes one wildcard policy per context: ssrc_any_outbound (our keys,
// any SSRC we send) and ssrc_any_inbound (the peer's keys, any SSRC it sends). libsrtp2 keeps a stream per
// SSRC, created only for packets that authenticated, and each stream has a replay window of
// Options::replay_window packets (RTP; SRTCP's window is libsrtp2's fixed 128).
//
// Packets are protected and unprotected in place:
// - protect_rtp/protect_rtcp take a std::vector holding one plaintext packet and append the trailer
//   (auth tag; for RTCP also the E-flag|SRTCP index word). The vector grows by at most kMaxTrailer bytes:
//   reserve that much headroom to avoid a reallocation per packet.
// - unprotect_rtp/unprotect_rtcp take a span over the received packet, decrypt it in place and shorten
//   the span to the plaintext.
// Results are an Error; to_string() says it in words. Keys never appear in errors or logs.
//
// libsrtp2 is initialised once per process (thread-safe) by the first Session. A Session is used by one
// thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dtls/session.hpp"
#include "dtls/srtp_keys.hpp"

namespace peerhub::srtp {

using dtls::SrtpKeyMaterial;
using dtls::SrtpProfile;

enum class Error : std::uint8_t {
  ok,
  too_short,    // not even an RTP (12 bytes) / RTCP (8 bytes) header, or shorter than the trailer
  too_long,     // the packet with its trailer would exceed kMaxPacket
  auth_failed,  // the tag does not match: tampered, or not from the peer
  replayed,     // a packet index seen before (or older than the replay window)
  bad_packet,   // libsrtp2 refused the packet's format
  internal,     // any other libsrtp2 failure
};

// "authentication failed (tampered with, or protected with other keys)", "replayed packet", …
std::string_view to_string(Error error);

// The most a protect call appends: a 16-byte tag plus the 4-byte SRTCP index word.
inline constexpr std::size_t kMaxTrailer = 16 + 4;
// Largest packet accepted in either direction (a UDP datagram's worth).
inline constexpr std::size_t kMaxPacket = 65'507;

struct Options {
  // RFC 3711 §3.3.2 asks for at least 64; libsrtp2 accepts 64..32767. Browsers reorder little; 1024
  // tolerates a burst of retransmissions without admitting old packets forever.
  std::size_t replay_window = 1024;
};

class Session {
 public:
  // Throws std::invalid_argument when a key or salt has the wrong length for `profile`, and
  // std::runtime_error when libsrtp2 refuses.
  Session(SrtpProfile profile, const SrtpKeyMaterial& keys, dtls::Role local_role, Options options = {});
  ~Session();
  Session(Session&&) noexcept;
  Session& operator=(Session&&) noexcept;
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  Error protect_rtp(std::vector<std::uint8_t>& packet);
  Error protect_rtcp(std::vector<std::uint8_t>& packet);
  Error unprotect_rtp(std::span<std::uint8_t>& packet);
  Error unprotect_rtcp(std::span<std::uint8_t>& packet);

  SrtpProfile profile() const { return profile_; }
  // Bytes protect_rtp / protect_rtcp append for this profile: 10 and 14 (AES-CM/SHA1-80), 16 and 20 (GCM).
  std::size_t rtp_trailer() const;
  std::size_t rtcp_trailer() const;

 private:
  struct Context;
  SrtpProfile profile_;
  std::unique_ptr<Context> context_;
};

}  // namespace peerhub::srtp
