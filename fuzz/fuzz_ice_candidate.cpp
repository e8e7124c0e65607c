// libFuzzer target for ICE candidate lines (src/ice/candidate.hpp).
//
// Input: one line of text. When it parses, the candidate is written with to_string(); that text must parse
// again to the same candidate and be written the same way (parse(to_string(c)) == c). Inputs are cut at
// 2048 bytes: written text can be a little longer than what was read (an IPv6 address printed in its
// canonical form), and the parser's limit is 4096.
// Seeds (fuzz/corpus/fuzz_ice_candidate/): Chromium, Firefox and libdatachannel lines — host, srflx, relay,
// TCP, IPv6, mDNS names, extensions.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "ice/candidate.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 2048) return 0;
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  const peerhub::ice::CandidateParse first = peerhub::ice::parse_candidate(line);
  if (!first) {
    if (first.error.empty()) std::abort();
    return 0;
  }
  (void)first.candidate->resolvable();
  (void)first.candidate->mdns();
  const std::string text = first.candidate->to_string();
  const peerhub::ice::CandidateParse second = peerhub::ice::parse_candidate(text);
  if (!second || !(*second.candidate == *first.candidate)) std::abort();
  if (second.candidate->to_string() != text) std::abort();
  return 0;
}
