// Fingerprint: parse and write the value of `a=fingerprint` (RFC 8122 §5), hash a certificate.
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <array>
#include <stdexcept>

#include "dtls/certificate.hpp"

namespace peerhub::dtls {
namespace {

struct HashName {
  HashAlgorithm algorithm;
  std::string_view name;
  std::size_t size;
};

constexpr std::array<HashName, 5> kHashes{{
    {HashAlgorithm::sha1, "sha-1", 20},
    {HashAlgorithm::sha224, "sha-224", 28},
    {HashAlgorithm::sha256, "sha-256", 32},
    {HashAlgorithm::sha384, "sha-384", 48},
    {HashAlgorithm::sha512, "sha-512", 64},
}};

const HashName& entry(HashAlgorithm algorithm) {
  for (const auto& hash : kHashes) {
    if (hash.algorithm == algorithm) return hash;
  }
  throw std::invalid_argument("unknown hash algorithm");
}

const EVP_MD* digest_of(HashAlgorithm algorithm) {
  switch (algorithm) {
    case HashAlgorithm::sha1:
      return EVP_sha1();
    case HashAlgorithm::sha224:
      return EVP_sha224();
    case HashAlgorithm::sha256:
      return EVP_sha256();
    case HashAlgorithm::sha384:
      return EVP_sha384();
    case HashAlgorithm::sha512:
      return EVP_sha512();
  }
  return EVP_sha256();
}

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = lower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_blank(text.front()))
    text.remove_prefix(1);
  while (!text.empty() && is_blank(text.back()))
    text.remove_suffix(1);
  return text;
}

std::optional<Fingerprint> fail(std::string* error, std::string why) {
  if (error != nullptr) *error = std::move(why);
  return std::nullopt;
}

}  // namespace

std::string_view to_string(HashAlgorithm algorithm) {
  return entry(algorithm).name;
}
std::size_t digest_size(HashAlgorithm algorithm) {
  return entry(algorithm).size;
}

std::optional<Fingerprint> Fingerprint::parse(std::string_view text, std::string* error) {
  text = trim(text);
  const auto space = text.find_first_of(" \t");
  if (text.empty() || space == std::string_view::npos) {
    return fail(error, "a fingerprint is '<hash function> <hex pairs>', e.g. 'sha-256 AB:CD:…'");
  }
  const std::string_view name = text.substr(0, space);
  const std::string_view hex = trim(text.substr(space));

  const HashName* hash = nullptr;
  for (const auto& candidate : kHashes) {
    if (equal_ignoring_case(candidate.name, name)) hash = &candidate;
  }
  if (hash == nullptr) {
    return fail(error, "unknown hash function '" + std::string(name) +
                           "' (sha-1, sha-224, sha-256, sha-384 or sha-512)");
  }

  // fingerprint = 2UHEX *(":" 2UHEX): exactly 3n-1 characters for n bytes.
  Fingerprint result{hash->algorithm, {}};
  result.value.reserve(hash->size);
  std::size_t pos = 0;
  while (pos < hex.size()) {
    const std::size_t index = result.value.size() + 1;
    if (index > hash->size) {
      return fail(error, std::string(hash->name) + " fingerprint has more than " +
                             std::to_string(hash->size) + " bytes");
    }
    const int high = pos + 1 < hex.size() ? hex_value(hex[pos]) : -1;
    const int low = pos + 1 < hex.size() ? hex_value(hex[pos + 1]) : -1;
    if (high < 0 || low < 0) {
      return fail(error, "byte " + std::to_string(index) + " of the fingerprint ('" +
                             std::string(hex.substr(pos, 2)) + "') is not two hex digits");
    }
    result.value.push_back(static_cast<std::uint8_t>(high * 16 + low));
    pos += 2;
    if (pos < hex.size()) {
      if (hex[pos] != ':') {
        return fail(error, "expected ':' after byte " + std::to_string(index) + " of the fingerprint");
      }
      ++pos;
      if (pos == hex.size()) return fail(error, "the fingerprint ends with ':'");
    }
  }
  if (result.value.size() != hash->size) {
    return fail(error, std::string(hash->name) + " fingerprint has " + std::to_string(result.value.size()) +
                           " bytes, expected " + std::to_string(hash->size));
  }
  return result;
}

Fingerprint Fingerprint::of(const X509* certificate, HashAlgorithm algorithm) {
  Fingerprint result{algorithm, std::vector<std::uint8_t>(EVP_MAX_MD_SIZE)};
  unsigned int length = 0;
  if (certificate == nullptr ||
      X509_digest(certificate, digest_of(algorithm), result.value.data(), &length) != 1) {
    throw std::runtime_error("could not hash the certificate");
  }
  result.value.resize(length);
  return result;
}

std::string Fingerprint::value_string() const {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(value.size() * 3);
  for (const std::uint8_t byte : value) {
    if (!out.empty()) out.push_back(':');
    out.push_back(kDigits[byte >> 4]);
    out.push_back(kDigits[byte & 0x0F]);
  }
  return out;
}

std::string Fingerprint::to_string() const {
  return std::string(dtls::to_string(algorithm)) + " " + value_string();
}

}  // namespace peerhub::dtls
