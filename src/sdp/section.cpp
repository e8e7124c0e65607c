// Typed reading of the attribute lines of one level, and of one m= section.
#include <algorithm>
#include <stdexcept>

#include "sdp/description.hpp"
#include "sdp/text.hpp"

namespace peerhub::sdp {

namespace {

// Each value of a=<name> that `parser` accepts.
template <class T, class Parser>
std::vector<T> all_of(const AttributeLines& lines, std::string_view name, Parser parser) {
  std::vector<T> out;
  for (const std::string& value : lines.attributes(name)) {
    Result<T> parsed = parser(value);
    if (parsed) out.push_back(std::move(parsed).value());
  }
  return out;
}

// The first value of a=<name> that `parser` accepts.
template <class T, class Parser>
std::optional<T> first_of(const AttributeLines& lines, std::string_view name, Parser parser) {
  for (const std::string& value : lines.attributes(name)) {
    Result<T> parsed = parser(value);
    if (parsed) return std::move(parsed).value();
  }
  return std::nullopt;
}

}  // namespace

void AttributeLines::add_line(char type, std::string_view value) {
  insert_line(lines_.size(), type, value);
}

void AttributeLines::insert_line(std::size_t position, char type, std::string_view value) {
  if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos) {
    throw std::invalid_argument("an SDP line value must not hold CR, LF or NUL");
  }
  const auto at = lines_.begin() + static_cast<std::ptrdiff_t>(std::min(position, lines_.size()));
  lines_.insert(at, Line{type, std::string(value)});
}

void AttributeLines::add_attribute(std::string_view name, std::string_view value) {
  std::string line(name);
  line += ':';
  line += value;
  add_line('a', line);
}

std::size_t AttributeLines::remove_attributes(std::string_view name) {
  return std::erase_if(lines_,
                       [&](const Line& l) { return l.type == 'a' && split_attribute(l.value).name == name; });
}

bool AttributeLines::has_attribute(std::string_view name) const {
  for (const Line& l : lines_)
    if (l.type == 'a' && split_attribute(l.value).name == name) return true;
  return false;
}

std::optional<std::string> AttributeLines::attribute(std::string_view name) const {
  for (const Line& l : lines_) {
    if (l.type != 'a') continue;
    const AttributeText a = split_attribute(l.value);
    if (a.name == name) return std::string(a.value.value_or(""));
  }
  return std::nullopt;
}

std::vector<std::string> AttributeLines::attributes(std::string_view name) const {
  std::vector<std::string> out;
  for (const Line& l : lines_) {
    if (l.type != 'a') continue;
    const AttributeText a = split_attribute(l.value);
    if (a.name == name) out.emplace_back(a.value.value_or(""));
  }
  return out;
}

std::optional<std::string> AttributeLines::ice_ufrag() const {
  return first_of<std::string>(*this, "ice-ufrag", parse_ice_ufrag);
}

std::optional<std::string> AttributeLines::ice_pwd() const {
  return first_of<std::string>(*this, "ice-pwd", parse_ice_pwd);
}

std::vector<std::string> AttributeLines::ice_options() const {
  std::vector<std::string> out;
  for (std::vector<std::string>& options :
       all_of<std::vector<std::string>>(*this, "ice-options", parse_ice_options))
    out.insert(out.end(), options.begin(), options.end());
  return out;
}

std::vector<Fingerprint> AttributeLines::fingerprints() const {
  return all_of<Fingerprint>(*this, "fingerprint", parse_fingerprint);
}

std::optional<Setup> AttributeLines::setup() const {
  return first_of<Setup>(*this, "setup", parse_setup);
}

std::optional<Connection> AttributeLines::connection() const {
  for (const Line& l : lines_) {
    if (l.type != 'c') continue;
    Result<Connection> c = parse_connection(l.value);
    if (c) return std::move(c).value();
  }
  return std::nullopt;
}

std::optional<Direction> AttributeLines::direction() const {
  for (const Line& l : lines_) {
    if (l.type != 'a') continue;
    if (const auto d = direction_from_name(l.value)) return d;
  }
  return std::nullopt;
}

MediaSection::MediaSection(const MediaLine& media_line) {
  set_media_line(media_line);
}

void MediaSection::set_media_line(const MediaLine& media_line) {
  std::string text = to_string(media_line);
  if (text.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
    throw std::invalid_argument("an SDP line value must not hold CR, LF or NUL");
  }
  media_ = media_line;
  media_text_ = std::move(text);
}

void MediaSection::set_port(std::uint16_t port) {
  MediaLine m = media_;
  m.port = port;
  set_media_line(m);
}

bool MediaSection::is_data_channel() const {
  return media_.media == "application" &&
         (media_.proto == "UDP/DTLS/SCTP" || media_.proto == "TCP/DTLS/SCTP") && media_.formats.size() == 1 &&
         media_.formats[0] == "webrtc-datachannel";
}

std::optional<std::string> MediaSection::mid() const {
  return first_of<std::string>(*this, "mid", parse_mid);
}

std::vector<Msid> MediaSection::msids() const {
  return all_of<Msid>(*this, "msid", parse_msid);
}

std::vector<Ssrc> MediaSection::ssrcs() const {
  return all_of<Ssrc>(*this, "ssrc", parse_ssrc);
}

std::vector<SsrcGroup> MediaSection::ssrc_groups() const {
  return all_of<SsrcGroup>(*this, "ssrc-group", parse_ssrc_group);
}

std::vector<Rtpmap> MediaSection::rtpmaps() const {
  return all_of<Rtpmap>(*this, "rtpmap", parse_rtpmap);
}

std::vector<Fmtp> MediaSection::fmtps() const {
  return all_of<Fmtp>(*this, "fmtp", parse_fmtp);
}

std::vector<RtcpFb> MediaSection::rtcp_fbs() const {
  return all_of<RtcpFb>(*this, "rtcp-fb", parse_rtcp_fb);
}

std::vector<Extmap> MediaSection::extmaps() const {
  return all_of<Extmap>(*this, "extmap", parse_extmap);
}

std::optional<std::uint16_t> MediaSection::sctp_port() const {
  return first_of<std::uint16_t>(*this, "sctp-port", parse_sctp_port);
}

std::optional<std::uint64_t> MediaSection::max_message_size() const {
  return first_of<std::uint64_t>(*this, "max-message-size", parse_max_message_size);
}

std::vector<std::string> MediaSection::candidates() const {
  std::vector<std::string> out;
  for (const Line& l : lines_)
    if (l.type == 'a' && split_attribute(l.value).name == "candidate") out.push_back(l.value);
  return out;
}

}  // namespace peerhub::sdp
