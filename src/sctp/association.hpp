// A WebRTC data channel association (RFC 8831): SCTP (usrsctp) carried in DTLS, with DCEP (RFC 8832) to open
// channels. Sans-IO: the caller owns the sockets, DTLS and the clock.
//
// Driving contract (one thread drives one Association):
//   connect(now)                    both peers call it (RFC 8841: SCTP simultaneous open, whatever the
//                                   DTLS roles); packets that arrive earlier are kept and fed after it.
//   handle_datagram(now, bytes)     an SCTP packet that came out of DTLS.
//   poll_transmit()                 SCTP packets to put into DTLS, until nullopt.
//   poll_event()                    Connected, ChannelOpen, Message, ..., until nullopt.
//   handle_timeout(now)             when next_timeout() is reached.
//   next_timeout()                  10 ms ahead while a usrsctp timer may be due, 1 s when idle (see "time").
// After every input (including send/open_channel/close_channel/close), drain poll_transmit and poll_event.
// usrsctp runs without threads (usrsctp_library.hpp) and calls nothing back but its packet output: after
// every input this object reads the socket with non-blocking usrsctp_recvv until it would block (no upcall)
// and retries its queued sends, all on the caller's thread. When the caller leaves Config::max_events
// unread, reading stops, SCTP's receive window closes and the peer slows down; poll_event() resumes it.
//
// Time: what is virtual and what is not.
//   Virtual: every usrsctp timer (retransmission, delayed SACK, heartbeat, shutdown, stream reset) runs on
//     usrsctp's tick, which moves only when an association passes `now` (usrsctp_library.hpp). usrsctp cannot
//     say when its next timer is due, so next_timeout() asks for a call every 10 ms (the granularity of
//     usrsctp's own timer thread) while one may be: during the handshake, shutdown or a stream reset, while
//     data is unacknowledged or queued, and for 1 s after any packet in or out (delayed SACK). An idle
//     association asks once a second (only its 10 s heartbeat is left). The tick is shared by all
//     associations in the process, so a timer of an idle one may fire inside another's handle_timeout; its
//     packet then waits in its outbox until its own next call.
//   Real: usrsctp measures RTT, stamps max_lifetime_ms (PR-SCTP timed reliability) and cookie lifetimes with
//     the machine's clock. On a virtual clock that runs faster than real time the RTT looks near zero (so RTO
//     sits at its 200 ms floor) and a timed channel's lifetime passes in real, not virtual, milliseconds.
//   Randomness (verification tags, initial TSNs) is usrsctp's own.
//
// Buffering: send() hands a message to usrsctp at once when its send buffer has room; otherwise the message
// waits in this object's queue (bounded by Config::send_buffer_limit) and is handed over as SACKs free space.
// buffered_amount(id) counts the bytes waiting in that queue. usrsctp's own send buffer
// (Config::sctp_send_buffer) sits under it and is not counted: like libdatachannel, "buffered" means "not yet
// accepted by SCTP".
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "sctp/events.hpp"
#include "sctp/result.hpp"

namespace peerhub::sctp {

// RFC 8832 §6: the DTLS client uses even stream ids for the channels it opens, the server odd ones.
enum class DtlsRole : std::uint8_t { client, server };

struct Config {
  std::uint16_t local_port = 5000;   // a=sctp-port (RFC 8841 §5)
  std::uint16_t remote_port = 5000;  //
  // a=max-message-size (RFC 8841 §6): the largest message we accept (advertise this in our SDP), and the
  // largest the peer accepts (from its SDP; 65536 when the attribute is absent, 0 means "no limit").
  std::size_t local_max_message_size = 1024 * 1024;
  std::size_t remote_max_message_size = 65536;
  DtlsRole dtls_role = DtlsRole::client;
  // Bytes accepted by send() but not yet by SCTP, over all channels; send() refuses past it.
  std::size_t send_buffer_limit = 16 * 1024 * 1024;
  // usrsctp's socket buffers: the send buffer bounds the bytes in flight plus unsent in SCTP, and is also the
  // largest message that can be sent (a message enters it whole); the receive buffer is the window offered
  // to the peer. Larger than usrsctp's 256 KiB defaults, which cap throughput at realistic RTTs.
  std::size_t sctp_send_buffer = 2 * 1024 * 1024;
  std::size_t sctp_receive_buffer = 2 * 1024 * 1024;
  // Streams asked for in INIT, both directions; channel ids are below this (and below what the peer grants).
  std::uint16_t max_channels = 1024;
  // The largest SCTP packet handed to DTLS. No path MTU discovery over DTLS (RFC 8261 §5 asks for a safe
  // value instead): 1280 (IPv6's minimum) - 40 (IPv6) - 8 (UDP) - 37 (a DTLS 1.2 AES-GCM record) = 1195,
  // rounded down so chunks stay 4-byte aligned.
  std::uint16_t mtu = 1188;
  // Bounds on what waits for the caller: events (messages included) and their bytes, and packets.
  std::size_t max_events = 1024;
  std::size_t max_event_bytes = 8 * 1024 * 1024;
  std::size_t max_transmits = 4096;
};

struct ChannelOptions {
  std::string label;
  std::string protocol;
  bool ordered = true;
  std::optional<std::uint16_t> max_retransmits;  // at most one of these two (W3C createDataChannel)
  std::optional<std::uint32_t> max_lifetime_ms;  //
  std::optional<std::uint16_t> negotiated_id;    // agreed out of band: no DCEP, same id on both sides
  std::uint16_t priority = 256;                  // RFC 8832 §5.1, carried in DCEP (not yet used to schedule)
};

struct Transmit {
  std::vector<std::uint8_t> bytes;  // one SCTP packet
};

enum class State : std::uint8_t { idle, connecting, connected, closing, closed, failed };

class Association {
 public:
  // Errors (words): usrsctp refused a socket option (a broken build of the library).
  static Result<std::unique_ptr<Association>> create(Config config);
  ~Association();
  Association(const Association&) = delete;
  Association& operator=(const Association&) = delete;

  void connect(TimePoint now);
  void handle_datagram(TimePoint now, std::span<const std::uint8_t> bytes);
  void handle_timeout(TimePoint now);
  std::optional<Transmit> poll_transmit();
  std::optional<Event> poll_event();
  std::optional<TimePoint> next_timeout() const;
  State state() const;

  // Opens a channel: DCEP OPEN (unless negotiated) goes out at once, or when the association is up. The id
  // is usable immediately (RFC 8832 §6: messages sent before the ACK travel ordered, after the OPEN).
  // Errors: both max_retransmits and max_lifetime_ms, negotiated id taken or out of range, no free id,
  // label/protocol over 65535 bytes, association closed.
  Result<std::uint16_t> open_channel(const ChannelOptions& options);

  // Errors: unknown or closing channel, message over max_message_size(), send buffer limit reached,
  // association closed.
  Result<void> send(std::uint16_t id, bool binary, std::span<const std::uint8_t> bytes);

  // RFC 8831 §6.7: reset the outgoing stream once the channel's queued messages are out; the peer resets its
  // own, and both sides get ChannelClosed. Errors: unknown channel.
  Result<void> close_channel(std::uint16_t id);

  std::size_t buffered_amount(std::uint16_t id) const;
  void set_buffered_amount_low_threshold(std::uint16_t id, std::size_t bytes);

  // The peer's a=max-message-size, when it is learned after construction (0: no limit).
  void set_remote_max_message_size(std::size_t bytes);
  // The largest message send() accepts: the peer's limit, capped by Config::sctp_send_buffer.
  std::size_t max_message_size() const;

  // Graceful SCTP SHUTDOWN: what SCTP already holds is delivered first, messages still waiting in our own
  // queue (buffered_amount) are dropped; Closed follows when the SHUTDOWN completes.
  void close();
  // ABORT at once; Closed follows.
  void abort();

  struct Impl;

 private:
  explicit Association(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace peerhub::sctp
