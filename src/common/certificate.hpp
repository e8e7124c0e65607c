// Self-signed X.509 certificates: for `peerhub cert` (HTTPS/WSS on a LAN) and, later, DTLS, which needs
// the certificate and key in memory rather than in files.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace peerhub {

struct CertificateRequest {
  // DNS names ("example.lan", "*.example.lan") and IP literals ("192.168.1.5", "::1"); all go into the
  // subjectAltName, the first is also the subject CN. Browsers match only the subjectAltName (RFC 6125
  // §6.4.4).
  std::vector<std::string> hosts;
  unsigned days = 365;
  std::chrono::system_clock::time_point not_before;  // the caller's "now": nothing here reads a clock
};

struct PemCertificate {
  std::string certificate;  // "-----BEGIN CERTIFICATE-----..."
  std::string private_key;  // PKCS#8 "-----BEGIN PRIVATE KEY-----...": a secret
};

inline constexpr std::size_t kMaxCertificateHosts = 100;
inline constexpr unsigned kMaxCertificateDays = 36500;

// An ECDSA P-256 key and an X.509 v3 certificate for it, signed by itself with SHA-256, with a random
// 127-bit serial. Throws std::invalid_argument on a bad request (no hosts, a host that is neither an IP nor
// a DNS name, days outside 1..kMaxCertificateDays) and std::runtime_error when OpenSSL fails.
PemCertificate generate_self_signed_certificate(const CertificateRequest& request);

struct CertificateFiles {
  std::string certificate_path;  // DIR/cert.pem, mode 0644
  std::string key_path;          // DIR/key.pem, mode 0600
};

// Writes the PEM files into `dir` (created when missing). Unless `overwrite`, refuses with
// std::runtime_error when either file exists, before writing anything; never follows a symlink.
CertificateFiles write_certificate_files(const PemCertificate& pem, const std::string& dir, bool overwrite);

}  // namespace peerhub
