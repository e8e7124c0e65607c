// The attributes that set up the transport: ICE (RFC 8839), DTLS (RFC 8122, RFC 8842), BUNDLE (RFC 8843),
// SCTP (RFC 8841).
#include <algorithm>
#include <array>
#include <string>

#include "sdp/attributes.hpp"
#include "sdp/text.hpp"

namespace peerhub::sdp {

namespace {

Error fail(std::string message) {
  return Error{0, std::move(message)};
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_ice_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
}

}  // namespace

AttributeText split_attribute(std::string_view line_value) {
  const std::size_t colon = line_value.find(':');
  if (colon == std::string_view::npos) return {line_value, std::nullopt};
  return {line_value.substr(0, colon), line_value.substr(colon + 1)};
}

// RFC 8122 §5: fingerprint-attribute = "fingerprint" ":" hash-func SP fingerprint;
// fingerprint = 2UHEX *(":" 2UHEX). Lower-case hex is accepted too (UHEX is upper case, but RFC 4572 allowed
// either and some stacks still write it).
Result<Fingerprint> parse_fingerprint(std::string_view value) {
  const auto f = text::fields(value, 3);
  if (f.size() != 2) return fail("a=fingerprint needs a hash function and a fingerprint");
  if (!text::is_token(f[0]))
    return fail("a=fingerprint: hash function " + text::quote(f[0]) + " is not a token");
  Fingerprint fp;
  fp.algorithm = f[0];
  std::string_view hex = f[1];
  for (std::size_t i = 0;; i += 3) {
    if (i + 2 > hex.size()) return fail("a=fingerprint: the fingerprint ends in the middle of a hex pair");
    const int high = hex_value(hex[i]);
    const int low = hex_value(hex[i + 1]);
    if (high < 0 || low < 0) {
      return fail("a=fingerprint: " + text::quote(hex.substr(i, 2)) + " is not a pair of hex digits");
    }
    if (fp.digest.size() == kMaxDigestSize) return fail("a=fingerprint: longer than 64 bytes");
    fp.digest.push_back(static_cast<std::uint8_t>(high * 16 + low));
    if (i + 2 == hex.size()) break;
    if (hex[i + 2] != ':') return fail("a=fingerprint: hex pairs must be separated by ':'");
  }
  return fp;
}

std::string to_string(const Fingerprint& fp) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = fp.algorithm + ' ';
  for (std::size_t i = 0; i < fp.digest.size(); ++i) {
    if (i != 0) out += ':';
    out += kHex[fp.digest[i] >> 4];
    out += kHex[fp.digest[i] & 0xF];
  }
  return out;
}

// RFC 4145 §4: setup-attr = "a=setup:" role; role = "active" / "passive" / "actpass" / "holdconn"
Result<Setup> parse_setup(std::string_view value) {
  if (value == "actpass") return Setup::actpass;
  if (value == "active") return Setup::active;
  if (value == "passive") return Setup::passive;
  if (value == "holdconn") return Setup::holdconn;
  return fail("a=setup: " + text::quote(value) + " is not actpass, active, passive or holdconn");
}

std::string_view to_string(Setup setup) {
  switch (setup) {
    case Setup::actpass:
      return "actpass";
    case Setup::active:
      return "active";
    case Setup::passive:
      return "passive";
    case Setup::holdconn:
      return "holdconn";
  }
  return "actpass";
}

std::optional<Direction> direction_from_name(std::string_view name) {
  if (name == "sendrecv") return Direction::sendrecv;
  if (name == "sendonly") return Direction::sendonly;
  if (name == "recvonly") return Direction::recvonly;
  if (name == "inactive") return Direction::inactive;
  return std::nullopt;
}

std::string_view to_string(Direction direction) {
  switch (direction) {
    case Direction::sendrecv:
      return "sendrecv";
    case Direction::sendonly:
      return "sendonly";
    case Direction::recvonly:
      return "recvonly";
    case Direction::inactive:
      return "inactive";
  }
  return "sendrecv";
}

// RFC 5888 §5: group-attribute = "a=group:" semantics *(SP identification-tag). "a=group:BUNDLE" with no
// tag is what a browser writes once every section of the group is rejected.
Result<Group> parse_group(std::string_view value) {
  const auto f = text::fields(value);
  if (f.empty()) return fail("a=group needs a semantics (BUNDLE, LS, ...)");
  Group g;
  g.semantics = f[0];
  for (std::size_t i = 1; i < f.size(); ++i)
    g.mids.emplace_back(f[i]);
  return g;
}

std::string to_string(const Group& g) {
  std::string out = g.semantics;
  for (const std::string& mid : g.mids)
    out += ' ' + mid;
  return out;
}

// RFC 8839 §5.4: ice-ufrag = 4*256ice-char; ice-pwd = 22*256ice-char. (Chromium refuses the same lengths.)
// The password is never quoted in an error: it is a secret.
Result<std::string> parse_ice_ufrag(std::string_view value) {
  if (value.size() < 4 || value.size() > 256) return fail("a=ice-ufrag must be 4 to 256 characters");
  for (char c : value)
    if (!is_ice_char(c)) return fail("a=ice-ufrag may hold only letters, digits, '+' and '/'");
  return std::string(value);
}

Result<std::string> parse_ice_pwd(std::string_view value) {
  if (value.size() < 22 || value.size() > 256) return fail("a=ice-pwd must be 22 to 256 characters");
  for (char c : value)
    if (!is_ice_char(c)) return fail("a=ice-pwd may hold only letters, digits, '+' and '/'");
  return std::string(value);
}

// RFC 8839 §5.6: ice-options = "ice-options:" ice-option-tag *(SP ice-option-tag). libdatachannel writes
// "a=ice-options:ice2,trickle": commas separate options as well.
Result<std::vector<std::string>> parse_ice_options(std::string_view value) {
  std::vector<std::string> out;
  for (std::string_view field : text::fields(value)) {
    while (!field.empty()) {
      const std::size_t comma = std::min(field.find(','), field.size());
      const std::string_view option = field.substr(0, comma);
      if (!option.empty()) {
        if (!text::is_token(option)) return fail("a=ice-options: " + text::quote(option) + " is not a token");
        out.emplace_back(option);
      }
      field.remove_prefix(std::min(comma + 1, field.size()));
    }
  }
  if (out.empty()) return fail("a=ice-options needs at least one option");
  return out;
}

// RFC 5888 §4: identification-tag = token. RFC 8843 §9.1 (RTP MID header extension) bounds it to 16 bytes
// for RTP; any token is kept here, up to 256 characters.
Result<std::string> parse_mid(std::string_view value) {
  if (!text::is_token(value)) return fail("a=mid needs a token (no spaces)");
  if (value.size() > 256) return fail("a=mid is longer than 256 characters");
  return std::string(value);
}

// RFC 8841 §5.2: sctp-port-attr = "a=sctp-port:" portnumber
Result<std::uint16_t> parse_sctp_port(std::string_view value) {
  const auto port = text::number<std::uint16_t>(value, 65535);
  if (!port) return fail("a=sctp-port: " + text::quote(value) + " is not a port number");
  return *port;
}

// RFC 8841 §6.2: max-message-size-attr = "a=max-message-size:" 1*DIGIT (0: the receiver takes any size)
Result<std::uint64_t> parse_max_message_size(std::string_view value) {
  const auto size = text::number<std::uint64_t>(value, UINT64_MAX);
  if (!size) return fail("a=max-message-size: " + text::quote(value) + " is not a number");
  return *size;
}

}  // namespace peerhub::sdp
