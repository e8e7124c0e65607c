// RFC 4648 §4 base64 (with padding), for the handshake's Sec-WebSocket-Accept. Internal to the ws module.
#pragma once

#include <span>
#include <string>

namespace peerhub::ws::detail {

std::string base64_encode(std::span<const unsigned char> data);

}  // namespace peerhub::ws::detail
