// WebSocket framing (RFC 6455 §5), sans-IO.
//
// Driving contract: the shell hands received bytes to Parser::feed() and gets complete events back through a
// callback; it writes frames built by append_frame() itself. Nothing here owns a socket, a clock or a thread.
// The parser keeps no buffer while it is between frames, so an idle connection costs only sizeof(Parser).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace peerhub::ws {

enum class Opcode : std::uint8_t { continuation = 0, text = 1, binary = 2, close = 8, ping = 9, pong = 10 };

// Which end we are: a server requires masked frames from its client (RFC 6455 §5.1); a client requires
// unmasked frames from its server.
enum class Role : std::uint8_t { server, client };

// Close codes of RFC 6455 §7.4.1 that the parser and the shell use.
enum CloseCode : std::uint16_t {
  kNormal = 1000,
  kGoingAway = 1001,
  kProtocolError = 1002,
  kUnsupportedData = 1003,
  kInvalidPayload = 1007,
  kPolicyViolation = 1008,
  kTooBig = 1009,
  kInternalError = 1011,
  kTryAgainLater = 1013,
};

struct Event {
  enum class Kind : std::uint8_t {
    text,    // a complete (reassembled) text message, valid UTF-8
    binary,  // a complete binary message
    ping,    // payload = ping data; the shell answers with a pong carrying the same payload
    pong,
    close,    // peer started or answered the closing handshake; code/reason parsed from the payload
    too_big,  // a message over max_message was announced; its payload is skipped, the connection stays usable
    error,    // fatal protocol error; the shell sends a close with `code` and drops the connection
  };
  Kind kind;
  std::string_view payload;  // valid only during the callback
  std::uint16_t code = 0;    // close / error / too_big: the close code (1005 when a close frame had none)
  std::string_view reason;   // close / error: human-readable reason
};

// A non-owning reference to the caller's sink, so the parser body can live in frame_parser.cpp.
class SinkRef {
 public:
  template <class Sink>
  explicit SinkRef(Sink& sink)
      : object_(const_cast<void*>(static_cast<const void*>(&sink))),
        call_([](void* o, const Event& e) { (*static_cast<Sink*>(o))(e); }) {}
  void operator()(const Event& e) const { call_(object_, e); }

 private:
  void* object_;
  void (*call_)(void*, const Event&);
};

class Parser {
 public:
  Parser(Role role, std::size_t max_message) : role_(role), max_message_(max_message) {}

  // Consumes all of `bytes` (unmasking in place, hence the mutable span) and calls sink(const Event&) for
  // every event completed by them. Returns false after an `error` event: the caller must close, and must not
  // feed again. Partial frames are kept inside the parser until the rest arrives.
  template <class Sink>
  bool feed(std::span<char> bytes, Sink&& sink) {
    return feed_ref(bytes, SinkRef(sink));
  }

  // True when no partial frame or message is held (no heap memory in use).
  bool idle() const { return stage_ == Stage::header && header_len_ == 0 && !in_message_; }

 private:
  enum class Stage : std::uint8_t { header, payload, skip, failed };
  static constexpr std::size_t kMaxHeader = 14;  // 2 + 8 (64-bit length) + 4 (mask key), §5.2

  bool feed_ref(std::span<char> bytes, SinkRef sink);
  std::size_t take_header(const char* p, std::size_t n, SinkRef sink);
  bool start_frame(const unsigned char* h, SinkRef sink);
  std::size_t take_payload(char* p, std::size_t n, SinkRef sink);
  bool finish_frame(std::string_view payload, SinkRef sink);
  bool deliver_control(std::string_view payload, SinkRef sink);
  bool deliver_message(std::string_view payload, SinkRef sink);
  bool fail(std::uint16_t code, std::string_view reason, SinkRef sink);
  void release_buffer();

  Role role_;
  Stage stage_ = Stage::header;
  Opcode frame_op_ = Opcode::continuation;  // of the frame being read
  Opcode message_op_ = Opcode::text;        // of the data message being reassembled
  bool frame_fin_ = false;
  bool in_message_ = false;        // a fragmented data message has started and not ended
  bool skipping_message_ = false;  // ... and it was too big: its remaining fragments are skipped
  std::uint8_t header_len_ = 0;    // bytes of a split header held in header_
  std::uint8_t mask_[4] = {};
  std::uint8_t header_[kMaxHeader] = {};
  std::size_t max_message_;
  std::uint64_t frame_left_ = 0;    // payload bytes of the current frame not yet seen
  std::uint64_t frame_seen_ = 0;    // payload bytes of the current frame already seen (mask phase)
  std::uint64_t message_size_ = 0;  // announced bytes of the data message so far
  // Heap bytes only while needed: [reassembled data message][a partial control frame]; released when done.
  std::string buffer_;
  std::size_t control_start_ = 0;
};

// Appends one frame to `out`. Server frames are unmasked; pass a non-zero mask key for client frames
// (RFC 6455 §5.3: the payload is masked as it is appended).
void append_frame(std::string& out, Opcode op, std::string_view payload, std::uint32_t mask_key = 0,
                  bool fin = true);

// The payload of a close frame: a 2-byte code and a UTF-8 reason cut to fit 123 bytes (§5.5).
std::string close_payload(std::uint16_t code, std::string_view reason);

// Sec-WebSocket-Accept for a client's Sec-WebSocket-Key (§4.2.2): base64(SHA-1(key + GUID)).
std::string accept_key(std::string_view client_key);

// Strict UTF-8 check (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF).
bool valid_utf8(std::string_view s);

}  // namespace peerhub::ws
