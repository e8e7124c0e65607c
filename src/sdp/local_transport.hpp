// What make_offer and make_answer share: the o= line and the transport lines of the accepted section.
// Internal to the sdp module.
#pragma once

#include <optional>
#include <string>

#include "sdp/jsep.hpp"

namespace peerhub::sdp::detail {

// The problem with a LocalTransport, in words, or nothing when a parser would take every line it gives.
std::optional<std::string> check(const LocalTransport& transport);

// v=0, o=- <id> <version> IN IP4 127.0.0.1, s=-, t=0 0 (RFC 8829 §5.2.1).
SessionDescription new_description(const SessionIdentity& session);

// The data channel section's lines, in Chromium's order: c=, candidates, ICE, DTLS, mid, SCTP.
void add_data_section(SessionDescription& description, const std::string& proto,
                      const LocalTransport& transport, Setup setup, const std::string& mid,
                      std::uint16_t sctp_port, std::uint64_t max_message_size);

}  // namespace peerhub::sdp::detail
