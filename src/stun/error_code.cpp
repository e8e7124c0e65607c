// Reason phrases as the IANA "STUN Error Codes" registry recommends them.
#include "stun/error_code.hpp"

namespace peerhub::stun {

std::string_view reason_phrase(std::uint16_t code) {
  switch (code) {
    case kTryAlternate:
      return "Try Alternate";
    case kBadRequest:
      return "Bad Request";
    case kUnauthenticated:
      return "Unauthenticated";  // "Unauthorized" before RFC 8489
    case kForbidden:
      return "Forbidden";
    case kUnknownAttribute:
      return "Unknown Attribute";
    case kAllocationMismatch:
      return "Allocation Mismatch";
    case kStaleNonce:
      return "Stale Nonce";
    case kAddressFamilyNotSupported:
      return "Address Family not Supported";
    case kWrongCredentials:
      return "Wrong Credentials";
    case kUnsupportedTransportProtocol:
      return "Unsupported Transport Protocol";
    case kPeerAddressFamilyMismatch:
      return "Peer Address Family Mismatch";
    case kConnectionAlreadyExists:
      return "Connection Already Exists";
    case kConnectionTimeoutOrFailure:
      return "Connection Timeout or Failure";
    case kAllocationQuotaReached:
      return "Allocation Quota Reached";
    case kRoleConflict:
      return "Role Conflict";
    case kServerError:
      return "Server Error";
    case kInsufficientCapacity:
      return "Insufficient Capacity";
    default:
      return "";
  }
}

}  // namespace peerhub::stun
