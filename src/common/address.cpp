#include "common/address.hpp"

#include <arpa/inet.h>

#include <string>

namespace peerhub {

std::optional<std::vector<std::uint8_t>> parse_ip_address(std::string_view text) {
  const std::string copy(text);  // inet_pton needs a terminated string
  std::vector<std::uint8_t> bytes(16);
  if (inet_pton(AF_INET, copy.c_str(), bytes.data()) == 1) {
    bytes.resize(4);
    return bytes;
  }
  if (inet_pton(AF_INET6, copy.c_str(), bytes.data()) == 1) return bytes;
  return std::nullopt;
}

bool is_dns_name(std::string_view text) {
  if (text.starts_with("*.")) text.remove_prefix(2);
  if (text.empty() || text.size() > 253) return false;
  std::size_t label_length = 0;
  char previous = '.';
  for (char c : text) {
    if (c == '.') {
      if (label_length == 0 || previous == '-') return false;
      label_length = 0;
    } else {
      bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (!alnum && c != '-') return false;
      if (c == '-' && label_length == 0) return false;  // a label never starts with '-'
      if (++label_length > 63) return false;
    }
    previous = c;
  }
  return label_length > 0 && previous != '-';
}

}  // namespace peerhub
