// The server's half of the opening handshake (RFC 6455 §4.2.2): Sec-WebSocket-Accept.
#include <openssl/evp.h>

#include "ws/base64.hpp"
#include "ws/frame.hpp"

namespace peerhub::ws {

std::string accept_key(std::string_view client_key) {
  // §4.2.2 step 5.4: the key (as sent, not decoded) followed by this GUID, hashed with SHA-1.
  static constexpr std::string_view kGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  std::string input;
  input.reserve(client_key.size() + kGuid.size());
  input.append(client_key);
  input.append(kGuid);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;
  if (EVP_Digest(input.data(), input.size(), digest, &digest_len, EVP_sha1(), nullptr) != 1) return {};
  return detail::base64_encode(std::span<const unsigned char>(digest, digest_len));
}

}  // namespace peerhub::ws
