// The OpenSSL context of a DTLS session: versions, ciphers, groups, use_srtp, verification, MTU, timer.
#include "dtls/context.hpp"

#include <openssl/err.h>

#include <stdexcept>

namespace peerhub::dtls {
namespace {

// ECDHE with ECDSA certificates (what browsers make) and AEAD ciphers first; RSA suites for older peers
// whose certificates are RSA; CBC suites last (RFC 8827 §6.5 requires ECDHE-ECDSA-AES128-GCM-SHA256).
constexpr const char* kCiphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:"
    "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305:"
    "ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA:ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES256-SHA";

constexpr const char* kGroups = "X25519:P-256";

// An hour: long enough that OpenSSL's own timer never fires; the Session retransmits (session.hpp).
constexpr unsigned int kSilentTimerUs = 3'600'000'000U;
unsigned int silent_timer(SSL* /*ssl*/, unsigned int /*previous_us*/) {
  return kSilentTimerUs;
}

std::string srtp_profile_list(const std::vector<SrtpProfile>& profiles) {
  std::string list;
  for (const SrtpProfile profile : profiles) {
    if (!list.empty()) list += ':';
    list += to_string(profile);
  }
  return list;
}

[[noreturn]] void fail(const std::string& what) {
  throw std::runtime_error("DTLS setup: " + what + ": " + take_openssl_errors());
}

}  // namespace

std::string take_openssl_errors() {
  std::string words;
  while (const unsigned long code = ERR_get_error()) {
    const char* reason = ERR_reason_error_string(code);
    if (!words.empty()) words += "; ";
    words += reason != nullptr ? reason : "unknown OpenSSL error";
  }
  return words.empty() ? "no detail from OpenSSL" : words;
}

SslCtxPtr make_context(const Config& config, SSL_verify_cb verify) {
  SslCtxPtr ctx(SSL_CTX_new(DTLS_method()), SSL_CTX_free);
  if (!ctx) fail("SSL_CTX_new");
  // RFC 8827 §6.5: DTLS 1.2 (DTLS 1.0 is obsolete; OpenSSL 3.0 has no DTLS 1.3).
  if (SSL_CTX_set_min_proto_version(ctx.get(), DTLS1_2_VERSION) != 1 ||
      SSL_CTX_set_max_proto_version(ctx.get(), DTLS1_2_VERSION) != 1) {
    fail("DTLS 1.2");
  }
  if (SSL_CTX_set_cipher_list(ctx.get(), kCiphers) != 1) fail("cipher list");
  if (SSL_CTX_set1_groups_list(ctx.get(), kGroups) != 1) fail("groups");
  if (SSL_CTX_use_certificate(ctx.get(), config.certificate.x509()) != 1 ||
      SSL_CTX_use_PrivateKey(ctx.get(), config.certificate.private_key()) != 1 ||
      SSL_CTX_check_private_key(ctx.get()) != 1) {
    fail("certificate");
  }
  // RFC 5764 §4.1.1: offer (client) or accept (server) these profiles. Note: 0 means success here.
  if (!config.srtp_profiles.empty() &&
      SSL_CTX_set_tlsext_use_srtp(ctx.get(), srtp_profile_list(config.srtp_profiles).c_str()) != 0) {
    fail("use_srtp");
  }
  // Self-signed certificates are expected; the fingerprint decides (the callback accepts and records).
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, verify);
  SSL_CTX_set_session_cache_mode(ctx.get(), SSL_SESS_CACHE_OFF);
  SSL_CTX_set_options(ctx.get(), SSL_OP_NO_QUERY_MTU | SSL_OP_NO_TICKET | SSL_OP_NO_RENEGOTIATION);
  SSL_CTX_set_read_ahead(ctx.get(), 1);
  return ctx;
}

SslPtr make_connection(SSL_CTX* context, const Config& config) {
  SslPtr ssl(SSL_new(context), SSL_free);
  if (!ssl) fail("SSL_new");
  // The MTU is the whole datagram: the BIO reports no per-datagram overhead.
  if (SSL_set_mtu(ssl.get(), static_cast<long>(config.mtu)) <= 0) fail("MTU");
  DTLS_set_timer_cb(ssl.get(), silent_timer);
  if (config.role == Role::client) {
    SSL_set_connect_state(ssl.get());
  } else {
    SSL_set_accept_state(ssl.get());
  }
  return ssl;
}

}  // namespace peerhub::dtls
