// SCTP Payload Protocol Identifiers of WebRTC data channels (RFC 8831 §8, RFC 8832 §8.1). The PPID is how the
// receiver tells DCEP from user data, and a string from binary; an empty message cannot be an empty SCTP
// message, so it travels as one byte under its own PPID.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace peerhub::sctp {

enum class Ppid : std::uint32_t {
  dcep = 50,
  string = 51,
  binary_partial = 52,  // deprecated (RFC 8831 §8): a message split across several SCTP messages
  binary = 53,
  string_partial = 54,  // deprecated, as above
  string_empty = 56,
  binary_empty = 57,
};

// What a user message with these bytes travels as.
constexpr Ppid user_ppid(bool binary, bool empty) {
  if (binary) return empty ? Ppid::binary_empty : Ppid::binary;
  return empty ? Ppid::string_empty : Ppid::string;
}

// What a received PPID means for user data: binary or not; nullopt (with words in `why`) when it is not user
// data this module delivers. The partial PPIDs were replaced by SCTP's own fragmentation and explicit
// end-of-record, and browsers no longer send them: they are refused by name rather than half-supported.
struct UserPayload {
  bool binary = false;
  bool empty = false;
};
std::optional<UserPayload> classify_user_ppid(std::uint32_t ppid, std::string* why);

}  // namespace peerhub::sctp
