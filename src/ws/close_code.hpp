// Which close codes may appear on the wire (RFC 6455 §7.4). Internal to the ws module.
#pragma once

#include <cstdint>

namespace peerhub::ws::detail {

// §7.4.1: 1005 "MUST NOT be set as a status code in a Close control frame"; the parser reports it for a close
// frame without a body.
inline constexpr std::uint16_t kNoStatus = 1005;

// §7.4.2: 0-999 are unused, 1000-2999 are this protocol's (only the defined ones are valid; 1004, 1005, 1006
// and 1015 never go on the wire), 3000-4999 belong to libraries and applications. 1012-1014 were added to the
// IANA registry after the RFC.
constexpr bool valid_close_code(std::uint16_t code) {
  if (code >= 3000 && code <= 4999) return true;
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014);
}

}  // namespace peerhub::ws::detail
