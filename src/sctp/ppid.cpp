#include "sctp/ppid.hpp"

namespace peerhub::sctp {

std::optional<UserPayload> classify_user_ppid(std::uint32_t ppid, std::string* why) {
  switch (static_cast<Ppid>(ppid)) {
    case Ppid::string:
      return UserPayload{false, false};
    case Ppid::binary:
      return UserPayload{true, false};
    case Ppid::string_empty:
      return UserPayload{false, true};
    case Ppid::binary_empty:
      return UserPayload{true, true};
    case Ppid::string_partial:
    case Ppid::binary_partial:
      if (why)
        *why = "PPID " + std::to_string(ppid) + " (deprecated partial message, RFC 8831 §8) is not supported";
      return std::nullopt;
    case Ppid::dcep:
      if (why) *why = "PPID 50 is DCEP, not user data";
      return std::nullopt;
  }
  if (why) *why = "unknown PPID " + std::to_string(ppid);
  return std::nullopt;
}

}  // namespace peerhub::sctp
