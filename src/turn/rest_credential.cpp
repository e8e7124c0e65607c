// The login's TURN credentials: coturn's use-auth-secret scheme (draft-uberti-behave-turn-rest-00 §2.2),
// minted with the same rest_password() the core verifies them with.
#include <string>

#include "turn/rest_password.hpp"
#include "turn/server.hpp"

namespace peerhub::turn {

RestCredential rest_credential(std::string_view secret, std::string_view name, std::int64_t expires_unix) {
  RestCredential credential;
  // §2.2: "the username is the expiration timestamp, a colon, and the user id"; the timestamp is when the
  // credential stops working, in Unix seconds.
  credential.username = std::to_string(expires_unix) + ":" + std::string(name);
  if (const auto password = rest_password(secret, credential.username)) {
    credential.password.assign(password->begin(), password->end());
  }
  return credential;
}

}  // namespace peerhub::turn
