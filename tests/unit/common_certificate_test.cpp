#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "common/certificate.hpp"

namespace peerhub {
namespace {

using X509Ptr = std::unique_ptr<X509, decltype(&X509_free)>;
using KeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

// 2023-11-14T22:13:20Z: a fixed "now", so validity can be checked to the second.
const auto kNow = std::chrono::system_clock::from_time_t(1700000000);

X509Ptr read_certificate(const std::string& pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())),
                                                BIO_free);
  return X509Ptr(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), X509_free);
}

KeyPtr read_key(const std::string& pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())),
                                                BIO_free);
  return KeyPtr(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr), EVP_PKEY_free);
}

struct AltNames {
  std::vector<std::string> dns;
  std::vector<std::vector<unsigned char>> ips;
};

AltNames alt_names(X509* certificate) {
  AltNames out;
  auto* names =
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(certificate, NID_subject_alt_name, nullptr, nullptr));
  if (!names) return out;
  for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, i);
    if (name->type == GEN_DNS) {
      const auto* text = ASN1_STRING_get0_data(name->d.dNSName);
      out.dns.emplace_back(reinterpret_cast<const char*>(text), ASN1_STRING_length(name->d.dNSName));
    } else if (name->type == GEN_IPADD) {
      const auto* bytes = ASN1_STRING_get0_data(name->d.iPAddress);
      out.ips.emplace_back(bytes, bytes + ASN1_STRING_length(name->d.iPAddress));
    }
  }
  GENERAL_NAMES_free(names);
  return out;
}

PemCertificate make(std::vector<std::string> hosts, unsigned days = 30) {
  return generate_self_signed_certificate(CertificateRequest{std::move(hosts), days, kNow});
}

TEST(Certificate, NamesEveryHostInTheSubjectAltName) {
  auto pem = make({"box.lan", "192.168.1.5", "::1", "*.box.lan"});
  auto certificate = read_certificate(pem.certificate);
  ASSERT_TRUE(certificate);
  auto names = alt_names(certificate.get());
  EXPECT_EQ(names.dns, (std::vector<std::string>{"box.lan", "*.box.lan"}));
  ASSERT_EQ(names.ips.size(), 2u);
  EXPECT_EQ(names.ips[0], (std::vector<unsigned char>{192, 168, 1, 5}));
  std::vector<unsigned char> loopback6(16, 0);
  loopback6[15] = 1;
  EXPECT_EQ(names.ips[1], loopback6);
  EXPECT_EQ(X509_check_host(certificate.get(), "box.lan", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_host(certificate.get(), "other.lan", 0, 0, nullptr), 0);
  EXPECT_EQ(X509_check_ip_asc(certificate.get(), "192.168.1.5", 0), 1);
  EXPECT_EQ(X509_check_ip_asc(certificate.get(), "192.168.1.6", 0), 0);

  std::array<char, 256> subject{};
  X509_NAME_get_text_by_NID(X509_get_subject_name(certificate.get()), NID_commonName, subject.data(),
                            static_cast<int>(subject.size()));
  EXPECT_STREQ(subject.data(), "box.lan");
}

TEST(Certificate, IsAnEcdsaP256KeyThatMatchesASelfSignedSha256Certificate) {
  auto pem = make({"localhost"});
  auto certificate = read_certificate(pem.certificate);
  auto key = read_key(pem.private_key);
  ASSERT_TRUE(certificate);
  ASSERT_TRUE(key);
  EXPECT_TRUE(EVP_PKEY_is_a(key.get(), "EC"));
  std::array<char, 64> group{};
  ASSERT_EQ(EVP_PKEY_get_group_name(key.get(), group.data(), group.size(), nullptr), 1);
  EXPECT_STREQ(group.data(), "prime256v1");
  EXPECT_EQ(X509_check_private_key(certificate.get(), key.get()), 1);
  EXPECT_EQ(X509_verify(certificate.get(), X509_get0_pubkey(certificate.get())), 1);
  EXPECT_EQ(X509_get_signature_nid(certificate.get()), NID_ecdsa_with_SHA256);
  EXPECT_EQ(X509_get_version(certificate.get()), X509_VERSION_3);
  EXPECT_EQ(X509_NAME_cmp(X509_get_subject_name(certificate.get()), X509_get_issuer_name(certificate.get())),
            0);
  EXPECT_NE(pem.private_key.find("-----BEGIN PRIVATE KEY-----"), std::string::npos);
  EXPECT_EQ(X509_check_purpose(certificate.get(), X509_PURPOSE_SSL_SERVER, 0), 1);
}

TEST(Certificate, ValidFromNowForTheGivenDays) {
  auto certificate = read_certificate(make({"localhost"}, 30).certificate);
  ASSERT_TRUE(certificate);
  std::tm start{};
  ASSERT_EQ(ASN1_TIME_to_tm(X509_get0_notBefore(certificate.get()), &start), 1);
  EXPECT_EQ(timegm(&start), 1700000000);
  int days = 0;
  int seconds = 0;
  ASSERT_EQ(ASN1_TIME_diff(&days, &seconds, X509_get0_notBefore(certificate.get()),
                           X509_get0_notAfter(certificate.get())),
            1);
  EXPECT_EQ(days, 30);
  EXPECT_EQ(seconds, 0);
}

TEST(Certificate, SerialsArePositiveAndRandom) {
  auto first = read_certificate(make({"localhost"}).certificate);
  auto second = read_certificate(make({"localhost"}).certificate);
  std::unique_ptr<BIGNUM, decltype(&BN_free)> a(
      ASN1_INTEGER_to_BN(X509_get0_serialNumber(first.get()), nullptr), BN_free);
  std::unique_ptr<BIGNUM, decltype(&BN_free)> b(
      ASN1_INTEGER_to_BN(X509_get0_serialNumber(second.get()), nullptr), BN_free);
  EXPECT_FALSE(BN_is_negative(a.get()));
  EXPECT_FALSE(BN_is_zero(a.get()));
  EXPECT_GT(BN_num_bits(a.get()), 64);
  EXPECT_NE(BN_cmp(a.get(), b.get()), 0);
}

TEST(Certificate, BadRequestsAreRefused) {
  EXPECT_THROW(make({}), std::invalid_argument);
  EXPECT_THROW(make({"a b"}), std::invalid_argument);
  EXPECT_THROW(make({"ok.lan", "x,IP:1.2.3.4"}), std::invalid_argument);
  EXPECT_THROW(make({"localhost"}, 0), std::invalid_argument);
  EXPECT_THROW(make({"localhost"}, kMaxCertificateDays + 1), std::invalid_argument);
  EXPECT_THROW(make(std::vector<std::string>(kMaxCertificateHosts + 1, "a.lan")), std::invalid_argument);
}

class CertificateFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("peerhub-cert-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  static std::string read(const std::string& path) {
    std::ostringstream text;
    text << std::ifstream(path).rdbuf();
    return text.str();
  }
  static unsigned mode(const std::string& path) {
    struct stat info {};
    EXPECT_EQ(::stat(path.c_str(), &info), 0);
    return info.st_mode & 0777;
  }

  std::filesystem::path dir_;
};

TEST_F(CertificateFilesTest, WritesCertAndOwnerOnlyKey) {
  auto pem = make({"localhost"});
  auto files = write_certificate_files(pem, (dir_ / "tls").string(), false);
  EXPECT_EQ(files.certificate_path, (dir_ / "tls" / "cert.pem").string());
  EXPECT_EQ(read(files.certificate_path), pem.certificate);
  EXPECT_EQ(read(files.key_path), pem.private_key);
  EXPECT_EQ(mode(files.key_path), 0600u);
  EXPECT_EQ(mode(files.certificate_path), 0644u);
}

TEST_F(CertificateFilesTest, RefusesToOverwriteUnlessForced) {
  auto first = make({"localhost"});
  auto files = write_certificate_files(first, dir_.string(), false);
  auto second = make({"localhost"});
  try {
    write_certificate_files(second, dir_.string(), false);
    FAIL() << "overwrote";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("--force"), std::string::npos) << error.what();
  }
  EXPECT_EQ(read(files.key_path), first.private_key);

  // An existing key file that somebody made world-readable is 0600 again after --force.
  ::chmod(files.key_path.c_str(), 0644);
  write_certificate_files(second, dir_.string(), true);
  EXPECT_EQ(read(files.key_path), second.private_key);
  EXPECT_EQ(mode(files.key_path), 0600u);
}

TEST_F(CertificateFilesTest, RefusesWhenOnlyTheCertificateExistsAndWritesNothing) {
  std::filesystem::create_directories(dir_);
  std::ofstream(dir_ / "cert.pem") << "mine";
  EXPECT_THROW(write_certificate_files(make({"localhost"}), dir_.string(), false), std::runtime_error);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "key.pem"));
}

TEST_F(CertificateFilesTest, NeverWritesThroughASymlink) {
  std::filesystem::create_directories(dir_);
  std::ofstream(dir_ / "elsewhere") << "precious";
  std::filesystem::create_symlink(dir_ / "elsewhere", dir_ / "key.pem");
  EXPECT_THROW(write_certificate_files(make({"localhost"}), dir_.string(), true), std::runtime_error);
  EXPECT_EQ(read((dir_ / "elsewhere").string()), "precious");
}

}  // namespace
}  // namespace peerhub
