// libFuzzer target for the DTLS session (src/dtls): a server Session fed arbitrary datagrams.
//
// Input: one byte of options, then a sequence of chunks, each a 2-byte big-endian length and that many
// bytes (cut short at the end of the input). A chunk is one datagram for handle_datagram(); a chunk of
// length 0 instead advances the virtual clock by a second and calls handle_timeout(). Option bits:
//   bit 0: the remote fingerprint is known before the first datagram (else it comes after the last one);
//   bit 1: that fingerprint is the wrong one;
//   bit 2: MTU 300 instead of 1200.
// After every input, all transmits and events are drained; every transmit must fit the MTU, and the
// session must never report Connected (the fuzzer cannot sign with the client's key).
// The certificate is generated once per process. Seeds (fuzz/corpus/fuzz_dtls/): a real ClientHello; a
// client's whole second flight; both with timeouts between them; a client flight cut at odd places.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <variant>

#include "dtls/session.hpp"

namespace {

using namespace peerhub;
using namespace peerhub::dtls;

void check(bool ok) {
  if (!ok) std::abort();
}

const Certificate& server_certificate() {
  static const Certificate certificate = Certificate::generate(std::chrono::system_clock::now());
  return certificate;
}

const Fingerprint& some_fingerprint() {
  static const Fingerprint fingerprint =
      Certificate::generate(std::chrono::system_clock::now()).fingerprint();
  return fingerprint;
}

void drain(Session& session, std::size_t mtu) {
  while (auto transmit = session.poll_transmit())
    check(transmit->bytes.size() <= mtu);
  while (auto event = session.poll_event())
    check(!std::holds_alternative<Connected>(*event));
  (void)session.next_timeout();
  (void)session.max_application_data();
  std::uint8_t byte = 1;
  const SendResult result = session.send(std::span<const std::uint8_t>(&byte, 1));
  check(result == SendResult::not_connected);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t options = data[0];
  std::span<const std::uint8_t> input(data + 1, size - 1);

  Config config{.role = Role::server, .certificate = server_certificate()};
  config.mtu = (options & 4) != 0 ? 300 : 1200;
  config.max_events = 64;
  Session session(config);
  Fingerprint expected = some_fingerprint();
  if ((options & 2) != 0) expected.value[0] ^= 0xFF;

  TimePoint now{std::chrono::hours(1)};
  session.start(now);
  if ((options & 1) != 0) session.set_remote_fingerprint(expected);

  int steps = 0;
  while (input.size() >= 2 && steps++ < 64) {
    const std::size_t length = (std::size_t{input[0]} << 8) | input[1];
    input = input.subspan(2);
    if (length == 0) {
      now += std::chrono::seconds(1);
      session.handle_timeout(now);
    } else {
      const std::size_t n = length < input.size() ? length : input.size();
      session.handle_datagram(now, input.first(n));
      input = input.subspan(n);
    }
    drain(session, config.mtu);
  }
  if ((options & 1) == 0) session.set_remote_fingerprint(expected);
  drain(session, config.mtu);
  session.close(now);
  drain(session, config.mtu);
  return 0;
}
