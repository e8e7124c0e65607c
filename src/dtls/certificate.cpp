// Certificate: a fresh ECDSA P-256 key and a self-signed certificate for it.
#include "dtls/certificate.hpp"

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include <array>
#include <ctime>
#include <stdexcept>

namespace peerhub::dtls {
namespace {

[[noreturn]] void fail(const char* what) {
  throw std::runtime_error(std::string("certificate: ") + what);
}

std::string bio_contents(BIO* bio) {
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio, &data);
  return length > 0 ? std::string(data, static_cast<std::size_t>(length)) : std::string();
}

}  // namespace

Certificate Certificate::generate(std::chrono::system_clock::time_point now) {
  std::shared_ptr<EVP_PKEY> key(EVP_EC_gen("P-256"), EVP_PKEY_free);
  if (!key) fail("could not make an ECDSA P-256 key");
  std::shared_ptr<X509> cert(X509_new(), X509_free);
  if (!cert) fail("out of memory");

  // RFC 5280 §4.1.2.2: a positive serial of at most 20 bytes; 127 random bits keep it positive.
  std::array<unsigned char, 16> serial_bytes{};
  if (RAND_bytes(serial_bytes.data(), static_cast<int>(serial_bytes.size())) != 1) fail("no randomness");
  serial_bytes[0] &= 0x7F;
  std::unique_ptr<BIGNUM, decltype(&BN_free)> serial(
      BN_bin2bn(serial_bytes.data(), static_cast<int>(serial_bytes.size()), nullptr), BN_free);
  if (!serial || BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())) == nullptr) {
    fail("could not set the serial number");
  }

  // A day of slack before `now` for peers whose clocks run behind (WebRTC never checks validity, but
  // generic DTLS stacks may); 30 days after it, as a peer makes a new one for each session.
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  if (X509_set_version(cert.get(), X509_VERSION_3) != 1 ||
      X509_time_adj_ex(X509_getm_notBefore(cert.get()), -1, 0, &t) == nullptr ||
      X509_time_adj_ex(X509_getm_notAfter(cert.get()), 30, 0, &t) == nullptr) {
    fail("could not set the validity period");
  }

  X509_NAME* name = X509_get_subject_name(cert.get());
  static constexpr unsigned char kCommonName[] = "peerhub";
  if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, kCommonName, -1, -1, 0) != 1 ||
      X509_set_issuer_name(cert.get(), name) != 1 || X509_set_pubkey(cert.get(), key.get()) != 1) {
    fail("could not set the names or the public key");
  }
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) <= 0) fail("could not sign");
  return Certificate(std::move(cert), std::move(key));
}

Fingerprint Certificate::fingerprint(HashAlgorithm algorithm) const {
  return Fingerprint::of(certificate_.get(), algorithm);
}

std::string Certificate::certificate_pem() const {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  if (!bio || PEM_write_bio_X509(bio.get(), certificate_.get()) != 1) fail("could not write PEM");
  return bio_contents(bio.get());
}

std::string Certificate::private_key_pem() const {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    fail("could not write PEM");
  }
  return bio_contents(bio.get());
}

}  // namespace peerhub::dtls
