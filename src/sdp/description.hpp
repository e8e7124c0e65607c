// The SDP description model (RFC 8866) for JSEP (RFC 8829): every line kept as text, in order, with typed
// accessors for the lines WebRTC needs.
//
// Driving contract: parse() takes the text a peer sent (CRLF or LF line ends) and either refuses it with an
// Error naming the line and what is wrong, or returns a SessionDescription that write() turns back into the
// same text byte for byte (with CRLF line ends). Nothing is dropped: lines peerhub does not understand stay
// where they were. parse() checks every line whose grammar it knows (attributes.hpp), so the typed accessors
// below never meet a malformed value in a parsed description; on one built by hand they skip what does not
// parse. Nothing here does I/O, reads a clock, or keeps a reference to the input.
//
// Session-level values that may also sit in a media section (ICE credentials, fingerprint, setup) are read
// per section with SessionDescription::transport(index), which applies the precedence of RFC 8839 §5.4 and
// RFC 8122 §5 (media level over session level) and of RFC 8843 §7.1.3 (a bundled section takes what it lacks
// from its BUNDLE-tagged section).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sdp/attributes.hpp"
#include "sdp/limits.hpp"
#include "sdp/result.hpp"

namespace peerhub::sdp {

// One line, "<type>=<value>": {'a', "mid:0"} is "a=mid:0".
struct Line {
  char type = 'a';
  std::string value;
  bool operator==(const Line&) const = default;
};

// The lines of one level (session or media) and the attributes both levels may hold.
class AttributeLines {
 public:
  const std::vector<Line>& lines() const { return lines_; }

  // Appends a line. The value must not hold CR, LF or NUL (std::invalid_argument otherwise), so that a
  // value cannot smuggle in a line of its own.
  void add_line(char type, std::string_view value);
  // The same, before lines()[position] (at the end when position >= lines().size()).
  void insert_line(std::size_t position, char type, std::string_view value);
  void add_attribute(std::string_view name) { add_line('a', name); }  // a flag: "a=rtcp-mux"
  void add_attribute(std::string_view name, std::string_view value);  // "a=<name>:<value>"
  // Removes every a=<name> line; returns how many.
  std::size_t remove_attributes(std::string_view name);

  bool has_attribute(std::string_view name) const;
  // The value of the first a=<name> line ("" for a flag), or nothing.
  std::optional<std::string> attribute(std::string_view name) const;
  // The values of every a=<name> line, in order.
  std::vector<std::string> attributes(std::string_view name) const;

  // Attributes RFC 8839, RFC 8122 and RFC 8842 allow at either level, as written at this level.
  std::optional<std::string> ice_ufrag() const;
  std::optional<std::string> ice_pwd() const;
  std::vector<std::string> ice_options() const;  // every option of every a=ice-options line
  std::vector<Fingerprint> fingerprints() const;
  std::optional<Setup> setup() const;
  std::optional<Connection> connection() const;
  std::optional<Direction> direction() const;  // a=sendrecv / sendonly / recvonly / inactive
  bool end_of_candidates() const { return has_attribute("end-of-candidates"); }

  bool operator==(const AttributeLines&) const = default;

 protected:
  std::vector<Line> lines_;
};

class SessionDescription;
Result<SessionDescription> parse(std::string_view text, const Limits& limits);

// One m= section: the m= line, then its own lines.
class MediaSection : public AttributeLines {
 public:
  explicit MediaSection(const MediaLine& media_line);

  const MediaLine& media_line() const { return media_; }
  // The m= line's value as written ("application 9 UDP/DTLS/SCTP webrtc-datachannel").
  const std::string& media_line_text() const { return media_text_; }
  void set_media_line(const MediaLine& media_line);
  void set_port(std::uint16_t port);

  const std::string& media() const { return media_.media; }
  std::uint16_t port() const { return media_.port; }
  const std::string& proto() const { return media_.proto; }
  const std::vector<std::string>& formats() const { return media_.formats; }
  // RFC 8843 §6: port 0 without a=bundle-only means the section is rejected (RFC 3264 §6).
  bool rejected() const { return media_.port == 0 && !bundle_only(); }
  // RFC 8841 §4.1: m=application ... UDP/DTLS/SCTP webrtc-datachannel (or TCP/DTLS/SCTP).
  bool is_data_channel() const;

  std::optional<std::string> mid() const;
  bool rtcp_mux() const { return has_attribute("rtcp-mux"); }
  bool rtcp_rsize() const { return has_attribute("rtcp-rsize"); }
  bool bundle_only() const { return has_attribute("bundle-only"); }
  std::vector<Msid> msids() const;
  std::vector<Ssrc> ssrcs() const;
  std::vector<SsrcGroup> ssrc_groups() const;
  std::vector<Rtpmap> rtpmaps() const;
  std::vector<Fmtp> fmtps() const;
  std::vector<RtcpFb> rtcp_fbs() const;
  std::vector<Extmap> extmaps() const;
  std::optional<std::uint16_t> sctp_port() const;
  std::optional<std::uint64_t> max_message_size() const;
  // The a=candidate lines, each as the text after "a=" ("candidate:2949011432 1 udp ..."): the ICE module
  // parses the candidate grammar.
  std::vector<std::string> candidates() const;

  bool operator==(const MediaSection&) const = default;

 private:
  friend Result<SessionDescription> parse(std::string_view text, const Limits& limits);
  MediaLine media_;
  std::string media_text_;
};

// The ICE and DTLS parameters that apply to one m= section, wherever in the description they were written.
struct Transport {
  std::optional<std::string> ice_ufrag;
  std::optional<std::string> ice_pwd;
  std::vector<std::string> ice_options;
  std::vector<Fingerprint> fingerprints;
  std::optional<Setup> setup;
  bool ice_lite = false;  // RFC 8839 §5.3: session level only
  // The index of the BUNDLE-tagged section whose transport this section shares (itself when it is the tag),
  // or nothing when the section is in no BUNDLE group.
  std::optional<std::size_t> bundle_tag;
};

class SessionDescription : public AttributeLines {
 public:
  // An empty description (no lines at all): parse() fills one; otherwise use the constructor below.
  SessionDescription() = default;
  // v=0, o=<origin>, s=<name>, t=<timing>: the lines every description starts with.
  SessionDescription(const Origin& origin, std::string_view session_name = "-", Timing timing = {});

  std::optional<Origin> origin() const;
  std::optional<std::string> session_name() const;
  std::optional<Timing> timing() const;  // the first t= line
  std::vector<Group> groups() const;
  // The a=group:BUNDLE group that holds `mid`, if any.
  std::optional<Group> bundle_group_of(std::string_view mid) const;
  std::optional<MsidSemantic> msid_semantic() const;
  bool ice_lite() const { return has_attribute("ice-lite"); }

  const std::vector<MediaSection>& media() const { return media_; }
  std::vector<MediaSection>& media() { return media_; }
  MediaSection& add_media(const MediaLine& media_line);
  // The index of the section with that a=mid, if any.
  std::optional<std::size_t> find_mid(std::string_view mid) const;

  // The effective transport of media()[index] (see the top of this file). index must be < media().size().
  Transport transport(std::size_t index) const;

  bool operator==(const SessionDescription&) const = default;

 private:
  std::vector<MediaSection> media_;
};

// Parses a whole description. Errors: "line 7: m= line needs at least 4 fields", "line 1: the description
// must start with v=0", "the description is larger than 262144 bytes", ...
Result<SessionDescription> parse(std::string_view text, const Limits& limits = {});

// Every line, each followed by CRLF (RFC 8866 §5).
std::string write(const SessionDescription& description);

}  // namespace peerhub::sdp
