// The client's half of STUN's long-term credential mechanism (RFC 8489 §9.2) for turn::Client: what a 401 or
// 438 teaches (REALM, NONCE, PASSWORD-ALGORITHMS), the attributes that sign a request, and the check of a
// response's integrity. The password stays in here: no error text ever contains it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "stun/builder.hpp"
#include "stun/credentials.hpp"
#include "stun/message.hpp"

namespace peerhub::turn {

class ClientAuth {
 public:
  ClientAuth(std::string username, std::string password)
      : username_(std::move(username)), password_(std::move(password)) {}

  // Realm, nonce and key are known: requests can be signed.
  bool ready() const { return key_.size != 0; }
  const std::string& nonce() const { return nonce_; }
  const std::string& realm() const { return realm_; }
  stun::PasswordAlgorithm algorithm() const { return algorithm_; }

  // Takes REALM, NONCE and PASSWORD-ALGORITHMS from a 401 or 438. nullopt when the request can be retried
  // with them, else why not, in words.
  std::optional<std::string> learn(const stun::Message& challenge);
  // USERNAME, REALM, NONCE, PASSWORD-ALGORITHMS + PASSWORD-ALGORITHM (when the server asked for them), and
  // MESSAGE-INTEGRITY-SHA256 (RFC 8489 servers) or MESSAGE-INTEGRITY.
  void sign(stun::Builder& b) const;
  // The response carries MESSAGE-INTEGRITY(-SHA256) that matches the key.
  bool verify(const stun::Message& response) const;

 private:
  std::string username_;
  std::string password_;
  std::string realm_;
  std::string nonce_;
  std::vector<std::uint8_t> algorithms_;  // PASSWORD-ALGORITHMS as the server sent it, echoed verbatim
  stun::PasswordAlgorithm algorithm_ = stun::PasswordAlgorithm::md5;
  bool rfc8489_ = false;  // the nonce cookie announced password algorithms
  stun::LongTermKey key_;
};

}  // namespace peerhub::turn
