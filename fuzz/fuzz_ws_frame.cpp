// libFuzzer target for the WebSocket frame parser (src/ws/frame.hpp).
//
// Input: byte 0 picks the limits and the chunking seed, the rest is the wire. It is parsed by a server parser
// and a client parser, once in one piece and once in pseudo-random chunks; both runs must give the same
// events. Every event must respect the parser's promises, and every message re-encoded with append_frame
// (whole and fragmented) must parse back to the same payload.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "ws/frame.hpp"

namespace {

using peerhub::ws::Event;
using peerhub::ws::Opcode;
using peerhub::ws::Parser;
using peerhub::ws::Role;

struct Got {
  Event::Kind kind;
  std::string payload;
  std::uint16_t code;
  std::string reason;
  bool operator==(const Got&) const = default;
};

void check(bool ok) {
  if (!ok) std::abort();
}

// Feeds `wire` (a copy: the parser unmasks in place) in chunks drawn from `seed`; 0 = one piece.
std::vector<Got> run(Role role, std::size_t max, std::string wire, std::uint32_t seed) {
  Parser parser(role, max);
  std::vector<Got> got;
  bool failed = false;
  auto sink = [&](const Event& e) {
    check(!failed);  // nothing after an error
    if (e.kind == Event::Kind::text) check(peerhub::ws::valid_utf8(e.payload));
    if (e.kind == Event::Kind::text || e.kind == Event::Kind::binary) check(e.payload.size() <= max);
    if (e.kind == Event::Kind::ping || e.kind == Event::Kind::pong) check(e.payload.size() <= 125);
    if (e.kind == Event::Kind::close) check(e.payload.size() <= 125 && peerhub::ws::valid_utf8(e.reason));
    if (e.kind == Event::Kind::error) {
      failed = true;
      check(e.code == peerhub::ws::kProtocolError || e.code == peerhub::ws::kInvalidPayload);
    }
    got.push_back({e.kind, std::string(e.payload), e.code, std::string(e.reason)});
  };
  std::size_t at = 0;
  while (at < wire.size()) {
    std::size_t n = wire.size() - at;
    if (seed != 0) {
      seed = seed * 1103515245U + 12345U;
      n = std::min<std::size_t>(n, (seed >> 16) % 23 + 1);
    }
    const bool ok = parser.feed(std::span<char>(wire.data() + at, n), sink);
    check(ok == !failed);
    if (!ok) break;
    at += n;
  }
  return got;
}

// Re-encodes one message the way the peer of `role` would send it and parses it back.
void round_trip(Role role, std::size_t max, const Got& g, std::uint32_t key) {
  Opcode op = Opcode::binary;
  if (g.kind == Event::Kind::text) op = Opcode::text;
  if (g.kind == Event::Kind::ping) op = Opcode::ping;
  if (g.kind == Event::Kind::pong) op = Opcode::pong;
  if (g.kind == Event::Kind::close) op = Opcode::close;
  const std::uint32_t mask = role == Role::server ? (key | 1U) : 0U;
  std::string whole;
  append_frame(whole, op, g.payload, mask);
  check(run(role, max, whole, 0) == std::vector<Got>{g});
  if (op != Opcode::text && op != Opcode::binary) return;
  // The same message in three fragments, with a ping between them (§5.4).
  const std::size_t cut1 = g.payload.size() / 3;
  const std::size_t cut2 = 2 * g.payload.size() / 3;
  std::string pieces;
  append_frame(pieces, op, std::string_view(g.payload).substr(0, cut1), mask, false);
  append_frame(pieces, Opcode::ping, "between", mask);
  append_frame(pieces, Opcode::continuation, std::string_view(g.payload).substr(cut1, cut2 - cut1), mask,
               false);
  append_frame(pieces, Opcode::continuation, std::string_view(g.payload).substr(cut2), mask);
  const std::vector<Got> back = run(role, max, pieces, key);
  check(back.size() == 2 && back[0].kind == Event::Kind::ping && back[1] == g);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  // Limits small enough for too_big to happen often, and sometimes large enough for 16-bit lengths.
  const std::size_t max = (data[0] & 0x80) != 0 ? 70000 : std::size_t{data[0] & 0x7fU} * 3;
  const std::uint32_t seed = data[0] | 0x100U;
  const std::string wire(reinterpret_cast<const char*>(data + 1), size - 1);
  for (Role role : {Role::server, Role::client}) {
    const std::vector<Got> one_piece = run(role, max, wire, 0);
    check(run(role, max, wire, seed) == one_piece);
    for (const Got& g : one_piece) {
      if (g.kind == Event::Kind::too_big || g.kind == Event::Kind::error) continue;
      round_trip(role, max, g, seed * 2654435761U);
    }
  }
  return 0;
}
