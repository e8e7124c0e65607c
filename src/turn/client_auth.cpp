#include "turn/client_auth.hpp"

#include "stun/attributes.hpp"
#include "stun/integrity.hpp"
#include "turn/nonce.hpp"

namespace peerhub::turn {

std::optional<std::string> ClientAuth::learn(const stun::Message& challenge) {
  const auto realm = challenge.get<stun::attr::Realm>();
  const auto nonce = challenge.get<stun::attr::Nonce>();
  if (!realm || !nonce) return "the server's challenge carries no usable REALM and NONCE";
  if (username_.empty()) return "the server asks for credentials and none were configured";

  // RFC 8489 §9.2.4: a nonce that starts with the cookie and sets the "password algorithms" bit promises
  // PASSWORD-ALGORITHMS; without it the response was tampered with (a bid-down) and must not be followed.
  // Without the cookie the list is ignored and the algorithm is MD5.
  stun::PasswordAlgorithm algorithm = stun::PasswordAlgorithm::md5;
  std::vector<std::uint8_t> offered;
  const bool rfc8489 = nonce_announces_password_algorithms(*nonce);
  if (rfc8489) {
    const auto raw = challenge.find(stun::AttrType::password_algorithms);
    const auto list = challenge.get<stun::attr::PasswordAlgorithms>();
    if (!raw || !list) return "the server's nonce announces password algorithms but lists none";
    // §9.2.4: the first algorithm of the list the client supports; SHA-256 is preferred when offered.
    if (list->contains(static_cast<std::uint16_t>(stun::PasswordAlgorithm::sha256)))
      algorithm = stun::PasswordAlgorithm::sha256;
    else if (!list->contains(static_cast<std::uint16_t>(stun::PasswordAlgorithm::md5)))
      return "the server offers no password algorithm this client knows (neither SHA-256 nor MD5)";
    offered.assign(raw->value.begin(), raw->value.end());
  }

  const auto key = stun::long_term_key(username_, *realm, password_, algorithm);
  if (!key)
    return "the username, password or realm cannot be used as STUN credentials (RFC 8265 OpaqueString)";
  realm_ = std::string(*realm);
  nonce_ = std::string(*nonce);
  algorithms_ = std::move(offered);
  algorithm_ = algorithm;
  rfc8489_ = rfc8489;
  key_ = *key;
  return std::nullopt;
}

void ClientAuth::sign(stun::Builder& b) const {
  b.add<stun::attr::Username>(username_);
  b.add<stun::attr::Realm>(realm_);
  b.add<stun::attr::Nonce>(nonce_);
  if (rfc8489_) {
    b.add_raw(static_cast<std::uint16_t>(stun::AttrType::password_algorithms), algorithms_);
    b.add<stun::attr::PasswordAlgorithm>({static_cast<std::uint16_t>(algorithm_), {}});
    b.add_message_integrity_sha256(key_.bytes());
  } else {
    b.add_message_integrity(key_.bytes());
  }
}

bool ClientAuth::verify(const stun::Message& response) const {
  if (!ready()) return false;
  if (response.has(stun::AttrType::message_integrity_sha256))
    return stun::verify_message_integrity_sha256(response, key_.bytes(), 16) == stun::Error::none;
  return stun::verify_message_integrity(response, key_.bytes()) == stun::Error::none;
}

}  // namespace peerhub::turn
