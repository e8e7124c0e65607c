// The DTLS identity of one peer and the fingerprints that SDP carries for it.
//
// WebRTC certificates are self-signed: trust comes from `a=fingerprint` (RFC 8122 §5), a hash of the DER
// certificate that the signaling channel delivered. Each peer makes a fresh ECDSA P-256 key and certificate
// (what browsers make by default), and the far end checks the certificate its DTLS handshake presented
// against the fingerprint in the remote description (dtls/session.hpp does that).
//
// Nothing here reads a clock: the validity period starts from the `now` the caller passes in. The serial
// number and the key come from OpenSSL's RNG.
#pragma once

#include <openssl/types.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace peerhub::dtls {

// The hash functions RFC 8122 §5 lists that are not broken beyond use (md2 and md5 are refused).
enum class HashAlgorithm : std::uint8_t { sha1, sha224, sha256, sha384, sha512 };

// "sha-1", "sha-224", "sha-256", "sha-384", "sha-512": the names SDP uses.
std::string_view to_string(HashAlgorithm algorithm);
// The digest length in bytes: 20, 28, 32, 48, 64.
std::size_t digest_size(HashAlgorithm algorithm);

// The value of an `a=fingerprint` attribute (RFC 8122 §5):
//   fingerprint-attribute = "fingerprint" ":" hash-func SP fingerprint
//   fingerprint           = 2UHEX *(":" 2UHEX)
// Browsers write the hex in upper case; RFC 8122 asks receivers to compare case-insensitively, which
// comparing the parsed bytes does.
struct Fingerprint {
  HashAlgorithm algorithm = HashAlgorithm::sha256;
  std::vector<std::uint8_t> value;  // digest_size(algorithm) bytes

  // "sha-256 AB:CD:…". Leading/trailing blanks are ignored, the hash name is case-insensitive, and so are
  // the hex digits. On failure returns nullopt and, when `error` is given, says why in words.
  static std::optional<Fingerprint> parse(std::string_view text, std::string* error = nullptr);

  // The hash of a certificate's DER encoding under `algorithm`.
  static Fingerprint of(const X509* certificate, HashAlgorithm algorithm);

  // "sha-256 AB:CD:…" as browsers write it (upper-case hex pairs joined by colons).
  std::string to_string() const;
  // Only the hex part: "AB:CD:…".
  std::string value_string() const;

  bool operator==(const Fingerprint&) const = default;
};

// A private key and the self-signed X.509 certificate for it. Cheap to copy: copies share the OpenSSL
// objects, which are never changed after generation, so one Certificate may serve many sessions.
class Certificate {
 public:
  // A fresh ECDSA P-256 key and a self-signed certificate (CN "peerhub", SHA-256 signature, a random
  // positive 127-bit serial) valid from a day before `now` (clock skew between peers) to 30 days after it.
  // Throws std::runtime_error when OpenSSL fails.
  static Certificate generate(std::chrono::system_clock::time_point now);

  // The SHA-256 fingerprint, as this peer puts it in its own `a=fingerprint`.
  Fingerprint fingerprint(HashAlgorithm algorithm = HashAlgorithm::sha256) const;

  // PEM encodings, e.g. to hand the identity to another program in a test. The key is a secret.
  std::string certificate_pem() const;
  std::string private_key_pem() const;

  X509* x509() const { return certificate_.get(); }
  EVP_PKEY* private_key() const { return key_.get(); }

 private:
  Certificate(std::shared_ptr<X509> certificate, std::shared_ptr<EVP_PKEY> key)
      : certificate_(std::move(certificate)), key_(std::move(key)) {}

  std::shared_ptr<X509> certificate_;
  std::shared_ptr<EVP_PKEY> key_;
};

}  // namespace peerhub::dtls
