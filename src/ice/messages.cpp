// The STUN messages the agent writes (RFC 8445 §7.1.1, §7.3.1; RFC 8489 §14). Connectivity checks and
// their answers carry MESSAGE-INTEGRITY with the short-term key (the password as it is, RFC 8445 §7.1.2)
// and FINGERPRINT (§7: mandatory, it tells ICE's STUN apart from the application's packets).
#include <vector>

#include "ice/agent_impl.hpp"
#include "stun/builder.hpp"

namespace peerhub::ice {

std::span<const std::uint8_t> key_bytes(std::string_view password) {
  return {reinterpret_cast<const std::uint8_t*>(password.data()), password.size()};
}

std::vector<std::uint8_t> Agent::Impl::check_request(const stun::TransactionId& id, std::string_view username,
                                                     std::uint32_t priority, bool use_candidate,
                                                     std::string_view key) const {
  std::vector<std::uint8_t> out;
  stun::Builder b(out, stun::Method::binding, stun::Class::request, id);
  b.add<stun::attr::Username>(username);
  b.add<stun::attr::Priority>(priority);
  // RFC 8445 §7.1.3: the role and the tie-breaker in every check.
  if (role == Role::controlling)
    b.add<stun::attr::IceControlling>(tie_breaker);
  else
    b.add<stun::attr::IceControlled>(tie_breaker);
  if (use_candidate) b.add<stun::attr::UseCandidate>(stun::Empty{});
  b.add_message_integrity(key_bytes(key));
  b.add_fingerprint();
  if (!b.ok()) return {};
  return out;
}

std::vector<std::uint8_t> binding_request(const stun::TransactionId& id) {
  std::vector<std::uint8_t> out;
  stun::Builder b(out, stun::Method::binding, stun::Class::request, id);
  b.add_fingerprint();
  return out;
}

std::vector<std::uint8_t> binding_indication(const stun::TransactionId& id) {
  std::vector<std::uint8_t> out;
  stun::Builder b(out, stun::Method::binding, stun::Class::indication, id);
  b.add_fingerprint();
  return out;
}

std::vector<std::uint8_t> binding_success(const stun::TransactionId& id, const stun::Address& mapped,
                                          std::string_view key) {
  std::vector<std::uint8_t> out;
  stun::Builder b(out, stun::Method::binding, stun::Class::success, id);
  b.add<stun::attr::XorMappedAddress>(mapped);
  b.add_message_integrity(key_bytes(key));
  b.add_fingerprint();
  if (!b.ok()) return {};
  return out;
}

std::vector<std::uint8_t> binding_error(const stun::TransactionId& id, std::uint16_t code,
                                        std::string_view reason, std::string_view key) {
  std::vector<std::uint8_t> out;
  stun::Builder b(out, stun::Method::binding, stun::Class::error, id);
  b.add<stun::attr::ErrorCode>(stun::ErrorCodeValue{code, reason});
  // RFC 8489 §9.1.3: a 400 or 401 answer to a request whose credentials failed carries no integrity.
  if (!key.empty()) b.add_message_integrity(key_bytes(key));
  b.add_fingerprint();
  if (!b.ok()) return {};
  return out;
}

}  // namespace peerhub::ice
