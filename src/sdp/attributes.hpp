// Typed values of the SDP lines the WebRTC peer understands, each with a parser that checks the grammar of
// its RFC and a writer that gives the text back. The description model (description.hpp) keeps every line as
// text, so that what a browser sent is written back byte for byte; these types are how the rest of peerhub
// reads and writes the lines it cares about.
//
// A parser takes the value after "<type>=" (o=, c=, t=, m=) or after "a=<name>:" (attributes) and returns an
// Error whose message names the line ("a=fingerprint: 'ZZ' is not a pair of hex digits"); its line number is
// 0 (the description parser fills it in). Writers produce exactly what the parser accepts.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sdp/result.hpp"

namespace peerhub::sdp {

// RFC 8866 §5.2: o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>
struct Origin {
  std::string username = "-";
  std::string session_id;  // 1*DIGIT; kept as text (Chromium's and Firefox's are 63-bit numbers)
  std::uint64_t session_version = 0;
  std::string net_type = "IN";
  std::string addr_type = "IP4";
  std::string address = "127.0.0.1";
  bool operator==(const Origin&) const = default;
};
Result<Origin> parse_origin(std::string_view value);
std::string to_string(const Origin& origin);

// RFC 8866 §5.9: t=<start-time> <stop-time>
struct Timing {
  std::uint64_t start = 0;
  std::uint64_t stop = 0;
  bool operator==(const Timing&) const = default;
};
Result<Timing> parse_timing(std::string_view value);
std::string to_string(const Timing& timing);

// RFC 8866 §5.7: c=<nettype> <addrtype> <connection-address>; the address keeps a /ttl or /count as written.
struct Connection {
  std::string net_type = "IN";
  std::string addr_type = "IP4";
  std::string address = "0.0.0.0";
  bool operator==(const Connection&) const = default;
};
Result<Connection> parse_connection(std::string_view value);
std::string to_string(const Connection& connection);

// RFC 8866 §5.14: m=<media> <port>[/<number of ports>] <proto> <fmt> ...
struct MediaLine {
  std::string media;  // audio, video, application, ...
  std::uint16_t port = 9;
  std::optional<std::uint16_t> port_count;
  std::string proto;                 // UDP/TLS/RTP/SAVPF, UDP/DTLS/SCTP, ...
  std::vector<std::string> formats;  // payload types, or webrtc-datachannel
  bool operator==(const MediaLine&) const = default;
};
Result<MediaLine> parse_media_line(std::string_view value);
std::string to_string(const MediaLine& media);

// RFC 8122 §5: a=fingerprint:<hash-func> <fingerprint>, the fingerprint being 2HEXDIG *(":" 2HEXDIG).
struct Fingerprint {
  std::string
      algorithm;  // as written, e.g. "sha-256" (compare with iequals: hash names are case-insensitive)
  std::vector<std::uint8_t> digest;
  bool operator==(const Fingerprint&) const = default;
};
Result<Fingerprint> parse_fingerprint(std::string_view value);
std::string to_string(
    const Fingerprint& fingerprint);               // "sha-256 AB:CD:..." in upper case, as browsers write
inline constexpr std::size_t kMaxDigestSize = 64;  // sha-512

// RFC 4145 §4 / RFC 8842 §5: a=setup:<role>
enum class Setup { actpass, active, passive, holdconn };
Result<Setup> parse_setup(std::string_view value);
std::string_view to_string(Setup setup);

// RFC 8866 §6.7: a=sendrecv / a=sendonly / a=recvonly / a=inactive (also the direction of an a=extmap).
enum class Direction { sendrecv, sendonly, recvonly, inactive };
std::optional<Direction> direction_from_name(std::string_view name);
std::string_view to_string(Direction direction);

// RFC 5888 §5: a=group:<semantics> *(SP <identification-tag>); RFC 8843 uses BUNDLE.
struct Group {
  std::string semantics;
  std::vector<std::string> mids;
  bool operator==(const Group&) const = default;
};
Result<Group> parse_group(std::string_view value);
std::string to_string(const Group& group);

// draft-ietf-mmusic-msid (as Chromium and Firefox still write it): a=msid-semantic:<semantics> [<id> ...].
// Chromium writes a space after the colon ("a=msid-semantic: WMS"); the parser skips it.
struct MsidSemantic {
  std::string semantics;  // WMS
  std::vector<std::string> ids;
  bool operator==(const MsidSemantic&) const = default;
};
Result<MsidSemantic> parse_msid_semantic(std::string_view value);

// RFC 8830 §2: a=msid:<msid-id> [<msid-appdata>]
struct Msid {
  std::string id;
  std::optional<std::string> appdata;
  bool operator==(const Msid&) const = default;
};
Result<Msid> parse_msid(std::string_view value);
std::string to_string(const Msid& msid);

// RFC 5576 §4.1: a=ssrc:<ssrc-id> <attribute>[:<value>]  (e.g. "1040466507 cname:P4HBfigj7881j8Pk")
struct Ssrc {
  std::uint32_t id = 0;
  std::string attribute;
  std::optional<std::string> value;
  bool operator==(const Ssrc&) const = default;
};
Result<Ssrc> parse_ssrc(std::string_view value);
std::string to_string(const Ssrc& ssrc);

// RFC 5576 §4.2: a=ssrc-group:<semantics> *(SP <ssrc-id>)  (e.g. "FID 3858565255 1725228474")
struct SsrcGroup {
  std::string semantics;
  std::vector<std::uint32_t> ssrcs;
  bool operator==(const SsrcGroup&) const = default;
};
Result<SsrcGroup> parse_ssrc_group(std::string_view value);
std::string to_string(const SsrcGroup& group);

// RFC 8866 §6.6: a=rtpmap:<payload type> <encoding name>/<clock rate>[/<encoding parameters>]
struct Rtpmap {
  std::uint8_t payload_type = 0;
  std::string encoding;
  std::uint32_t clock_rate = 0;
  std::optional<std::string> parameters;  // channels, for audio
  bool operator==(const Rtpmap&) const = default;
};
Result<Rtpmap> parse_rtpmap(std::string_view value);
std::string to_string(const Rtpmap& rtpmap);

// RFC 8866 §6.15: a=fmtp:<format> <format specific parameters>
struct Fmtp {
  std::string format;
  std::string parameters;  // as written: "minptime=10;useinbandfec=1", "111/111"
  bool operator==(const Fmtp&) const = default;
};
Result<Fmtp> parse_fmtp(std::string_view value);
std::string to_string(const Fmtp& fmtp);

// RFC 4585 §4.2: a=rtcp-fb:<payload type or *> <type> [<parameters>]  (e.g. "96 nack pli")
struct RtcpFb {
  std::string payload_type;  // a number or "*"
  std::string type;          // nack, ccm, goog-remb, transport-cc, ...
  std::optional<std::string> parameters;
  bool operator==(const RtcpFb&) const = default;
};
Result<RtcpFb> parse_rtcp_fb(std::string_view value);
std::string to_string(const RtcpFb& fb);

// RFC 8285 §8: a=extmap:<id>[/<direction>] <URI> [<extension attributes>]
struct Extmap {
  std::uint16_t id = 0;  // 1-14 one-byte, 1-255 two-byte, 4096-4351 in an offer for negotiation
  std::optional<Direction> direction;
  std::string uri;
  std::optional<std::string> attributes;
  bool operator==(const Extmap&) const = default;
};
Result<Extmap> parse_extmap(std::string_view value);
std::string to_string(const Extmap& extmap);

// RFC 8839 §5.4: ice-char = ALPHA / DIGIT / "+" / "/"; ufrag 4-256 characters, password 22-256.
Result<std::string> parse_ice_ufrag(std::string_view value);
Result<std::string> parse_ice_pwd(std::string_view value);
// RFC 8839 §5.6: a=ice-options:<ice-option-tag> *(SP <ice-option-tag>)
Result<std::vector<std::string>> parse_ice_options(std::string_view value);

// RFC 5888 §4 / RFC 8843: a=mid:<identification-tag> (a token; JSEP mids are short).
Result<std::string> parse_mid(std::string_view value);

// RFC 8841 §5: a=sctp-port:<port>; §6: a=max-message-size:<bytes> (0 means "no limit").
Result<std::uint16_t> parse_sctp_port(std::string_view value);
Result<std::uint64_t> parse_max_message_size(std::string_view value);

// An attribute line split at its first colon: "a=rtcp-mux" has no value, "a=mid:0" has "0".
struct AttributeText {
  std::string_view name;
  std::optional<std::string_view> value;
};
AttributeText split_attribute(std::string_view line_value);

}  // namespace peerhub::sdp
