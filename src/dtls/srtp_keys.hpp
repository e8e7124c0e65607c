// What DTLS-SRTP (RFC 5764) hands to SRTP: the protection profile the use_srtp extension settled on and
// the keys exported from the DTLS master secret.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace peerhub::dtls {

// RFC 5764 §4.1.2 and RFC 7714 §14.2: the profiles WebRTC uses, by their IANA numbers.
enum class SrtpProfile : std::uint16_t {
  aes128_cm_sha1_80 = 0x0001,  // SRTP_AES128_CM_HMAC_SHA1_80: 128-bit key, 112-bit salt, 80-bit tag
  aead_aes128_gcm = 0x0007,    // SRTP_AEAD_AES_128_GCM: 128-bit key, 96-bit salt, 128-bit tag
};

// "SRTP_AES128_CM_SHA1_80", "SRTP_AEAD_AES_128_GCM" (OpenSSL's names, also used in logs).
std::string_view to_string(SrtpProfile profile);
// Master key and master salt lengths in bytes: 16/14 and 16/12.
std::size_t srtp_key_length(SrtpProfile profile);
std::size_t srtp_salt_length(SrtpProfile profile);

// RFC 5764 §4.2: the exporter ("EXTRACTOR-dtls_srtp") yields
//   client_write_SRTP_master_key | server_write_SRTP_master_key |
//   client_write_SRTP_master_salt | server_write_SRTP_master_salt
// and "the client_write keys are used by the client to protect what it sends" (the server uses them to
// check what it receives), and the other way round. Secrets: never log them.
struct SrtpKeyMaterial {
  std::vector<std::uint8_t> client_write_key;
  std::vector<std::uint8_t> server_write_key;
  std::vector<std::uint8_t> client_write_salt;
  std::vector<std::uint8_t> server_write_salt;

  bool operator==(const SrtpKeyMaterial&) const = default;
};

}  // namespace peerhub::dtls
