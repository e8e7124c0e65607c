// A streaming SHA-256 (OpenSSL EVP) for files sent and received, hex as the web client writes it.
#pragma once

#include <openssl/evp.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>

namespace peerhub::cli {

class Sha256 {
 public:
  Sha256();
  void update(std::span<const std::uint8_t> bytes);
  std::string hex();  // lower case; ends the hash

 private:
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx_;
};

}  // namespace peerhub::cli
