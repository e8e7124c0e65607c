// OpenSSL 3 behind crypto.hpp. One HMAC context per digest and thread is kept and re-keyed for every message,
// so checking or signing a message costs no allocation once a thread has done it once.
#include "stun/crypto.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <memory>

#include "common/crc32.hpp"

namespace peerhub::stun {

namespace {

struct MacCtxFree {
  void operator()(EVP_MAC_CTX* ctx) const { EVP_MAC_CTX_free(ctx); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
using MacCtx = std::unique_ptr<EVP_MAC_CTX, MacCtxFree>;

MacCtx new_hmac(const char* digest) {
  EVP_MAC* mac = EVP_MAC_fetch(nullptr, OSSL_MAC_NAME_HMAC, nullptr);
  if (mac == nullptr) return nullptr;
  MacCtx ctx(EVP_MAC_CTX_new(mac));
  EVP_MAC_free(mac);  // the context holds its own reference
  if (!ctx) return nullptr;
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>(digest), 0),
      OSSL_PARAM_construct_end()};
  if (EVP_MAC_CTX_set_params(ctx.get(), params) != 1) return nullptr;
  return ctx;
}

template <std::size_t N>
Result<std::array<std::uint8_t, N>> run_hmac(EVP_MAC_CTX* ctx, std::span<const std::uint8_t> key,
                                             std::initializer_list<std::span<const std::uint8_t>> pieces) {
  if (key.empty()) return Error::bad_credentials;
  if (ctx == nullptr) return Error::crypto_failure;
  // A non-null key resets the context and replaces the previous message's key.
  if (EVP_MAC_init(ctx, key.data(), key.size(), nullptr) != 1) return Error::crypto_failure;
  for (const auto& piece : pieces)
    if (!piece.empty() && EVP_MAC_update(ctx, piece.data(), piece.size()) != 1) return Error::crypto_failure;
  std::array<std::uint8_t, N> out{};
  std::size_t written = 0;
  if (EVP_MAC_final(ctx, out.data(), &written, out.size()) != 1 || written != N) return Error::crypto_failure;
  return out;
}

template <std::size_t N>
Result<std::array<std::uint8_t, N>> run_digest(const EVP_MD* md,
                                               std::initializer_list<std::span<const std::uint8_t>> pieces) {
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex(ctx.get(), md, nullptr) != 1) return Error::crypto_failure;
  for (const auto& piece : pieces)
    if (!piece.empty() && EVP_DigestUpdate(ctx.get(), piece.data(), piece.size()) != 1)
      return Error::crypto_failure;
  std::array<std::uint8_t, N> out{};
  unsigned written = 0;
  if (EVP_DigestFinal_ex(ctx.get(), out.data(), &written) != 1 || written != N) return Error::crypto_failure;
  return out;
}

// CRC-32/ISO-HDLC: the reflected form of 0x04C11DB7.
using IsoHdlcCrc = ReflectedCrc32<0xEDB88320U>;

}  // namespace

Result<Sha1Mac> hmac_sha1(std::span<const std::uint8_t> key,
                          std::initializer_list<std::span<const std::uint8_t>> pieces) {
  thread_local const MacCtx ctx = new_hmac("SHA1");
  return run_hmac<20>(ctx.get(), key, pieces);
}

Result<Sha256Mac> hmac_sha256(std::span<const std::uint8_t> key,
                              std::initializer_list<std::span<const std::uint8_t>> pieces) {
  thread_local const MacCtx ctx = new_hmac("SHA256");
  return run_hmac<32>(ctx.get(), key, pieces);
}

Result<std::array<std::uint8_t, 16>> md5(std::initializer_list<std::span<const std::uint8_t>> pieces) {
  return run_digest<16>(EVP_md5(), pieces);
}

Result<std::array<std::uint8_t, 32>> sha256(std::initializer_list<std::span<const std::uint8_t>> pieces) {
  return run_digest<32>(EVP_sha256(), pieces);
}

std::uint32_t crc32(std::span<const std::uint8_t> data, std::uint32_t crc) {
  return ~IsoHdlcCrc::update(~crc, data);
}

bool equal_constant_time(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace peerhub::stun
