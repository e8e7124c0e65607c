// Certificates and a=fingerprint values: what a fresh certificate holds, that its fingerprint reads exactly
// as `openssl x509 -fingerprint` prints it, and the parser's answers to good and bad input.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <string>

#include "dtls/certificate.hpp"

namespace peerhub::dtls {
namespace {

std::string run(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  std::array<char, 512> buffer{};
  while (std::fgets(buffer.data(), static_cast<int>(buffer.size()), pipe) != nullptr)
    out += buffer.data();
  pclose(pipe);
  return out;
}

bool have_openssl_cli() {
  return run("command -v openssl").find("openssl") != std::string::npos;
}

// `openssl x509 -noout -fingerprint -sha256` prints "sha256 Fingerprint=AB:CD:…" (OpenSSL 3) or
// "SHA256 Fingerprint=…" (1.1); the part after '=' is what SDP carries.
std::string openssl_fingerprint(const Certificate& certificate, const char* digest) {
  char path[] = "/tmp/peerhub-dtls-cert-XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) return {};
  const std::string pem = certificate.certificate_pem();
  const bool written = write(fd, pem.data(), pem.size()) == static_cast<ssize_t>(pem.size());
  ::close(fd);
  std::string out = written ? run(std::string("openssl x509 -noout -fingerprint -") + digest + " -in " + path)
                            : std::string();
  unlink(path);
  const auto eq = out.find('=');
  if (eq == std::string::npos) return {};
  out = out.substr(eq + 1);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r'))
    out.pop_back();
  return out;
}

Certificate fresh() {
  return Certificate::generate(std::chrono::system_clock::now());
}

TEST(DtlsCertificate, FreshEcdsaP256SelfSignedForThirtyDays) {
  const auto now = std::chrono::system_clock::now();
  const Certificate certificate = Certificate::generate(now);
  X509* x = certificate.x509();
  ASSERT_NE(x, nullptr);

  EVP_PKEY* key = X509_get0_pubkey(x);
  ASSERT_NE(key, nullptr);
  EXPECT_EQ(EVP_PKEY_get_base_id(key), EVP_PKEY_EC);
  char group[64] = {};
  size_t group_length = 0;
  ASSERT_EQ(EVP_PKEY_get_group_name(key, group, sizeof(group), &group_length), 1);
  EXPECT_STREQ(group, "prime256v1");

  char cn[64] = {};
  X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName, cn, sizeof(cn));
  EXPECT_STREQ(cn, "peerhub");
  EXPECT_EQ(X509_NAME_cmp(X509_get_subject_name(x), X509_get_issuer_name(x)), 0);
  EXPECT_EQ(X509_verify(x, key), 1);  // signed by its own key
  EXPECT_EQ(X509_check_private_key(x, certificate.private_key()), 1);

  int days = 0, seconds = 0;
  ASSERT_EQ(ASN1_TIME_diff(&days, &seconds, X509_get0_notBefore(x), X509_get0_notAfter(x)), 1);
  EXPECT_EQ(days, 31);  // a day before now .. 30 days after
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  EXPECT_LT(X509_cmp_time(X509_get0_notBefore(x), &t), 0);
  EXPECT_GT(X509_cmp_time(X509_get0_notAfter(x), &t), 0);

  // Each peer gets its own: different serial, different key, different fingerprint.
  const Certificate other = fresh();
  EXPECT_NE(ASN1_INTEGER_cmp(X509_get0_serialNumber(x), X509_get0_serialNumber(other.x509())), 0);
  EXPECT_NE(certificate.fingerprint(), other.fingerprint());
}

TEST(DtlsCertificate, FingerprintIsTheSha256OfTheDerInSdpForm) {
  const Certificate certificate = fresh();
  const Fingerprint fingerprint = certificate.fingerprint();
  EXPECT_EQ(fingerprint.algorithm, HashAlgorithm::sha256);
  ASSERT_EQ(fingerprint.value.size(), 32U);

  // Computed independently: SHA-256 over i2d_X509.
  unsigned char* der = nullptr;
  const int der_length = i2d_X509(certificate.x509(), &der);
  ASSERT_GT(der_length, 0);
  std::array<unsigned char, 32> digest{};
  unsigned int digest_length = 0;
  ASSERT_EQ(EVP_Digest(der, static_cast<std::size_t>(der_length), digest.data(), &digest_length, EVP_sha256(),
                       nullptr),
            1);
  OPENSSL_free(der);
  EXPECT_EQ(std::vector<std::uint8_t>(digest.begin(), digest.end()), fingerprint.value);

  const std::string text = fingerprint.to_string();
  ASSERT_EQ(text.size(), std::string("sha-256 ").size() + 32 * 3 - 1);
  EXPECT_EQ(text.substr(0, 8), "sha-256 ");
  for (std::size_t i = 8; i < text.size(); ++i) {
    const char c = text[i];
    if ((i - 8) % 3 == 2) {
      EXPECT_EQ(c, ':');
    } else {
      EXPECT_TRUE((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F')) << text;
    }
  }
}

TEST(DtlsCertificate, FingerprintMatchesTheOpensslCommandLine) {
  if (!have_openssl_cli()) GTEST_SKIP() << "no openssl command";
  const Certificate certificate = fresh();
  EXPECT_EQ(certificate.fingerprint().value_string(), openssl_fingerprint(certificate, "sha256"));
  EXPECT_EQ(certificate.fingerprint(HashAlgorithm::sha1).value_string(),
            openssl_fingerprint(certificate, "sha1"));
  EXPECT_EQ(certificate.fingerprint(HashAlgorithm::sha512).value_string(),
            openssl_fingerprint(certificate, "sha512"));
}

TEST(DtlsCertificate, PemRoundTrip) {
  const Certificate certificate = fresh();
  const std::string pem = certificate.certificate_pem();
  EXPECT_EQ(pem.rfind("-----BEGIN CERTIFICATE-----", 0), 0U);
  EXPECT_EQ(certificate.private_key_pem().rfind("-----BEGIN PRIVATE KEY-----", 0), 0U);
}

TEST(DtlsFingerprint, EveryAlgorithmHasItsLength) {
  const Certificate certificate = fresh();
  for (auto [algorithm, name, size] :
       {std::tuple{HashAlgorithm::sha1, "sha-1", 20}, std::tuple{HashAlgorithm::sha224, "sha-224", 28},
        std::tuple{HashAlgorithm::sha256, "sha-256", 32}, std::tuple{HashAlgorithm::sha384, "sha-384", 48},
        std::tuple{HashAlgorithm::sha512, "sha-512", 64}}) {
    const Fingerprint f = certificate.fingerprint(algorithm);
    EXPECT_EQ(f.value.size(), static_cast<std::size_t>(size));
    EXPECT_EQ(to_string(algorithm), name);
    EXPECT_EQ(digest_size(algorithm), static_cast<std::size_t>(size));
    const auto parsed = Fingerprint::parse(f.to_string());
    ASSERT_TRUE(parsed) << f.to_string();
    EXPECT_EQ(*parsed, f);
  }
}

TEST(DtlsFingerprint, ParseIgnoresCaseAndSurroundingBlanks) {
  const Fingerprint upper =
      Fingerprint::parse("sha-256 " + std::string("AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:"
                                                  "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89"))
          .value();
  const auto lower = Fingerprint::parse(
      "  SHA-256   "
      "ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89\r\n");
  ASSERT_TRUE(lower);
  EXPECT_EQ(*lower, upper);
  EXPECT_EQ(lower->to_string().substr(8, 5), "AB:CD");
}

TEST(DtlsFingerprint, ParseErrorsSayWhatIsWrong) {
  const std::string ok32 =
      "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";
  const auto error_of = [](const std::string& text) {
    std::string error;
    EXPECT_FALSE(Fingerprint::parse(text, &error)) << text;
    return error;
  };
  EXPECT_EQ(error_of(""), "a fingerprint is '<hash function> <hex pairs>', e.g. 'sha-256 AB:CD:…'");
  EXPECT_EQ(error_of("sha-256"), "a fingerprint is '<hash function> <hex pairs>', e.g. 'sha-256 AB:CD:…'");
  EXPECT_EQ(error_of("md5 AB:CD"),
            "unknown hash function 'md5' (sha-1, sha-224, sha-256, sha-384 or sha-512)");
  EXPECT_EQ(error_of("sha-256 AB:CD"), "sha-256 fingerprint has 2 bytes, expected 32");
  EXPECT_EQ(error_of("sha-256 " + ok32 + ":00"), "sha-256 fingerprint has more than 32 bytes");
  EXPECT_EQ(error_of("sha-256 AB:GG:" + ok32.substr(6)),
            "byte 2 of the fingerprint ('GG') is not two hex digits");
  EXPECT_EQ(error_of("sha-256 ABCD:" + ok32.substr(6)), "expected ':' after byte 1 of the fingerprint");
  EXPECT_EQ(error_of("sha-256 AB:C"), "byte 2 of the fingerprint ('C') is not two hex digits");
  EXPECT_EQ(error_of("sha-256 AB:"), "the fingerprint ends with ':'");
  EXPECT_EQ(error_of("sha-256 " + ok32.substr(0, 3 * 31 - 1) + " 89"),
            "expected ':' after byte 31 of the fingerprint");
  // No error out-parameter: still just nullopt.
  EXPECT_FALSE(Fingerprint::parse("sha-1 00"));
}

}  // namespace
}  // namespace peerhub::dtls
