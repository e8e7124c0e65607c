// Inside the DTLS module: the OpenSSL context and connection one Session runs on, set up as WebRTC peers
// expect (RFC 8827 §6.5, RFC 5764).
#pragma once

#include <openssl/ssl.h>

#include <memory>
#include <string>

#include "dtls/session.hpp"

namespace peerhub::dtls {

using SslCtxPtr = std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)>;
using SslPtr = std::unique_ptr<SSL, decltype(&SSL_free)>;

// An SSL_CTX for DTLS 1.2 only, with the certificate, the ciphers, groups and SRTP profiles of `config`,
// and `verify` as the certificate callback (a peer certificate is required). Throws std::runtime_error.
SslCtxPtr make_context(const Config& config, SSL_verify_cb verify);

// A connection on `context` in `config.role`, with OpenSSL's own DTLS timer silenced (session.hpp, "Time").
SslPtr make_connection(SSL_CTX* context, const Config& config);

// The reasons on OpenSSL's error queue, in words ("tlsv1 alert decrypt error"), emptying it.
std::string take_openssl_errors();

}  // namespace peerhub::dtls
