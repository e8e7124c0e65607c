// libFuzzer target for the STUN codec (src/stun): messages, attributes, integrity, ChannelData and framing.
//
// Input: raw bytes, as they would arrive in one UDP datagram or on a TCP stream. They are
//   1. parsed as a STUN message; every attribute the receiver processes is read through its typed accessor,
//      MESSAGE-INTEGRITY(-SHA256) and FINGERPRINT are checked (with kKey), and the message is rebuilt with
//      the Builder (typed values where they decode, raw bytes otherwise, integrity with kKey). The rebuilt
//      message must parse, hold the same attributes in the same order with the same values, and verify;
//   2. parsed as ChannelData over UDP and over a stream; a message that parses is written again and must
//   parse
//      back to the same channel and data;
//   3. cut as a TCP stream by next_frame(), each frame parsed by the parser it names.
// Seeds (fuzz/corpus/fuzz_stun/): RFC 5769's four samples; an Allocate request with the TURN attributes and a
// Binding success signed with kKey (MESSAGE-INTEGRITY, -SHA256 truncated to 24, FINGERPRINT); an error
// response with ERROR-CODE, UNKNOWN-ATTRIBUTES, PASSWORD-ALGORITHMS, NONCE and REALM; ChannelData with and
// without padding; a TCP stream of STUN and ChannelData frames back to back.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>
#include <vector>

#include "stun/attributes.hpp"
#include "stun/builder.hpp"
#include "stun/channel_data.hpp"
#include "stun/framing.hpp"
#include "stun/integrity.hpp"
#include "stun/message.hpp"

namespace {

using namespace peerhub::stun;

const std::uint8_t kKeyBytes[] = {'f', 'u', 'z', 'z', '-', 'k', 'e', 'y'};
const std::span<const std::uint8_t> kKey(kKeyBytes);

void check(bool ok) {
  if (!ok) std::abort();
}

bool is_computed(std::uint16_t type) {
  return type == static_cast<std::uint16_t>(AttrType::message_integrity) ||
         type == static_cast<std::uint16_t>(AttrType::message_integrity_sha256) ||
         type == static_cast<std::uint16_t>(AttrType::fingerprint);
}

// What the Builder takes for a decoded value: the value itself, or the list views copied out.
template <class V>
V to_value(const V& v) {
  return v;
}
std::vector<std::uint16_t> to_value(const AttributeTypeList& list) {
  std::vector<std::uint16_t> out;
  for (std::size_t i = 0; i < list.size(); ++i)
    out.push_back(list[i]);
  return out;
}
std::vector<PasswordAlgorithmEntry> to_value(const PasswordAlgorithmList& list) {
  return {list.begin(), list.end()};
}

template <class V>
bool same(const V& a, const V& b) {
  return to_value(a) == to_value(b);
}
bool same(Bytes a, Bytes b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end());
}

// Uses a decoded value the way a caller would, so the sanitizers see every byte it points at.
template <class V>
void touch(const V&) {}
void touch(const Address& a) {
  check(!to_string(a).empty());
}
void touch(std::string_view s) {
  check(std::string(s).size() == s.size());
}
void touch(Bytes b) {
  unsigned sum = 0;
  for (const std::uint8_t x : b)
    sum += x;
  check(sum <= 255U * b.size());
}
void touch(const ErrorCodeValue& e) {
  check(e.code >= 300 && e.code <= 699);
  touch(e.reason);
}
void touch(const PasswordAlgorithmList& list) {
  for (const PasswordAlgorithmEntry& e : list)
    touch(e.parameters);
}

// Adds `a` to `b` as its typed value when it decodes and may be written, as raw bytes otherwise.
void add_again(const Attribute& a, const Message& m, Builder& b) {
  bool added = false;
  visit_attribute_type(a.type, [&](auto traits) {
    using A = decltype(traits);
    const auto v = A::decode(a.value, m.transaction_id());
    if (!v) return;
    touch(*v);
    if constexpr (Writable<A>) {
      const auto value = to_value(*v);
      if (!A::size(value)) return;  // e.g. a 600-byte USERNAME: readable, but over the limit for sending
      b.add<A>(value);
      added = true;
    }
  });
  if (!added) b.add_raw(a.type, a.value);
}

// The same attribute read from the original and from the rebuilt message must give the same value.
void compare(const Attribute& x, const Message& mx, const Attribute& y, const Message& my) {
  check(x.type == y.type);
  const bool known = visit_attribute_type(x.type, [&](auto traits) {
    using A = decltype(traits);
    const auto vx = A::decode(x.value, mx.transaction_id());
    const auto vy = A::decode(y.value, my.transaction_id());
    check(vx.ok() == vy.ok());
    if (vx.ok()) check(same(*vx, *vy));
    if (!vx.ok()) check(vx.error() == vy.error());
  });
  if (!known) check(same(x.value, y.value));
}

void stun_message(std::span<const std::uint8_t> bytes) {
  const auto parsed = Message::parse(bytes);
  if (!parsed) return;
  const Message& m = *parsed;
  check(looks_like_stun(bytes));
  check(m.bytes().size() == bytes.size());

  std::vector<Attribute> regular;
  for (const Attribute& a : m.attributes()) {
    check(a.offset + 4 + a.value.size() <= bytes.size());
    if (!is_computed(a.type)) regular.push_back(a);
  }
  const UnknownTypes unknown = m.unknown_comprehension_required();
  for (std::uint16_t t : unknown.list())
    check(comprehension_required(t) && !is_known_attribute(t));
  const bool has_integrity = m.integrity_offset() != 0;
  const bool has_sha256 = m.integrity_sha256_offset() != 0;
  const bool has_fingerprint = m.fingerprint_offset() != 0;
  const Error integrity = verify_message_integrity(m, kKey);
  check(has_integrity || integrity == Error::no_integrity);
  const Error sha256 = verify_message_integrity_sha256(m, kKey, 16);
  check(has_sha256 || sha256 == Error::no_integrity);
  const Error fingerprint = verify_fingerprint(m);
  check(has_fingerprint || fingerprint == Error::no_fingerprint);

  std::vector<std::uint8_t> out;
  Builder b(out, m.method(), m.cls(), m.transaction_id());
  for (const Attribute& a : regular)
    add_again(a, m, b);
  std::size_t sha256_length = 0;
  if (has_integrity) b.add_message_integrity(kKey);
  if (has_sha256) {
    sha256_length = m.find(AttrType::message_integrity_sha256)->value.size();
    b.add_message_integrity_sha256(kKey, sha256_length);
  }
  if (has_fingerprint) b.add_fingerprint();
  check(b.ok());
  check(out.size() <= bytes.size());

  const auto again = Message::parse(out);
  check(again.ok());
  check(again->type() == m.type() && again->transaction_id() == m.transaction_id());
  check(again->ignored_attributes() == 0 && !again->bytes_after_fingerprint());
  std::vector<Attribute> rebuilt;
  for (const Attribute& a : again->attributes())
    if (!is_computed(a.type)) rebuilt.push_back(a);
  check(rebuilt.size() == regular.size());
  for (std::size_t i = 0; i < regular.size(); ++i)
    compare(regular[i], m, rebuilt[i], *again);
  check(verify_message_integrity(*again, kKey) == (has_integrity ? Error::none : Error::no_integrity));
  check(verify_message_integrity_sha256(*again, kKey, 16) ==
        (has_sha256 ? Error::none : Error::no_integrity));
  check(verify_fingerprint(*again) == (has_fingerprint ? Error::none : Error::no_fingerprint));
  if (has_sha256) check(again->find(AttrType::message_integrity_sha256)->value.size() == sha256_length);
}

void channel_data(std::span<const std::uint8_t> bytes, Transport transport) {
  const auto c = ChannelData::parse(bytes, transport);
  if (!c) return;
  check(valid_channel_number(c->channel()));
  check(c->data().size() + 4 <= bytes.size());
  check(looks_like_channel_data(bytes));
  std::vector<std::uint8_t> out(channel_data_size(c->data().size(), transport));
  const auto n = write_channel_data(out, c->channel(), c->data(), transport);
  check(n.ok() && *n == out.size());
  const auto back = ChannelData::parse(out, transport);
  check(back.ok() && back->channel() == c->channel() && same(back->data(), c->data()));
}

void stream(std::span<const std::uint8_t> bytes) {
  while (!bytes.empty()) {
    const Frame f = next_frame(bytes);
    if (f.kind == FrameKind::invalid) {
      check(f.error != Error::none);
      return;
    }
    check(f.size >= 4 && f.size <= kMaxFrameSize);
    if (f.kind == FrameKind::unknown || f.size > bytes.size()) return;  // would wait for more bytes
    const auto frame = bytes.first(f.size);
    if (f.kind == FrameKind::stun) {
      (void)Message::parse(frame);
    } else {
      // A whole frame as the framer cut it is always well padded; only the channel rules can refuse it.
      const auto c = ChannelData::parse(frame, Transport::stream);
      check(c.ok());
    }
    bytes = bytes.subspan(f.size);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> bytes(data, size);
  stun_message(bytes);
  channel_data(bytes, Transport::udp);
  channel_data(bytes, Transport::stream);
  stream(bytes);
  return 0;
}
