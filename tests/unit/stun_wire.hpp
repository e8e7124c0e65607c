// Hand-made STUN bytes for the tests: a header and attributes put together with any length, right or wrong.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <vector>

namespace peerhub::stun::test {

using Wire = std::vector<std::uint8_t>;

inline void put16(Wire& w, unsigned v) {
  w.push_back(static_cast<std::uint8_t>(v >> 8));
  w.push_back(static_cast<std::uint8_t>(v));
}

// One attribute: type, length (the value's size unless given), value, zero padding to 4.
inline Wire attribute(std::uint16_t type, Wire value, std::optional<std::uint16_t> length = std::nullopt) {
  Wire w;
  put16(w, type);
  put16(w, length.value_or(static_cast<std::uint16_t>(value.size())));
  w.insert(w.end(), value.begin(), value.end());
  while (w.size() % 4 != 0)
    w.push_back(0);
  return w;
}

// A message of `type` with transaction id 1..12 and the attributes given, its length field set to their size
// unless given.
inline Wire message(std::uint16_t type, std::initializer_list<Wire> attributes,
                    std::optional<std::uint16_t> length = std::nullopt) {
  Wire body;
  for (const Wire& a : attributes)
    body.insert(body.end(), a.begin(), a.end());
  Wire w;
  put16(w, type);
  put16(w, length.value_or(static_cast<std::uint16_t>(body.size())));
  w.insert(w.end(), {0x21, 0x12, 0xA4, 0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
  w.insert(w.end(), body.begin(), body.end());
  return w;
}

}  // namespace peerhub::stun::test
