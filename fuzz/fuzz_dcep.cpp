// Two things per input:
// 1. The input as a DCEP message: parse, read every field, and an OPEN must write back to the same bytes.
// 2. The input as damage to a real data channel session: two associations connect, open channels and pass
//    messages; every packet from b to a is first edited by the input (byte at offset ^= value), or, in the
//    other mode, the input's bytes are sent to a as chunks behind a valid common header. Checksums are
//    recomputed so usrsctp looks past them; a must neither crash nor break its bounds.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <deque>
#include <memory>
#include <span>
#include <variant>
#include <vector>

#include "sctp/association.hpp"
#include "sctp/dcep.hpp"
#include "sctp/usrsctp_library.hpp"

namespace {

using namespace peerhub;
using namespace peerhub::sctp;

void check_dcep(std::span<const std::uint8_t> input) {
  auto message = dcep::parse(input);
  if (!message) return;
  if (const auto* open = std::get_if<dcep::Open>(&*message)) {
    const auto r = dcep::reliability(open->channel_type, open->reliability_parameter);
    (void)r;
    auto bytes = dcep::write(*open);
    if (!bytes || bytes->size() != input.size() || !std::equal(bytes->begin(), bytes->end(), input.begin())) {
      std::abort();  // an OPEN that parses must write back byte for byte
    }
  }
}

// usrsctp's timer tick is process-wide and only moves forward: each session's clock starts after the last.
TimePoint next_epoch() {
  static int sessions = 0;
  return TimePoint{} + std::chrono::hours(2000) + std::chrono::minutes(10) * sessions++;
}

struct Session {
  std::unique_ptr<Association> a, b;
  TimePoint now = next_epoch();
  std::vector<std::uint8_t> last_b_header;  // ports + verification tag of a real b -> a packet
  std::size_t b_packets = 0;
  std::span<const std::uint8_t> edits;
  bool inject = false;

  void edit(std::vector<std::uint8_t>& packet) {
    // Edits are (packet number, offset high, offset low, xor) quadruples that apply to this packet.
    for (std::size_t i = 0; i + 4 <= edits.size(); i += 4) {
      if (edits[i] != b_packets % 256) continue;
      const std::size_t at = (std::size_t{edits[i + 1]} << 8) | edits[i + 2];
      if (at >= 12 && at < packet.size()) packet[at] ^= edits[i + 3];
    }
  }

  void drain() {
    for (int round = 0; round < 64; ++round) {
      bool moved = false;
      while (auto t = a->poll_transmit()) {
        moved = true;
        b->handle_datagram(now, t->bytes);
      }
      while (auto t = b->poll_transmit()) {
        moved = true;
        if (t->bytes.size() >= 12) last_b_header.assign(t->bytes.begin(), t->bytes.begin() + 8);
        if (!inject) {
          edit(t->bytes);
          stamp_checksum(t->bytes);
        }
        ++b_packets;
        a->handle_datagram(now, t->bytes);
      }
      while (auto e = a->poll_event()) {
        moved = true;
        if (auto* m = std::get_if<event::Message>(&*e)) (void)m->bytes.size();
      }
      while (b->poll_event())
        moved = true;
      if (!moved) return;
    }
  }

  void step(int times) {
    for (int i = 0; i < times; ++i) {
      now += std::chrono::milliseconds(10);
      a->handle_timeout(now);
      b->handle_timeout(now);
      drain();
    }
  }
};

void run_session(std::span<const std::uint8_t> input) {
  Config ac;
  ac.dtls_role = DtlsRole::client;
  ac.max_events = 64;
  ac.local_max_message_size = 64 * 1024;
  Config bc;
  bc.dtls_role = DtlsRole::server;
  bc.remote_max_message_size = 0;
  auto a = Association::create(ac);
  auto b = Association::create(bc);
  if (!a || !b) std::abort();
  Session s;
  s.a = std::move(a.value());
  s.b = std::move(b.value());
  s.inject = !input.empty() && (input[0] & 1) != 0;
  s.edits = input.empty() ? input : input.subspan(1);

  s.a->connect(s.now);
  s.b->connect(s.now);
  s.drain();
  ChannelOptions options;
  options.label = "fuzz";
  options.protocol = "p";
  auto from_b = s.b->open_channel(options);
  options.ordered = false;
  options.max_retransmits = 1;
  auto from_a = s.a->open_channel(options);
  s.step(3);
  const std::vector<std::uint8_t> message(3000, 0x5A);
  if (from_b) (void)s.b->send(*from_b, true, message);
  if (from_a) (void)s.a->send(*from_a, false, std::span(message).first(10));
  s.step(3);

  if (s.inject && s.last_b_header.size() == 8) {
    // A packet of our own chunks behind b's real ports and verification tag.
    std::vector<std::uint8_t> packet(s.last_b_header);
    packet.resize(12);
    packet.insert(packet.end(), s.edits.begin(), s.edits.end());
    stamp_checksum(packet);
    s.a->handle_datagram(s.now, packet);
    s.drain();
  }
  if (from_b) (void)s.b->close_channel(*from_b);
  s.step(20);
  if (from_a) (void)s.a->send(*from_a, true, message);
  s.a->close();
  s.step(20);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> input(data, size);
  check_dcep(input);
  if (size <= 4096) run_session(input);
  return 0;
}
