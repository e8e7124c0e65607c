// The write side of RFC 6455 §5: frames and close payloads.
#include <cstring>

#include "ws/frame.hpp"
#include "ws/mask.hpp"

namespace peerhub::ws {

void append_frame(std::string& out, Opcode op, std::string_view payload, std::uint32_t mask_key, bool fin) {
  unsigned char header[14];
  std::size_t n = 0;
  header[n++] = static_cast<unsigned char>((fin ? 0x80U : 0U) | static_cast<unsigned>(op));
  const unsigned mask_bit = mask_key != 0 ? 0x80U : 0U;
  const std::uint64_t len = payload.size();
  // §5.2: the minimal encoding: 7 bits up to 125, then 16 bits, then 64 bits.
  if (len <= 125) {
    header[n++] = static_cast<unsigned char>(mask_bit | len);
  } else if (len <= 0xffff) {
    header[n++] = static_cast<unsigned char>(mask_bit | 126U);
    header[n++] = static_cast<unsigned char>(len >> 8);
    header[n++] = static_cast<unsigned char>(len);
  } else {
    header[n++] = static_cast<unsigned char>(mask_bit | 127U);
    for (int shift = 56; shift >= 0; shift -= 8)
      header[n++] = static_cast<unsigned char>(len >> shift);
  }
  // The key goes on the wire in network byte order, so 0x37fa213d is sent as 37 fa 21 3d (§5.7's example).
  const std::uint8_t key[4] = {static_cast<std::uint8_t>(mask_key >> 24),
                               static_cast<std::uint8_t>(mask_key >> 16),
                               static_cast<std::uint8_t>(mask_key >> 8), static_cast<std::uint8_t>(mask_key)};
  if (mask_key != 0) {
    std::memcpy(header + n, key, 4);
    n += 4;
  }
  out.append(reinterpret_cast<const char*>(header), n);
  const std::size_t start = out.size();
  out.append(payload);
  if (mask_key != 0) detail::apply_mask(out.data() + start, payload.size(), key, 0);
}

std::string close_payload(std::uint16_t code, std::string_view reason) {
  // §5.5: a control frame carries at most 125 bytes, 2 of which are the code. Cut the reason on a code point
  // boundary so that a valid UTF-8 reason stays valid.
  constexpr std::size_t kMaxReason = 123;
  if (reason.size() > kMaxReason) {
    std::size_t cut = kMaxReason;
    while (cut > 0 && (static_cast<unsigned char>(reason[cut]) & 0xc0U) == 0x80U)
      --cut;
    reason = reason.substr(0, cut);
  }
  std::string out;
  out.reserve(2 + reason.size());
  out.push_back(static_cast<char>(code >> 8));
  out.push_back(static_cast<char>(code & 0xff));
  out.append(reason);
  return out;
}

}  // namespace peerhub::ws
