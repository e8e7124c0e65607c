// The value types of the attributes that are more than a number, an address or text (attributes.hpp), and
// the views over the two lists a received message may carry. Views point into the message's buffer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <span>
#include <string_view>

#include "stun/types.hpp"

namespace peerhub::stun {

using Bytes = std::span<const std::uint8_t>;

// The value of a flag attribute (USE-CANDIDATE, DONT-FRAGMENT): present or not, nothing inside.
struct Empty {
  bool operator==(const Empty&) const = default;
};

struct ErrorCodeValue {
  std::uint16_t code = 0;  // 300..699
  std::string_view reason;
  bool operator==(const ErrorCodeValue&) const = default;
};

struct AddressErrorCodeValue {  // RFC 8656 §18.12
  Family family = Family::ipv4;
  std::uint16_t code = 0;  // 440 or 508 in practice
  std::string_view reason;
  bool operator==(const AddressErrorCodeValue&) const = default;
};

struct IcmpValue {  // RFC 8656 §18.13
  std::uint8_t type = 0;
  std::uint8_t code = 0;
  std::uint32_t error_data = 0;
  bool operator==(const IcmpValue&) const = default;
};

struct PasswordAlgorithmEntry {  // RFC 8489 §14.11, §14.12
  std::uint16_t algorithm = 0;   // stun::PasswordAlgorithm, or an unassigned number
  Bytes parameters;              // empty for MD5 and SHA-256
  bool operator==(const PasswordAlgorithmEntry& other) const;
};

// UNKNOWN-ATTRIBUTES as received: a view over its 16-bit types.
class AttributeTypeList {
 public:
  AttributeTypeList() = default;
  explicit AttributeTypeList(Bytes raw) : raw_(raw) {}
  std::size_t size() const { return raw_.size() / 2; }
  std::uint16_t operator[](std::size_t i) const;

 private:
  Bytes raw_;
};

// PASSWORD-ALGORITHMS as received: a validated view; iterate it for the entries.
class PasswordAlgorithmList {
 public:
  class Iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = PasswordAlgorithmEntry;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = PasswordAlgorithmEntry;
    Iterator() = default;
    Iterator(Bytes raw, std::size_t at) : raw_(raw), at_(at) {}
    PasswordAlgorithmEntry operator*() const;
    Iterator& operator++();
    bool operator==(const Iterator& other) const { return at_ == other.at_; }

   private:
    Bytes raw_;
    std::size_t at_ = 0;
  };

  PasswordAlgorithmList() = default;
  explicit PasswordAlgorithmList(Bytes raw) : raw_(raw) {}
  Iterator begin() const { return {raw_, 0}; }
  Iterator end() const;
  bool contains(std::uint16_t algorithm) const;

 private:
  Bytes raw_;
};

}  // namespace peerhub::stun
