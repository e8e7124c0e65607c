// The ERROR-CODE values STUN, TURN and ICE answer with, and their recommended reason phrases.
#pragma once

#include <cstdint>
#include <string_view>

namespace peerhub::stun {

enum ErrorCode : std::uint16_t {
  kTryAlternate = 300,               // RFC 8489 §14.8
  kBadRequest = 400,                 //
  kUnauthenticated = 401,            //
  kForbidden = 403,                  // RFC 8656 §19
  kUnknownAttribute = 420,           // RFC 8489 §14.8
  kAllocationMismatch = 437,         // RFC 8656 §19
  kStaleNonce = 438,                 // RFC 8489 §14.8
  kAddressFamilyNotSupported = 440,  // RFC 8656 §19
  kWrongCredentials = 441,           //
  kUnsupportedTransportProtocol = 442,
  kPeerAddressFamilyMismatch = 443,   //
  kConnectionAlreadyExists = 446,     // RFC 6062 §6.3
  kConnectionTimeoutOrFailure = 447,  //
  kAllocationQuotaReached = 486,      // RFC 8656 §19
  kRoleConflict = 487,                // RFC 8445 §16.2
  kServerError = 500,                 // RFC 8489 §14.8
  kInsufficientCapacity = 508,        // RFC 8656 §19
};

// The recommended reason phrase ("Stale Nonce"), or "" for a code not listed above.
std::string_view reason_phrase(std::uint16_t code);

}  // namespace peerhub::stun
