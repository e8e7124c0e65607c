// JSEP (RFC 8829) for a data-channel-only peer: the offer it makes, the answer it gives to a browser's offer,
// and what it must read from the remote description. Audio and video sections come with the SFU; until then a
// browser's audio/video sections are rejected the JSEP way.
//
// Driving contract: plain functions, no state. The caller (the PeerConnection) passes its ICE credentials,
// its DTLS certificate fingerprint and the candidates it has gathered; it gets a SessionDescription to
// write() and send, or, from a remote description, a RemoteDataChannel with everything ICE, DTLS and SCTP
// need. Randomness (the o= session id) comes from an injectable fill function, OpenSSL's RAND_bytes when none
// is given.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sdp/description.hpp"

namespace peerhub::sdp {

using RandomFill = std::function<void(std::span<std::uint8_t>)>;

// RFC 8841 §6.1: what a peer that sends no a=max-message-size is assumed to take.
inline constexpr std::uint64_t kDefaultMaxMessageSize = 65536;
// RFC 8841 §5.2: the SCTP port of a peer that sends no a=sctp-port; and the one JSEP peers use.
inline constexpr std::uint16_t kDefaultSctpPort = 5000;

// What this peer puts in its own description for its one transport.
struct LocalTransport {
  std::string ice_ufrag;    // RFC 8839 §5.4: 4-256 ice-chars (the ICE agent makes them)
  std::string ice_pwd;      // 22-256 ice-chars
  Fingerprint fingerprint;  // of the DTLS certificate, e.g. {"sha-256", 32 bytes}
  // Gathered candidates, each as the text after "a=": "candidate:1 1 udp 2130706431 127.0.0.1 50000 typ
  // host".
  std::vector<std::string> candidates;
  bool end_of_candidates = false;  // gathering is complete (RFC 8840 §8.2): adds a=end-of-candidates
  bool trickle = true;             // a=ice-options:trickle (RFC 8840 §4.1.1)
  bool ice_lite = false;           // a=ice-lite at session level (RFC 8839 §5.3): the server side
};

// The o= line's session id and version (RFC 8829 §5.2.1: a 64-bit random id with the top bit zero, so that it
// fits a signed 64-bit number; the version goes up by one with each new description of the session).
struct SessionIdentity {
  std::optional<std::uint64_t> id;  // drawn from random_fill when empty
  std::uint64_t version = 1;
  RandomFill random_fill;  // defaults to OpenSSL RAND_bytes
};

struct OfferOptions {
  LocalTransport transport;
  std::string mid = "0";
  std::uint16_t sctp_port = kDefaultSctpPort;
  std::uint64_t max_message_size = 262144;  // what Chromium and this peer take
  SessionIdentity session;
};

// An offer with one application section: "m=application 9 UDP/DTLS/SCTP webrtc-datachannel", c=IN IP4
// 0.0.0.0, the candidates, a=ice-ufrag/pwd, a=ice-options:trickle, a=fingerprint, a=setup:actpass, a=mid,
// a=sctp-port, a=max-message-size, a=end-of-candidates when gathering is complete; a=group:BUNDLE <mid> at
// session level. Error when the transport does not pass the grammar a parser will check (bad ufrag, empty
// fingerprint, a candidate with a line end in it, ...): "the ICE password must be 22 to 256 letters, digits,
// '+' or '/'".
Result<SessionDescription> make_offer(const OfferOptions& options);

struct AnswerOptions {
  LocalTransport transport;
  // RFC 8842 §5.2: the role taken when the offer says actpass (or has no a=setup). An offer that says active
  // gets passive and one that says passive gets active, whatever this says. Only active or passive.
  Setup setup = Setup::active;
  std::uint64_t max_message_size = 262144;
  std::uint16_t sctp_port = kDefaultSctpPort;
  SessionIdentity session;
};

// The answer to a remote offer (RFC 8829 §5.3.1): one m= section for each offered one, in order, same media
// and same mid. The first data channel section is accepted; every other section (a browser's audio and video,
// a second data channel section) is rejected: port 0, the offered proto and first format, c=IN IP4 0.0.0.0
// and its a=mid, nothing else (RFC 3264 §6). RFC 8843 §7.3.3: a rejected section's mid is left out of the
// answer's BUNDLE group; the group is "a=group:BUNDLE <data mid>" when the offer bundled the data section,
// and absent otherwise. No remote candidate or attribute is copied. Errors: "the offer has no data channel
// section", "the offer rejected its data channel section (port 0)", and those of make_offer.
Result<SessionDescription> make_answer(const SessionDescription& offer, const AnswerOptions& options);

enum class DescriptionType { offer, answer };

// What the peer needs from the remote description to run ICE, DTLS and SCTP for the data channel.
struct RemoteDataChannel {
  std::size_t media_index = 0;  // of the data channel section
  std::string mid;              // its a=mid ("" when the description has none)
  std::string ice_ufrag;
  std::string ice_pwd;
  std::vector<std::string> ice_options;  // "trickle", "ice2", ...
  bool ice_lite = false;
  std::vector<Fingerprint> fingerprints;  // RFC 8122 §5: the certificate must match one of them
  // The remote a=setup (RFC 8842). When the description has none: actpass in an offer (as browsers read it;
  // RFC 8842 §5.2 has every offerer say actpass) and active in an answer (RFC 4145 §4's default).
  Setup setup = Setup::actpass;
  std::uint16_t sctp_port = kDefaultSctpPort;               // RFC 8841 §5.2: 5000 when absent
  std::uint64_t max_message_size = kDefaultMaxMessageSize;  // RFC 8841 §6.1: 65536 when absent, 0 = no limit
  // The a=candidate values (text after "a=") of the data section and of the other sections it is bundled
  // with, BUNDLE-tagged section first, each once.
  std::vector<std::string> candidates;
  bool end_of_candidates = false;
  // The mids whose trickled candidates belong to this transport: the data section's and, when it is bundled,
  // those of the other sections of its BUNDLE group that are not rejected (a browser trickles candidates of a
  // bundle with the tagged section's sdpMid, e.g. "0" for an audio section). Tagged section first.
  std::vector<std::string> transport_mids;
};

// Reads the data channel section of a remote description. Errors: "the offer has no data channel section",
// "the answer rejected the data channel section (port 0)", "no a=ice-ufrag for the data channel section",
// "no a=ice-pwd ...", "no a=fingerprint ...", "the answer says a=setup:actpass, which only an offer may say".
Result<RemoteDataChannel> read_remote_data_channel(const SessionDescription& remote, DescriptionType type);

// RFC 8840 §4.1.2 / W3C localDescription: a candidate gathered after `local` was made goes into the section
// with that mid, after its other candidates (right after c= when it has none), so that a description written
// later holds every candidate gathered so far. `candidate` is the text after "a=" ("candidate:..."). Returns
// the section's index. Errors: "no m= section with a=mid:<mid>", "a candidate must be one line starting with
// \"candidate:\"".
Result<std::size_t> add_candidate(SessionDescription& local, std::string_view mid,
                                  std::string_view candidate);
// Adds a=end-of-candidates to the section with that mid (once): gathering is complete (RFC 8840 §8.2).
Result<std::size_t> add_end_of_candidates(SessionDescription& local, std::string_view mid);

// Which end of DTLS this peer plays once both a=setup values are known (RFC 8842 §5.1: "active" opens the
// connection, i.e. is the DTLS client). `local` is what this peer wrote (actpass in its offer, or the role of
// its answer); `remote` is RemoteDataChannel::setup. Errors: "both ends say a=setup:active", "neither end
// took a role (actpass and actpass)", ...
enum class DtlsRole { client, server };
Result<DtlsRole> local_dtls_role(Setup local, Setup remote);

}  // namespace peerhub::sdp
