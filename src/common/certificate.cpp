// OpenSSL 3 EVP and X509v3 calls that make a self-signed certificate; every handle is owned by a unique_ptr.
#include "common/certificate.hpp"

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include <array>
#include <memory>
#include <stdexcept>

#include "common/address.hpp"

namespace peerhub {
namespace {

template <auto Free>
struct Deleter {
  template <class T>
  void operator()(T* handle) const {
    Free(handle);
  }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free>>;
using BignumPtr = std::unique_ptr<BIGNUM, Deleter<BN_free>>;
using NamesPtr = std::unique_ptr<GENERAL_NAMES, Deleter<GENERAL_NAMES_free>>;
using ExtensionPtr = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION_free>>;

[[noreturn]] void fail(const std::string& step) {
  std::array<char, 256> reason{};
  ERR_error_string_n(ERR_get_error(), reason.data(), reason.size());
  ERR_clear_error();
  throw std::runtime_error("certificate: " + step + " failed: " + reason.data());
}

void check(int result, const std::string& step) {
  if (result <= 0) fail(step);
}

// RFC 5280 §4.1.2.2: a positive serial of at most 20 bytes; random so two certificates never collide.
void set_random_serial(X509* certificate) {
  std::array<unsigned char, 16> bytes{};
  check(RAND_bytes(bytes.data(), static_cast<int>(bytes.size())), "RAND_bytes");
  bytes[0] = static_cast<unsigned char>((bytes[0] & 0x7f) | 0x01);  // positive, never zero
  BignumPtr serial(BN_bin2bn(bytes.data(), static_cast<int>(bytes.size()), nullptr));
  if (!serial || !BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(certificate))) fail("serial");
}

void add_alt_names(X509* certificate, const std::vector<std::string>& hosts) {
  NamesPtr names(sk_GENERAL_NAME_new_null());
  if (!names) fail("subjectAltName");
  for (const auto& host : hosts) {
    GENERAL_NAME* name = GENERAL_NAME_new();
    if (!name) fail("subjectAltName");
    if (auto ip = parse_ip_address(host)) {
      ASN1_OCTET_STRING* octets = ASN1_OCTET_STRING_new();
      if (!octets || !ASN1_OCTET_STRING_set(octets, ip->data(), static_cast<int>(ip->size())))
        fail("IP name");
      GENERAL_NAME_set0_value(name, GEN_IPADD, octets);
    } else {
      ASN1_IA5STRING* text = ASN1_IA5STRING_new();
      if (!text || !ASN1_STRING_set(text, host.data(), static_cast<int>(host.size()))) fail("DNS name");
      GENERAL_NAME_set0_value(name, GEN_DNS, text);
    }
    if (!sk_GENERAL_NAME_push(names.get(), name)) {
      GENERAL_NAME_free(name);
      fail("subjectAltName");
    }
  }
  check(X509_add1_ext_i2d(certificate, NID_subject_alt_name, names.get(), 0, X509V3_ADD_DEFAULT),
        "subjectAltName");
}

void add_extension(X509* certificate, int nid, const char* value) {
  X509V3_CTX context;
  X509V3_set_ctx(&context, certificate, certificate, nullptr, nullptr, 0);
  ExtensionPtr extension(X509V3_EXT_conf_nid(nullptr, &context, nid, value));
  if (!extension) fail(std::string("extension ") + OBJ_nid2sn(nid));
  check(X509_add_ext(certificate, extension.get(), -1), std::string("extension ") + OBJ_nid2sn(nid));
}

std::string pem_of(BIO* bio) {
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(length));
}

void check_request(const CertificateRequest& request) {
  if (request.hosts.empty())
    throw std::invalid_argument("certificate: at least one host name or address is needed");
  if (request.hosts.size() > kMaxCertificateHosts) {
    throw std::invalid_argument("certificate: at most " + std::to_string(kMaxCertificateHosts) + " hosts");
  }
  for (const auto& host : request.hosts) {
    if (!parse_ip_address(host) && !is_dns_name(host)) {
      throw std::invalid_argument("certificate: '" + host + "' is neither an IP address nor a DNS name");
    }
  }
  if (request.days < 1 || request.days > kMaxCertificateDays) {
    throw std::invalid_argument("certificate: days must be from 1 to " + std::to_string(kMaxCertificateDays));
  }
}

}  // namespace

PemCertificate generate_self_signed_certificate(const CertificateRequest& request) {
  check_request(request);
  KeyPtr key(EVP_EC_gen("P-256"));
  if (!key) fail("P-256 key generation");

  X509Ptr certificate(X509_new());
  if (!certificate) fail("X509_new");
  check(X509_set_version(certificate.get(), X509_VERSION_3), "version");
  set_random_serial(certificate.get());

  const std::time_t start = std::chrono::system_clock::to_time_t(request.not_before);
  if (!ASN1_TIME_set(X509_getm_notBefore(certificate.get()), start) ||
      !ASN1_TIME_adj(X509_getm_notAfter(certificate.get()), start, static_cast<int>(request.days), 0)) {
    fail("validity");
  }

  // The CN is informational only; X.520 limits it to 64 characters (ub-common-name).
  const std::string& first = request.hosts.front();
  const std::string common_name = first.size() <= 64 ? first : "peerhub";
  X509_NAME* subject = X509_get_subject_name(certificate.get());
  check(X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1, 0),
        "subject");
  check(X509_set_issuer_name(certificate.get(), subject), "issuer");  // self-signed: issuer = subject
  check(X509_set_pubkey(certificate.get(), key.get()), "public key");

  add_extension(certificate.get(), NID_basic_constraints, "critical,CA:FALSE");
  add_extension(certificate.get(), NID_key_usage, "critical,digitalSignature");
  add_extension(certificate.get(), NID_ext_key_usage, "serverAuth,clientAuth");  // TLS server, DTLS both ends
  add_extension(certificate.get(), NID_subject_key_identifier, "hash");
  add_alt_names(certificate.get(), request.hosts);

  check(X509_sign(certificate.get(), key.get(), EVP_sha256()), "signing");

  BioPtr certificate_bio(BIO_new(BIO_s_mem()));
  BioPtr key_bio(BIO_new(BIO_s_mem()));
  if (!certificate_bio || !key_bio) fail("BIO_new");
  check(PEM_write_bio_X509(certificate_bio.get(), certificate.get()), "PEM certificate");
  check(PEM_write_bio_PrivateKey(key_bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr), "PEM key");
  return PemCertificate{pem_of(certificate_bio.get()), pem_of(key_bio.get())};
}

}  // namespace peerhub
