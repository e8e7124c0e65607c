// RFC 4648 §4: every 3 input bytes become 4 characters of a 64-letter alphabet; a short last group is padded
// with "=" (§4 cases 2 and 3).
#include "ws/base64.hpp"

namespace peerhub::ws::detail {

std::string base64_encode(std::span<const unsigned char> data) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const std::size_t n = data.size();
  std::string out;
  out.reserve((n + 2) / 3 * 4);
  for (std::size_t i = 0; i < n; i += 3) {
    const std::size_t left = n - i;
    unsigned group = unsigned{data[i]} << 16;
    if (left > 1) group |= unsigned{data[i + 1]} << 8;
    if (left > 2) group |= data[i + 2];
    out.push_back(kAlphabet[(group >> 18) & 63]);
    out.push_back(kAlphabet[(group >> 12) & 63]);
    out.push_back(left > 1 ? kAlphabet[(group >> 6) & 63] : '=');
    out.push_back(left > 2 ? kAlphabet[group & 63] : '=');
  }
  return out;
}

}  // namespace peerhub::ws::detail
