#include "turn/authenticate.hpp"

#include "stun/attributes.hpp"
#include "stun/integrity.hpp"
#include "turn/nonce.hpp"

namespace peerhub::turn {
namespace {

const stun::PasswordAlgorithmEntry kAlgorithms[] = {
    {static_cast<std::uint16_t>(stun::PasswordAlgorithm::sha256), {}},
    {static_cast<std::uint16_t>(stun::PasswordAlgorithm::md5), {}},
};

AuthResult fail(AuthError e) {
  AuthResult r;
  r.error = e;
  return r;
}

// §9.2.4, for a nonce with the "password algorithms" bit: PASSWORD-ALGORITHMS must repeat what the server
// offered and PASSWORD-ALGORITHM must be one of them; with neither attribute the algorithm is MD5.
std::optional<stun::PasswordAlgorithm> chosen_algorithm(const stun::Message& m) {
  const bool has_list = m.has(stun::AttrType::password_algorithms);
  const bool has_one = m.has(stun::AttrType::password_algorithm);
  if (!has_list && !has_one) return stun::PasswordAlgorithm::md5;
  if (!has_list || !has_one) return std::nullopt;
  const auto list = m.get<stun::attr::PasswordAlgorithms>();
  const auto one = m.get<stun::attr::PasswordAlgorithm>();
  if (!list || !one) return std::nullopt;
  std::size_t i = 0;
  for (const stun::PasswordAlgorithmEntry& e : *list) {
    if (i >= std::size(kAlgorithms) || !(e == kAlgorithms[i])) return std::nullopt;
    ++i;
  }
  if (i != std::size(kAlgorithms)) return std::nullopt;
  for (const auto& e : kAlgorithms)
    if (e == *one) return static_cast<stun::PasswordAlgorithm>(e.algorithm);
  return std::nullopt;
}

}  // namespace

std::span<const stun::PasswordAlgorithmEntry> server_password_algorithms() {
  return kAlgorithms;
}

AuthResult authenticate(const stun::Message& m, const stun::Address& client, const Now& now,
                        const AuthContext& context) {
  // §9.2.4 step 1: no integrity attribute — the challenge (401 with REALM, NONCE, PASSWORD-ALGORITHMS).
  const bool sha256 = m.has(stun::AttrType::message_integrity_sha256);
  if (!sha256 && !m.has(stun::AttrType::message_integrity)) return fail(AuthError::challenge);

  // Step 2: integrity without USERNAME (or USERHASH), REALM and NONCE is a bad request.
  const auto username = m.get<stun::attr::Username>();
  const auto userhash = m.get<stun::attr::Userhash>();
  const auto realm = m.get<stun::attr::Realm>();
  const auto nonce = m.get<stun::attr::Nonce>();
  if ((!username && !userhash) || !realm || !nonce) return fail(AuthError::bad_request);

  // Step 3: the nonce cookie asks for the PASSWORD-ALGORITHMS checks.
  stun::PasswordAlgorithm algorithm = stun::PasswordAlgorithm::md5;
  if (nonce_announces_password_algorithms(*nonce)) {
    const auto chosen = chosen_algorithm(m);
    if (!chosen) return fail(AuthError::bad_request);
    algorithm = *chosen;
  }

  // Step 4: a username (or userhash) this server knows. REST usernames carry their expiry.
  const std::optional<KnownUser> user =
      username ? context.users.find(*username, now.unix_s) : context.users.find_userhash(*userhash);
  if (!user) return fail(AuthError::unauthenticated);

  // Step 5: the integrity, with the key of the chosen algorithm and this server's realm (a client that used
  // another realm fails here).
  auto key = stun::long_term_key(user->username, context.realm, user->password(), algorithm);
  if (!key) return fail(AuthError::unauthenticated);
  const stun::Error check = sha256 ? stun::verify_message_integrity_sha256(m, key->bytes())
                                   : stun::verify_message_integrity(m, key->bytes());
  if (check != stun::Error::none) return fail(AuthError::unauthenticated);

  // Step 6: only now is a stale nonce worth telling (it proves nothing about the credentials).
  if (!nonce_valid(context.nonce_key, client, *nonce, now.steady)) return fail(AuthError::stale_nonce);

  AuthResult r;
  r.ok = Authenticated{*user, *key, sha256};
  return r;
}

}  // namespace peerhub::turn
