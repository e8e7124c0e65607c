#include "sdp/local_transport.hpp"

#include <openssl/rand.h>

#include <array>
#include <stdexcept>

namespace peerhub::sdp::detail {

namespace {

void default_fill(std::span<std::uint8_t> bytes) {
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1)
    throw std::runtime_error("RAND_bytes failed");
}

bool has_line_end(const std::string& s) {
  return s.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos;
}

}  // namespace

std::optional<std::string> check(const LocalTransport& t) {
  if (!parse_ice_ufrag(t.ice_ufrag))
    return "the ICE username fragment must be 4 to 256 letters, digits, '+' or '/'";
  if (!parse_ice_pwd(t.ice_pwd)) return "the ICE password must be 22 to 256 letters, digits, '+' or '/'";
  if (t.fingerprint.digest.empty() || t.fingerprint.digest.size() > kMaxDigestSize) {
    return "the certificate fingerprint must have 1 to 64 bytes";
  }
  if (!parse_fingerprint(to_string(t.fingerprint)))
    return "the fingerprint's hash name must be a token (sha-256)";
  for (const std::string& c : t.candidates) {
    if (c.rfind("candidate:", 0) != 0 || c.size() == 10 || has_line_end(c)) {
      return "a candidate must be one line starting with \"candidate:\"";
    }
  }
  return std::nullopt;
}

SessionDescription new_description(const SessionIdentity& session) {
  std::uint64_t id = 0;
  if (session.id) {
    id = *session.id;
  } else {
    std::array<std::uint8_t, 8> bytes{};
    (session.random_fill ? session.random_fill : RandomFill(default_fill))(bytes);
    for (std::uint8_t b : bytes)
      id = id << 8 | b;
    id &= 0x7FFFFFFFFFFFFFFF;  // RFC 8829 §5.2.1: "the top bit MUST be zero"
  }
  Origin origin;
  origin.session_id = std::to_string(id);
  origin.session_version = session.version;
  return SessionDescription(origin);
}

void add_data_section(SessionDescription& d, const std::string& proto, const LocalTransport& t, Setup setup,
                      const std::string& mid, std::uint16_t sctp_port, std::uint64_t max_message_size) {
  // RFC 8829 §5.2.1: port 9 (discard) and 0.0.0.0 until ICE picks a pair; ICE ignores both (RFC 8839 §4.2).
  MediaSection& m = d.add_media(MediaLine{"application", 9, std::nullopt, proto, {"webrtc-datachannel"}});
  m.add_line('c', to_string(Connection{}));
  for (const std::string& c : t.candidates)
    m.add_line('a', c);
  m.add_attribute("ice-ufrag", t.ice_ufrag);
  m.add_attribute("ice-pwd", t.ice_pwd);
  if (t.trickle) m.add_attribute("ice-options", "trickle");
  m.add_attribute("fingerprint", to_string(t.fingerprint));
  m.add_attribute("setup", to_string(setup));
  m.add_attribute("mid", mid);
  m.add_attribute("sctp-port", std::to_string(sctp_port));
  m.add_attribute("max-message-size", std::to_string(max_message_size));
  if (t.end_of_candidates) m.add_attribute("end-of-candidates");
}

}  // namespace peerhub::sdp::detail
