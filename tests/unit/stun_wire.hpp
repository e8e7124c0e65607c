// Hand-made STUN bytes for the tests: a header and attributes put together with any length, right or wrong.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <vector>

namespace peerhub::stun::test {

using Wire = std::vector<std::uint8_t>;

// One attribute: type, length (the value's size unless given), value, zero padding to 4.
inline Wire attribute(std::uint16_t type, const Wire& value,
                      std::optional<std::uint16_t> length = std::nullopt) {
  const std::uint16_t n = length.value_or(static_cast<std::uint16_t>(value.size()));
  Wire w((4 + value.size() + 3) / 4 * 4, 0);
  w[0] = static_cast<std::uint8_t>(type >> 8);
  w[1] = static_cast<std::uint8_t>(type);
  w[2] = static_cast<std::uint8_t>(n >> 8);
  w[3] = static_cast<std::uint8_t>(n);
  std::copy(value.begin(), value.end(), w.begin() + 4);
  return w;
}

// A message of `type` with transaction id 1..12 and the attributes given, its length field set to their size
// unless given.
inline Wire message(std::uint16_t type, std::initializer_list<Wire> attributes,
                    std::optional<std::uint16_t> length = std::nullopt) {
  Wire body;
  for (const Wire& a : attributes)
    body.insert(body.end(), a.begin(), a.end());
  const std::uint16_t n = length.value_or(static_cast<std::uint16_t>(body.size()));
  Wire w(20 + body.size(), 0);
  w[0] = static_cast<std::uint8_t>(type >> 8);
  w[1] = static_cast<std::uint8_t>(type);
  w[2] = static_cast<std::uint8_t>(n >> 8);
  w[3] = static_cast<std::uint8_t>(n);
  const std::uint8_t cookie[] = {0x21, 0x12, 0xA4, 0x42};
  std::copy(std::begin(cookie), std::end(cookie), w.begin() + 4);
  for (std::size_t i = 0; i < 12; ++i)
    w[8 + i] = static_cast<std::uint8_t>(i + 1);
  std::copy(body.begin(), body.end(), w.begin() + 20);
  return w;
}

}  // namespace peerhub::stun::test
