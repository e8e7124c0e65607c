// RFC 4648 §4 base64 with padding: the REST password (coturn's use-auth-secret encodes its HMAC-SHA1 this
// way) and the MAC inside a nonce. Internal to the turn module.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace peerhub::turn {

constexpr std::size_t base64_size(std::size_t bytes) {
  return (bytes + 2) / 3 * 4;
}

// Writes base64_size(in.size()) characters to `out`, which must have room for them.
void encode_base64(std::span<const std::uint8_t> in, char* out);
std::string base64(std::span<const std::uint8_t> in);

// Decodes exactly out.size() bytes from `text` (which must be base64_size(out.size()) characters, padding
// included): false for anything else.
bool decode_base64(std::string_view text, std::span<std::uint8_t> out);

}  // namespace peerhub::turn
