// SRTP profile names and key sizes (RFC 5764 §4.1.2, RFC 7714 §12).
#include "dtls/srtp_keys.hpp"

namespace peerhub::dtls {

std::string_view to_string(SrtpProfile profile) {
  switch (profile) {
    case SrtpProfile::aes128_cm_sha1_80:
      return "SRTP_AES128_CM_SHA1_80";
    case SrtpProfile::aead_aes128_gcm:
      return "SRTP_AEAD_AES_128_GCM";
  }
  return "unknown SRTP profile";
}

std::size_t srtp_key_length(SrtpProfile /*profile*/) {
  return 16;
}

std::size_t srtp_salt_length(SrtpProfile profile) {
  return profile == SrtpProfile::aead_aes128_gcm ? 12 : 14;
}

}  // namespace peerhub::dtls
