// A parsed STUN message (RFC 8489 §5, §14): a validated, non-owning view over the caller's buffer.
//
// Driving contract: the caller hands one datagram (or one frame cut by framing.hpp) to Message::parse(); the
// view reads straight from those bytes, so the buffer must outlive it. Nothing is copied or allocated.
// Typed values come from Message::get<attr::X>() (attributes.hpp); checks from integrity.hpp.
//
// What parse() guarantees: a 20-byte header with the two top bits zero, the magic cookie, a length that is a
// multiple of 4 and equal to the bytes after the header; every attribute it walks lies inside the buffer with
// its padding; MESSAGE-INTEGRITY is 20 bytes, MESSAGE-INTEGRITY-SHA256 16..32 bytes in steps of 4,
// FINGERPRINT 4 bytes. It checks no attribute's value: that happens when a value is read.
//
// Attributes the RFC tells a receiver to ignore are not seen by attributes(), find() and get():
// after MESSAGE-INTEGRITY everything but MESSAGE-INTEGRITY-SHA256 and FINGERPRINT (§14.5), after
// MESSAGE-INTEGRITY-SHA256 everything but FINGERPRINT (§14.6), and anything after FINGERPRINT (§14.7: it is
// the last attribute; the bytes after it are not even walked). So nothing that the integrity does not cover
// can reach the caller.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <span>
#include <vector>

#include "stun/types.hpp"

namespace peerhub::stun {

// One attribute as it is on the wire.
struct Attribute {
  std::uint16_t type = 0;
  std::span<const std::uint8_t> value;  // without padding
  std::size_t offset = 0;               // of the attribute's header, from the start of the message
};

// Comprehension-required attribute types a receiver did not understand, for a 420 answer's UNKNOWN-ATTRIBUTES
// (§6.3.1.1). Each type once; at most 16 are kept, which is plenty for the answer.
struct UnknownTypes {
  std::array<std::uint16_t, 16> types{};
  std::size_t count = 0;

  bool empty() const { return count == 0; }
  std::span<const std::uint16_t> list() const& { return {types.data(), count}; }
  // `for (t : m.unknown_comprehension_required().list())` would read a destroyed temporary (before C++23).
  std::span<const std::uint16_t> list() && = delete;
  void add(std::uint16_t type);
};

class Message;

// Walks the attributes a receiver must process (see the top of this file), in wire order.
class AttributeIterator {
 public:
  using iterator_category = std::forward_iterator_tag;
  using value_type = Attribute;
  using difference_type = std::ptrdiff_t;
  using pointer = void;
  using reference = Attribute;

  AttributeIterator() = default;
  Attribute operator*() const;
  AttributeIterator& operator++();
  AttributeIterator operator++(int) {
    AttributeIterator before = *this;
    ++*this;
    return before;
  }
  bool operator==(const AttributeIterator& other) const { return offset_ == other.offset_; }

 private:
  friend class Message;
  AttributeIterator(const Message* message, std::size_t offset) : message_(message), offset_(offset) {}
  void skip_ignored();

  const Message* message_ = nullptr;
  std::size_t offset_ = 0;
};

struct AttributeRange {
  AttributeIterator first;
  AttributeIterator last;
  AttributeIterator begin() const { return first; }
  AttributeIterator end() const { return last; }
};

class Message {
 public:
  // Validates the framing described at the top of this file.
  static Result<Message> parse(std::span<const std::uint8_t> bytes);
  // The view would outlive a temporary vector.
  static Result<Message> parse(std::vector<std::uint8_t>&&) = delete;

  std::uint16_t type() const { return type_; }
  Method method() const { return method_of(type_); }
  Class cls() const { return class_of(type_); }
  const TransactionId& transaction_id() const { return transaction_id_; }
  // The whole message, as given to parse().
  std::span<const std::uint8_t> bytes() const { return bytes_; }

  AttributeRange attributes() const;
  // The first attribute of that type, if any. TURN repeats XOR-PEER-ADDRESS in CreatePermission: iterate
  // attributes() for all of them.
  std::optional<Attribute> find(AttrType type) const;
  bool has(AttrType type) const { return find(type).has_value(); }

  // The typed value of the first attribute of A's type: Error::missing_attribute when there is none, or the
  // value's own error (see attributes.hpp).
  template <class A>
  Result<typename A::View> get() const {
    const std::optional<Attribute> a = find(A::type);
    if (!a) return Error::missing_attribute;
    return A::decode(a->value, transaction_id_);
  }

  // Where the integrity and fingerprint attributes the receiver honours start (their header's offset), or 0.
  std::size_t integrity_offset() const { return integrity_; }
  std::size_t integrity_sha256_offset() const { return integrity_sha256_; }
  std::size_t fingerprint_offset() const { return fingerprint_; }
  // How many walked attributes the RFC made us ignore, and whether bytes follow FINGERPRINT.
  std::size_t ignored_attributes() const { return ignored_; }
  bool bytes_after_fingerprint() const { return end_ < bytes_.size(); }

  // Comprehension-required attributes (type < 0x8000) among those processed that this codec does not know.
  UnknownTypes unknown_comprehension_required() const;
  // The same with the caller's idea of what it understands: understood(std::uint16_t type) -> bool. A TURN
  // server that does not implement DONT-FRAGMENT must list it in its 420 (RFC 8656 §7.2 step 4).
  template <class Understood>
  UnknownTypes unknown_comprehension_required(Understood&& understood) const {
    UnknownTypes out;
    for (const Attribute& a : attributes())
      if (comprehension_required(a.type) && !understood(a.type)) out.add(a.type);
    return out;
  }

 private:
  friend class AttributeIterator;
  Message() = default;
  bool ignored(std::size_t offset, std::uint16_t type) const;

  std::span<const std::uint8_t> bytes_;
  TransactionId transaction_id_{};
  std::uint16_t type_ = 0;
  std::uint16_t ignored_ = 0;
  std::uint32_t integrity_ = 0;
  std::uint32_t integrity_sha256_ = 0;
  std::uint32_t fingerprint_ = 0;
  std::uint32_t end_ = 0;  // where walking stopped: the end of the message, or just after FINGERPRINT
};

// A quick check before parse(), for demultiplexing (RFC 7983: first byte 0..3 is STUN): the top two bits,
// the magic cookie and a length that matches `bytes`. Attributes are not walked.
bool looks_like_stun(std::span<const std::uint8_t> bytes);

}  // namespace peerhub::stun
