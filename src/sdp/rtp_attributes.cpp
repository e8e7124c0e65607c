// The attributes that describe RTP streams: msid (RFC 8830), ssrc and ssrc-group (RFC 5576), rtpmap and fmtp
// (RFC 8866), rtcp-fb (RFC 4585), extmap (RFC 8285). The data-channel peer only keeps them; the SFU reads
// them.
#include <string>

#include "sdp/attributes.hpp"
#include "sdp/text.hpp"

namespace peerhub::sdp {

namespace {

Error fail(std::string message) {
  return Error{0, std::move(message)};
}

std::optional<std::string> optional_text(std::string_view s) {
  if (s.empty()) return std::nullopt;
  return std::string(s);
}

std::string with_optional(std::string out, const std::optional<std::string>& rest) {
  if (rest) out += ' ' + *rest;
  return out;
}

}  // namespace

Result<MsidSemantic> parse_msid_semantic(std::string_view value) {
  const auto f = text::fields(value);
  if (f.empty()) return fail("a=msid-semantic needs a semantics (WMS)");
  MsidSemantic m;
  m.semantics = f[0];
  for (std::size_t i = 1; i < f.size(); ++i)
    m.ids.emplace_back(f[i]);
  return m;
}

// RFC 8830 §2: msid-value = msid-id [ SP msid-appdata ]
Result<Msid> parse_msid(std::string_view value) {
  const auto [id, rest] = text::first_field(value);
  if (!text::is_token(id)) return fail("a=msid needs an id");
  if (!rest.empty() && !text::is_token(rest)) return fail("a=msid takes at most an id and one appdata");
  return Msid{std::string(id), optional_text(rest)};
}

std::string to_string(const Msid& m) {
  return with_optional(m.id, m.appdata);
}

// RFC 5576 §4.1: ssrc-attr = "ssrc:" ssrc-id SP attribute; attribute = att-field [":" att-value]
// The value may hold spaces: "a=ssrc:1 msid:stream track".
Result<Ssrc> parse_ssrc(std::string_view value) {
  const auto [id, rest] = text::first_field(value);
  const auto number = text::number<std::uint32_t>(id, 0xFFFFFFFF);
  if (!number) return fail("a=ssrc: " + text::quote(id) + " is not a 32-bit SSRC");
  if (rest.empty()) return fail("a=ssrc needs an attribute after the SSRC (cname:...)");
  Ssrc s;
  s.id = *number;
  const AttributeText a = split_attribute(rest);
  if (!text::is_token(a.name))
    return fail("a=ssrc: attribute name " + text::quote(a.name) + " is not a token");
  s.attribute = a.name;
  if (a.value) s.value = std::string(*a.value);
  return s;
}

std::string to_string(const Ssrc& s) {
  std::string out = std::to_string(s.id) + ' ' + s.attribute;
  if (s.value) out += ':' + *s.value;
  return out;
}

// RFC 5576 §4.2: ssrc-group-attr = "ssrc-group:" semantics *(SP ssrc-id)
Result<SsrcGroup> parse_ssrc_group(std::string_view value) {
  const auto f = text::fields(value);
  if (f.empty() || !text::is_token(f[0])) return fail("a=ssrc-group needs a semantics (FID, SIM, ...)");
  SsrcGroup g;
  g.semantics = f[0];
  for (std::size_t i = 1; i < f.size(); ++i) {
    const auto number = text::number<std::uint32_t>(f[i], 0xFFFFFFFF);
    if (!number) return fail("a=ssrc-group: " + text::quote(f[i]) + " is not a 32-bit SSRC");
    g.ssrcs.push_back(*number);
  }
  return g;
}

std::string to_string(const SsrcGroup& g) {
  std::string out = g.semantics;
  for (std::uint32_t s : g.ssrcs)
    out += ' ' + std::to_string(s);
  return out;
}

// RFC 8866 §6.6: a=rtpmap:<payload type> <encoding name>/<clock rate>[/<encoding parameters>]
Result<Rtpmap> parse_rtpmap(std::string_view value) {
  const auto f = text::fields(value, 3);
  if (f.size() != 2) return fail("a=rtpmap needs a payload type and <encoding>/<clock rate>");
  const auto pt = text::number<std::uint8_t>(f[0], 127);
  if (!pt) return fail("a=rtpmap: payload type " + text::quote(f[0]) + " is not 0-127");
  Rtpmap r;
  r.payload_type = *pt;
  std::string_view codec = f[1];
  const std::size_t slash = codec.find('/');
  if (slash == std::string_view::npos || slash == 0) return fail("a=rtpmap needs <encoding>/<clock rate>");
  r.encoding = codec.substr(0, slash);
  std::string_view rate = codec.substr(slash + 1);
  const std::size_t slash2 = rate.find('/');
  if (slash2 != std::string_view::npos) {
    if (slash2 + 1 == rate.size()) return fail("a=rtpmap: empty encoding parameters after the clock rate");
    r.parameters = std::string(rate.substr(slash2 + 1));
    rate = rate.substr(0, slash2);
  }
  const auto clock = text::number<std::uint32_t>(rate, 0xFFFFFFFF);
  if (!clock || *clock == 0) return fail("a=rtpmap: clock rate " + text::quote(rate) + " is not a number");
  r.clock_rate = *clock;
  return r;
}

std::string to_string(const Rtpmap& r) {
  std::string out = std::to_string(r.payload_type) + ' ' + r.encoding + '/' + std::to_string(r.clock_rate);
  if (r.parameters) out += '/' + *r.parameters;
  return out;
}

// RFC 8866 §6.15: a=fmtp:<format> <format specific parameters>
Result<Fmtp> parse_fmtp(std::string_view value) {
  const auto [format, rest] = text::first_field(value);
  if (!text::is_token(format)) return fail("a=fmtp needs a format");
  if (rest.empty()) return fail("a=fmtp needs parameters after the format");
  return Fmtp{std::string(format), std::string(rest)};
}

std::string to_string(const Fmtp& f) {
  return f.format + ' ' + f.parameters;
}

// RFC 4585 §4.2: rtcp-fb-val = rtcp-fb-pt SP rtcp-fb-val; rtcp-fb-pt = "*" / fmt
Result<RtcpFb> parse_rtcp_fb(std::string_view value) {
  const auto [pt, rest] = text::first_field(value);
  if (pt != "*" && !text::number<std::uint8_t>(pt, 127)) {
    return fail("a=rtcp-fb: " + text::quote(pt) + " is not a payload type or '*'");
  }
  const auto [type, parameters] = text::first_field(rest);
  if (!text::is_token(type)) return fail("a=rtcp-fb needs a feedback type (nack, ccm, ...)");
  return RtcpFb{std::string(pt), std::string(type), optional_text(parameters)};
}

std::string to_string(const RtcpFb& fb) {
  return with_optional(fb.payload_type + ' ' + fb.type, fb.parameters);
}

// RFC 8285 §8: extmap = mapentry SP extensionname [SP extensionattributes];
// mapentry = "extmap:" 1*5DIGIT ["/" direction]
Result<Extmap> parse_extmap(std::string_view value) {
  const auto [entry, rest] = text::first_field(value);
  Extmap e;
  std::string_view id = entry;
  const std::size_t slash = entry.find('/');
  if (slash != std::string_view::npos) {
    id = entry.substr(0, slash);
    e.direction = direction_from_name(entry.substr(slash + 1));
    if (!e.direction)
      return fail("a=extmap: " + text::quote(entry.substr(slash + 1)) + " is not a direction");
  }
  // §5: 1-14 (one-byte), 1-255 (two-byte), 4096-4351 (offered for negotiation).
  const auto number = text::number<std::uint16_t>(id, 4351);
  if (!number || *number == 0 || (*number > 255 && *number < 4096)) {
    return fail("a=extmap: id " + text::quote(id) + " is not 1-255 or 4096-4351");
  }
  e.id = *number;
  const auto [uri, attributes] = text::first_field(rest);
  if (!text::is_token(uri)) return fail("a=extmap needs a URI after the id");
  e.uri = uri;
  e.attributes = optional_text(attributes);
  return e;
}

std::string to_string(const Extmap& e) {
  std::string out = std::to_string(e.id);
  if (e.direction) out += '/' + std::string(to_string(*e.direction));
  return with_optional(out + ' ' + e.uri, e.attributes);
}

}  // namespace peerhub::sdp
