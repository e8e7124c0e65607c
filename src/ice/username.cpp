#include "ice/username.hpp"

#include "stun/attributes.hpp"
#include "stun/message.hpp"

namespace peerhub::ice {

std::optional<std::string> binding_request_local_ufrag(std::span<const std::uint8_t> datagram) {
  if (!stun::looks_like_stun(datagram)) return std::nullopt;
  const stun::Result<stun::Message> m = stun::Message::parse(datagram);
  if (!m || m->method() != stun::Method::binding || m->cls() != stun::Class::request) return std::nullopt;
  const stun::Result<std::string_view> username = m->get<stun::attr::Username>();
  if (!username) return std::nullopt;
  const std::size_t colon = username->find(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  return std::string(username->substr(0, colon));
}

}  // namespace peerhub::ice
