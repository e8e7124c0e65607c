// CRC32c, SCTP's checksum (RFC 9260 §6.8 and Appendix B; the Castagnoli polynomial 0x1EDC6F41, reflected
// 0x82F63B78). Computed with the CPU's crc32 instruction where it has one (SSE4.2), else with a table.
//
// peerhub computes it only for packets it sends: SCTP runs inside DTLS (RFC 8261), whose record MAC or AEAD
// already rejects any changed byte, so a received packet's checksum proves nothing more and usrsctp is told
// not to check it (the CRC, not the protocol, was a fifth of the data channel's CPU time). A peer that checks
// still gets a correct one.
#pragma once

#include <cstdint>
#include <span>

namespace peerhub::sctp {

// The CRC32c of `data` (initial value and final XOR 0xFFFFFFFF, as RFC 9260 Appendix B): "123456789" gives
// 0xE3069283.
std::uint32_t crc32c(std::span<const std::uint8_t> data);

// The same with the byte table only (what runs without SSE4.2), for tests.
std::uint32_t crc32c_portable(std::span<const std::uint8_t> data);

// Writes the CRC32c of an SCTP packet into its checksum field (bytes 8..11, computed with the field zero);
// packets shorter than the 12-byte common header are left alone.
void stamp_checksum(std::span<std::uint8_t> packet);

}  // namespace peerhub::sctp
