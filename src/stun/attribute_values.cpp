// The list views of attribute_values.hpp. decode_password_algorithms() (attributes.cpp) checks that the
// entries fit before it hands out a PasswordAlgorithmList; the walk still stays inside the bytes on its own,
// so a list made over anything else cannot read past them either.
#include "stun/attribute_values.hpp"

#include <algorithm>

#include "stun/wire.hpp"

namespace peerhub::stun {

bool PasswordAlgorithmEntry::operator==(const PasswordAlgorithmEntry& other) const {
  return algorithm == other.algorithm &&
         std::equal(parameters.begin(), parameters.end(), other.parameters.begin(), other.parameters.end());
}

std::uint16_t AttributeTypeList::operator[](std::size_t i) const {
  return wire::u16(raw_, 2 * i);
}

PasswordAlgorithmEntry PasswordAlgorithmList::Iterator::operator*() const {
  if (raw_.size() - at_ < 4) return {};
  const std::size_t length = std::min<std::size_t>(wire::u16(raw_, at_ + 2), raw_.size() - at_ - 4);
  return {wire::u16(raw_, at_), raw_.subspan(at_ + 4, length)};
}

// The last entry's padding may be the attribute's own, past the end of the value.
PasswordAlgorithmList::Iterator& PasswordAlgorithmList::Iterator::operator++() {
  if (raw_.size() - at_ < 4) {
    at_ = raw_.size();
  } else {
    at_ = std::min(raw_.size(), at_ + 4 + wire::padded(wire::u16(raw_, at_ + 2)));
  }
  return *this;
}

PasswordAlgorithmList::Iterator PasswordAlgorithmList::end() const {
  return {raw_, raw_.size()};
}

bool PasswordAlgorithmList::contains(std::uint16_t algorithm) const {
  return std::any_of(begin(), end(),
                     [&](const PasswordAlgorithmEntry& e) { return e.algorithm == algorithm; });
}

}  // namespace peerhub::stun
