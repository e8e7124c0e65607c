// The RFC 7983 classifier on arbitrary bytes: it must look at nothing but what it was given.
#include <cstddef>
#include <cstdint>
#include <span>

#include "peer/demux.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> packet(data, size);
  const auto kind = peerhub::peer::classify(packet);
  if (kind == peerhub::peer::PacketKind::rtp) (void)peerhub::peer::is_rtcp(packet);
  return 0;
}
