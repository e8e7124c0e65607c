// IP literals and DNS names as they appear in listener addresses and certificate subjects.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace peerhub {

// An IPv4 ("192.0.2.1") or IPv6 ("::1", no brackets) literal as its 4 or 16 bytes in network order;
// nullopt when the text is not one. Names are never resolved here.
std::optional<std::vector<std::uint8_t>> parse_ip_address(std::string_view text);

// A DNS name fit for a certificate's subjectAltName (RFC 1035 §2.3.1 labels of letters, digits and '-',
// 1..63 bytes each, 253 in all; a leading "*." wildcard label is allowed, RFC 6125 §6.4.3).
bool is_dns_name(std::string_view text);

}  // namespace peerhub
