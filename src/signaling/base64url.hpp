// base64url without padding (RFC 4648 §5), as JWT uses it (RFC 7515 §2).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace peerhub::signaling {

void append_base64url(std::string& out, std::string_view bytes);

// Strict decode: only the URL-safe alphabet, no padding, no whitespace, and the unused low bits of the last
// character must be zero (one canonical text per byte string). nullopt on anything else.
std::optional<std::string> decode_base64url(std::string_view text);

}  // namespace peerhub::signaling
