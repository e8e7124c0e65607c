// An ICE candidate (RFC 8445 §5.1) and its SDP text form (RFC 8839 §5.1), as browsers write it:
//
//   candidate:842163049 1 udp 1677729535 198.51.100.7 53421 typ srflx raddr 10.0.0.2 rport 53421
//             generation 0 ufrag Zb1x network-id 1 network-cost 10
//
// parse() takes the line with or without "a=" (libdatachannel writes it, Chromium and Firefox do not) and
// without the line end; to_string() writes Chromium's spelling ("udp" in lower case, raddr/rport, tcptype,
// generation, ufrag, then every other extension in the order it came). parse(to_string(c)) == c.
//
// A connection address that is a name (Chromium and Safari hide host addresses behind mDNS "<uuid>.local"
// names) is kept in `hostname` and the candidate is not resolvable(): peerhub never resolves names, so the
// agent ignores it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "stun/address.hpp"

namespace peerhub::ice {

enum class Transport : std::uint8_t { udp, tcp };
enum class CandidateType : std::uint8_t { host, srflx, prflx, relay };
enum class TcpType : std::uint8_t { none, active, passive, so };  // RFC 6544 §4.5

std::string_view to_string(CandidateType type);   // "host", "srflx", "prflx", "relay"
std::string_view to_string(Transport transport);  // "udp", "tcp"

struct Candidate {
  std::string foundation;       // 1..32 ice-chars
  std::uint16_t component = 1;  // 1..256; peerhub uses 1 (BUNDLE and rtcp-mux)
  Transport transport = Transport::udp;
  std::uint32_t priority = 0;
  stun::Address address;  // unspecified (0.0.0.0, port kept) when `hostname` is set
  std::string hostname;   // the connection address when it is a name, e.g. "4f1c….local"
  CandidateType type = CandidateType::host;
  std::optional<stun::Address> related;  // raddr/rport
  std::string related_hostname;          // raddr when it is a name (rport in related->port)
  TcpType tcptype = TcpType::none;
  std::optional<std::uint32_t> generation;
  std::string ufrag;
  std::vector<std::pair<std::string, std::string>> extensions;  // any other "name value", in order

  // False when the address is a name (mDNS): the agent does not pair such candidates.
  bool resolvable() const { return hostname.empty(); }
  bool mdns() const { return hostname.size() > 6 && hostname.ends_with(".local"); }

  // "candidate:…" without "a=" and without a line end.
  std::string to_string() const;

  bool operator==(const Candidate&) const = default;
};

// A candidate or the reason the text is not one ("priority: '12x' is not a number").
struct CandidateParse {
  std::optional<Candidate> candidate;
  std::string error;
  explicit operator bool() const { return candidate.has_value(); }
};
CandidateParse parse_candidate(std::string_view line);

// RFC 8445 §5.1.2.1: priority = 2^24 * type preference + 2^8 * local preference + (256 - component).
// Recommended type preferences: host 126, prflx 110, srflx 100, relay 0.
std::uint32_t type_preference(CandidateType type);
std::uint32_t candidate_priority(CandidateType type, std::uint16_t local_preference,
                                 std::uint16_t component = 1);

// RFC 8445 §5.1.1.3: candidates share a foundation when they have the same type, base IP address, STUN or
// TURN server IP address and transport. The foundation is a decimal hash of those four (as Chromium's are),
// so equal inputs give equal foundations in every agent and run.
std::string compute_foundation(CandidateType type, const stun::Address& base,
                               const std::optional<stun::Address>& server, Transport transport);

// RFC 8445 §6.1.2.3: pair priority = 2^32 * MIN(G,D) + 2 * MAX(G,D) + (G > D ? 1 : 0), where G is the
// controlling agent's candidate priority and D the controlled agent's.
std::uint64_t pair_priority(std::uint32_t controlling, std::uint32_t controlled);

}  // namespace peerhub::ice
