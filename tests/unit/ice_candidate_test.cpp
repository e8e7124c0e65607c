// Candidate lines as Chromium, Firefox and libdatachannel write them: parsed, written back, and refused with
// words that say why; priorities and foundations by RFC 8445's formulas.
#include <gtest/gtest.h>

#include "ice/candidate.hpp"

namespace peerhub::ice {
namespace {

Candidate parse_ok(std::string_view line) {
  const CandidateParse p = parse_candidate(line);
  EXPECT_TRUE(p) << line << ": " << p.error;
  return p.candidate.value_or(Candidate{});
}

std::string parse_error(std::string_view line) {
  const CandidateParse p = parse_candidate(line);
  EXPECT_FALSE(p) << line;
  return p.error;
}

TEST(IceCandidate, ChromiumServerReflexive) {
  const std::string line =
      "candidate:842163049 1 udp 1677729535 127.0.0.1 53421 typ srflx raddr 0.0.0.0 rport 0 generation 0 "
      "ufrag "
      "Zb1x network-cost 999";
  const Candidate c = parse_ok(line);
  EXPECT_EQ(c.foundation, "842163049");
  EXPECT_EQ(c.component, 1);
  EXPECT_EQ(c.transport, Transport::udp);
  EXPECT_EQ(c.priority, 1677729535U);
  EXPECT_EQ(c.address, stun::Address::v4({127, 0, 0, 1}, 53421));
  EXPECT_EQ(c.type, CandidateType::srflx);
  ASSERT_TRUE(c.related.has_value());
  EXPECT_EQ(*c.related, stun::Address::v4({0, 0, 0, 0}, 0));
  EXPECT_EQ(c.generation, 0U);
  EXPECT_EQ(c.ufrag, "Zb1x");
  ASSERT_EQ(c.extensions.size(), 1U);
  EXPECT_EQ(c.extensions[0], (std::pair<std::string, std::string>{"network-cost", "999"}));
  EXPECT_TRUE(c.resolvable());
  EXPECT_EQ(c.to_string(), line);
}

TEST(IceCandidate, ChromiumLinesRoundTripExactly) {
  for (const std::string line : {
           "candidate:3460887983 1 udp 2113937151 192.168.1.7 56143 typ host generation 0 ufrag EsAw "
           "network-cost 999",
           "candidate:2999745851 1 tcp 1518214911 192.168.1.7 9 typ host tcptype active generation 0 ufrag "
           "EsAw "
           "network-id 1",
           "candidate:1853887674 1 udp 33562367 203.0.113.5 58364 typ relay raddr 198.51.100.2 rport 61232 "
           "generation 0 ufrag EsAw network-cost 999",
           "candidate:2574914148 1 udp 2122262783 2001:db8::1 50723 typ host generation 0 ufrag EsAw "
           "network-id 2 "
           "network-cost 10",
           "candidate:1 2 udp 2113937150 10.0.0.2 40000 typ host generation 0",
       }) {
    EXPECT_EQ(parse_ok(line).to_string(), line);
  }
}

TEST(IceCandidate, ChromiumMdnsHostIsKeptButUnresolvable) {
  const std::string line =
      "candidate:1216460716 1 udp 2113937151 4f3e8c6e-2c8d-4b91-9d5f-6f0c3f1f6d2a.local 54302 typ host "
      "generation 0 ufrag Zb1x network-cost 999";
  const Candidate c = parse_ok(line);
  EXPECT_EQ(c.hostname, "4f3e8c6e-2c8d-4b91-9d5f-6f0c3f1f6d2a.local");
  EXPECT_EQ(c.address.port, 54302);
  EXPECT_FALSE(c.resolvable());
  EXPECT_TRUE(c.mdns());
  EXPECT_EQ(c.to_string(), line);
}

TEST(IceCandidate, FirefoxLines) {
  const Candidate host = parse_ok("candidate:0 1 UDP 2122252543 192.168.1.7 55203 typ host");
  EXPECT_EQ(host.transport, Transport::udp);
  EXPECT_EQ(host.type, CandidateType::host);
  EXPECT_FALSE(host.generation.has_value());
  EXPECT_EQ(host.to_string(), "candidate:0 1 udp 2122252543 192.168.1.7 55203 typ host");

  const Candidate tcp = parse_ok("candidate:1 1 TCP 2105524479 192.168.1.7 9 typ host tcptype active");
  EXPECT_EQ(tcp.transport, Transport::tcp);
  EXPECT_EQ(tcp.tcptype, TcpType::active);

  const Candidate srflx =
      parse_ok("candidate:2 1 UDP 1686052863 198.51.100.2 55203 typ srflx raddr 192.168.1.7 rport 55203");
  EXPECT_EQ(srflx.related, stun::Address::v4({192, 168, 1, 7}, 55203));

  const Candidate relay =
      parse_ok("candidate:3 1 UDP 92217343 203.0.113.5 51874 typ relay raddr 203.0.113.5 rport 51874");
  EXPECT_EQ(relay.type, CandidateType::relay);

  const Candidate mdns =
      parse_ok("candidate:0 1 UDP 2122252543 e2c2d5a4-6a7f-4a4b-8d5e-1f3b8c9e0a1b.local 57332 typ host");
  EXPECT_FALSE(mdns.resolvable());

  // Written in lower case, the rest unchanged; reading it back gives the same candidate.
  for (const Candidate& c : {host, tcp, srflx, relay, mdns})
    EXPECT_EQ(parse_ok(c.to_string()), c);
}

TEST(IceCandidate, LibdatachannelLinesWithAttributePrefix) {
  const Candidate c = parse_ok("a=candidate:1 1 UDP 2122317823 192.168.1.10 51000 typ host\r\n");
  EXPECT_EQ(c.address, stun::Address::v4({192, 168, 1, 10}, 51000));
  EXPECT_EQ(c.to_string(), "candidate:1 1 udp 2122317823 192.168.1.10 51000 typ host");
  const Candidate s =
      parse_ok("a=candidate:2 1 UDP 1686109951 198.51.100.2 51000 typ srflx raddr 0.0.0.0 rport 0");
  EXPECT_EQ(s.type, CandidateType::srflx);
}

TEST(IceCandidate, ExtensionsKeepTheirOrder) {
  const Candidate c =
      parse_ok("candidate:5 1 udp 100 10.0.0.1 1 typ host zeta 1 alpha 2 network-id 3 generation 4 ufrag u");
  ASSERT_EQ(c.extensions.size(), 3U);
  EXPECT_EQ(c.extensions[0].first, "zeta");
  EXPECT_EQ(c.extensions[1].first, "alpha");
  EXPECT_EQ(c.extensions[2].first, "network-id");
  EXPECT_EQ(parse_ok(c.to_string()), c);
}

TEST(IceCandidate, ErrorsSayWhatIsWrong) {
  EXPECT_NE(parse_error("").find("does not start with 'candidate:'"), std::string::npos);
  EXPECT_NE(parse_error("candidate:1 1 udp 100 10.0.0.1 5000").find("fields"), std::string::npos);
  EXPECT_NE(parse_error("candidate:1 1 sctp 100 10.0.0.1 5000 typ host").find("transport 'sctp'"),
            std::string::npos);
  EXPECT_NE(parse_error("candidate:1 1 udp 12x 10.0.0.1 5000 typ host").find("priority '12x'"),
            std::string::npos);
  EXPECT_NE(parse_error("candidate:1 1 udp 4294967296 10.0.0.1 5000 typ host").find("priority"),
            std::string::npos);
  EXPECT_NE(parse_error("candidate:1 1 udp 100 10.0.0.1 70000 typ host").find("port '70000'"),
            std::string::npos);
  EXPECT_NE(parse_error("candidate:1 0 udp 100 10.0.0.1 5000 typ host").find("component '0'"),
            std::string::npos);
  EXPECT_NE(parse_error("candidate:1 1 udp 100 10.0.0.1 5000 type host").find("'typ'"), std::string::npos);
  EXPECT_NE(parse_error("candidate:1 1 udp 100 10.0.0.1 5000 typ bogus").find("type 'bogus'"),
            std::string::npos);
  EXPECT_NE(parse_error("candidate:1 1 udp 100 10.0.0.1 5000 typ host generation").find("no value"),
            std::string::npos);
  EXPECT_NE(
      parse_error("candidate:1 1 udp 100 10.0.0.1 5000 typ srflx raddr 10.0.0.2").find("raddr and rport"),
      std::string::npos);
  EXPECT_NE(parse_error("candidate:1 1 udp 100 10.0.0.1 5000 typ host tcptype sideways").find("tcptype"),
            std::string::npos);
  EXPECT_NE(parse_error("candidate:" + std::string(33, 'a') + " 1 udp 100 10.0.0.1 5000 typ host")
                .find("foundation"),
            std::string::npos);
  EXPECT_NE(parse_error("candidate:1 1 udp 100 10.0.0.1:x 5000 typ host").find("address"), std::string::npos);
  EXPECT_NE(parse_error("candidate:1 1 udp 100 10.0.0.1 5000 typ host generation -1").find("generation"),
            std::string::npos);
  // RFC 8839 byte-strings hold no line break: a value ending in CR would not survive being written again
  // (found by fuzz_ice_candidate).
  EXPECT_NE(parse_error("candidate:1 1 udp 100 10.0.0.1 5000 typ host x 0\r\r ufrag u").find("line break"),
            std::string::npos);
  std::string with_nul = "candidate:1 1 udp 100 10.0.0.1 5000 typ host x a";
  with_nul += '\0';
  EXPECT_NE(parse_error(with_nul + "b").find("NUL"), std::string::npos);
  // Control bytes in the input are not echoed into the message.
  EXPECT_EQ(parse_error("candidate:1 1 u\x01p 100 10.0.0.1 5000 typ host").find('\x01'), std::string::npos);
}

TEST(IceCandidate, PriorityFormula) {
  // RFC 8445 §5.1.2.1 with the recommended type preferences.
  EXPECT_EQ(candidate_priority(CandidateType::host, 65535), 2130706431U);
  EXPECT_EQ(candidate_priority(CandidateType::relay, 65535), 16777215U);
  EXPECT_EQ(candidate_priority(CandidateType::prflx, 0, 1), (110U << 24) + 255U);
  // The numbers browsers put in their lines follow the same formula.
  EXPECT_EQ(candidate_priority(CandidateType::host, 30), 2113937151U);      // Chromium
  EXPECT_EQ(candidate_priority(CandidateType::srflx, 32543), 1686052863U);  // Firefox
  EXPECT_EQ(candidate_priority(CandidateType::host, 30, 2), 2113937150U);   // an RTCP component
  EXPECT_GT(candidate_priority(CandidateType::host, 0), candidate_priority(CandidateType::prflx, 65535));
  EXPECT_GT(candidate_priority(CandidateType::prflx, 0), candidate_priority(CandidateType::srflx, 65535));
}

TEST(IceCandidate, PairPriorityFormula) {
  // RFC 8445 §6.1.2.3: 2^32*MIN(G,D) + 2*MAX(G,D) + (G>D?1:0).
  EXPECT_EQ(pair_priority(10, 20), (10ULL << 32) + 40);
  EXPECT_EQ(pair_priority(20, 10), (10ULL << 32) + 41);
  EXPECT_EQ(pair_priority(7, 7), (7ULL << 32) + 14);
  const std::uint32_t big = 0xFFFFFFFF;
  EXPECT_EQ(pair_priority(big, big), (std::uint64_t{big} << 32) + 2ULL * big);
}

TEST(IceCandidate, FoundationsFollowTheirInputs) {
  const auto base = stun::Address::v4({10, 0, 0, 1}, 5000);
  const auto other_port = stun::Address::v4({10, 0, 0, 1}, 6000);
  const auto other_ip = stun::Address::v4({10, 0, 0, 2}, 5000);
  const auto server = stun::Address::v4({198, 51, 100, 1}, 3478);
  const auto f = compute_foundation(CandidateType::host, base, std::nullopt, Transport::udp);
  // §5.1.1.3: the port takes no part; type, base IP, server and transport do.
  EXPECT_EQ(f, compute_foundation(CandidateType::host, other_port, std::nullopt, Transport::udp));
  EXPECT_NE(f, compute_foundation(CandidateType::host, other_ip, std::nullopt, Transport::udp));
  EXPECT_NE(f, compute_foundation(CandidateType::host, base, std::nullopt, Transport::tcp));
  EXPECT_NE(f, compute_foundation(CandidateType::srflx, base, server, Transport::udp));
  EXPECT_NE(compute_foundation(CandidateType::srflx, base, server, Transport::udp),
            compute_foundation(CandidateType::srflx, base, stun::Address::v4({198, 51, 100, 2}, 3478),
                               Transport::udp));
  // A valid foundation: 1..32 ice-chars.
  EXPECT_TRUE(parse_candidate("candidate:" + f + " 1 udp 1 10.0.0.1 1 typ host"));
}

}  // namespace
}  // namespace peerhub::ice
