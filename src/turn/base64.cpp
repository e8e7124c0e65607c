#include "turn/base64.hpp"

#include <array>

namespace peerhub::turn {
namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::array<std::int8_t, 256> make_reverse() {
  std::array<std::int8_t, 256> r{};
  for (auto& x : r)
    x = -1;
  for (std::size_t i = 0; i < kAlphabet.size(); ++i)
    r[static_cast<std::uint8_t>(kAlphabet[i])] = static_cast<std::int8_t>(i);
  return r;
}
constexpr std::array<std::int8_t, 256> kReverse = make_reverse();

}  // namespace

void encode_base64(std::span<const std::uint8_t> in, char* out) {
  std::size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    const std::uint32_t v = (std::uint32_t{in[i]} << 16) | (std::uint32_t{in[i + 1]} << 8) | in[i + 2];
    *out++ = kAlphabet[(v >> 18) & 63];
    *out++ = kAlphabet[(v >> 12) & 63];
    *out++ = kAlphabet[(v >> 6) & 63];
    *out++ = kAlphabet[v & 63];
  }
  const std::size_t rest = in.size() - i;
  if (rest == 0) return;
  const std::uint32_t v = (std::uint32_t{in[i]} << 16) | (rest == 2 ? std::uint32_t{in[i + 1]} << 8 : 0U);
  *out++ = kAlphabet[(v >> 18) & 63];
  *out++ = kAlphabet[(v >> 12) & 63];
  *out++ = rest == 2 ? kAlphabet[(v >> 6) & 63] : '=';
  *out++ = '=';
}

std::string base64(std::span<const std::uint8_t> in) {
  std::string out(base64_size(in.size()), '\0');
  encode_base64(in, out.data());
  return out;
}

bool decode_base64(std::string_view text, std::span<std::uint8_t> out) {
  if (text.size() != base64_size(out.size())) return false;
  std::size_t o = 0;
  for (std::size_t i = 0; i < text.size(); i += 4) {
    std::uint32_t v = 0;
    std::size_t chars = 0;
    for (std::size_t k = 0; k < 4; ++k) {
      const char c = text[i + k];
      if (c == '=') break;
      const std::int8_t d = kReverse[static_cast<std::uint8_t>(c)];
      if (d < 0) return false;
      v |= static_cast<std::uint32_t>(d) << (18 - 6 * k);
      ++chars;
    }
    const std::size_t bytes = chars == 4 ? 3 : chars == 3 ? 2 : chars == 2 ? 1 : 0;
    if (bytes == 0 || o + bytes > out.size()) return false;
    for (std::size_t k = 0; k < bytes; ++k)
      out[o++] = static_cast<std::uint8_t>(v >> (16 - 8 * k));
    if (bytes < 3 && i + 4 != text.size()) return false;  // padding only at the end
  }
  return o == out.size();
}

}  // namespace peerhub::turn
