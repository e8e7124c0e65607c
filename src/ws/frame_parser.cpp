// Parser: RFC 6455 §5 framing, read side. Zero-copy when a frame lies wholly inside the fed bytes; otherwise
// the bytes wait in buffer_, which is released as soon as the frame or message is complete.
#include <algorithm>
#include <cstring>

#include "ws/close_code.hpp"
#include "ws/frame.hpp"
#include "ws/mask.hpp"

namespace peerhub::ws {

namespace {

bool is_control(Opcode op) {
  return (static_cast<unsigned>(op) & 0x8U) != 0;
}

bool known_opcode(unsigned op) {
  // §5.2: 3-7 are reserved for further non-control frames, 0xB-0xF for further control frames.
  return op <= 2 || (op >= 8 && op <= 10);
}

// The full header length, known from its second byte: §5.2 payload length (7, 7+16 or 7+64 bits) + masking
// key.
std::size_t header_size(unsigned char second) {
  std::size_t n = 2;
  const unsigned len7 = second & 0x7fU;
  if (len7 == 126) n += 2;
  if (len7 == 127) n += 8;
  if ((second & 0x80U) != 0) n += 4;
  return n;
}

Event make_event(Event::Kind kind, std::string_view payload = {}, std::uint16_t code = 0,
                 std::string_view reason = {}) {
  return Event{kind, payload, code, reason};
}

}  // namespace

bool Parser::feed_ref(std::span<char> bytes, SinkRef sink) {
  char* p = bytes.data();
  std::size_t n = bytes.size();
  while (n > 0 && stage_ != Stage::failed) {
    std::size_t used = 0;
    if (stage_ == Stage::header) {
      used = take_header(p, n, sink);
    } else if (stage_ == Stage::payload) {
      used = take_payload(p, n, sink);
    } else {
      used = static_cast<std::size_t>(std::min<std::uint64_t>(frame_left_, n));
      frame_left_ -= used;
      if (frame_left_ == 0) finish_frame({}, sink);
    }
    p += used;
    n -= used;
  }
  return stage_ != Stage::failed;
}

std::size_t Parser::take_header(const char* p, std::size_t n, SinkRef sink) {
  // Fast path: the whole header is in the fed bytes.
  if (header_len_ == 0 && n >= 2) {
    const std::size_t need = header_size(static_cast<unsigned char>(p[1]));
    if (n >= need) {
      start_frame(reinterpret_cast<const unsigned char*>(p), sink);
      return need;
    }
  }
  // Split header: gather it in header_ (never more than kMaxHeader bytes).
  std::size_t used = 0;
  std::size_t need = header_len_ < 2 ? 2 : header_size(header_[1]);
  while (used < n && header_len_ < need) {
    const std::size_t take = std::min(need - header_len_, n - used);
    std::memcpy(header_ + header_len_, p + used, take);
    header_len_ = static_cast<std::uint8_t>(header_len_ + take);
    used += take;
    if (header_len_ >= 2) need = header_size(header_[1]);
  }
  if (header_len_ == need) {
    header_len_ = 0;
    start_frame(header_, sink);
  }
  return used;
}

bool Parser::start_frame(const unsigned char* h, SinkRef sink) {
  // §5.2: RSV1-3 MUST be 0 unless an extension defining them was negotiated (peerhub negotiates none).
  if ((h[0] & 0x70U) != 0) return fail(kProtocolError, "reserved bits set", sink);
  const unsigned op = h[0] & 0x0fU;
  if (!known_opcode(op)) return fail(kProtocolError, "unknown opcode", sink);
  const bool fin = (h[0] & 0x80U) != 0;
  const bool masked = (h[1] & 0x80U) != 0;
  // §5.1: a server MUST close on an unmasked frame; a client MUST close on a masked frame.
  if (role_ == Role::server && !masked) return fail(kProtocolError, "client frame not masked", sink);
  if (role_ == Role::client && masked) return fail(kProtocolError, "server frame masked", sink);

  std::uint64_t len = h[1] & 0x7fU;
  std::size_t at = 2;
  if (len == 126) {
    len = (std::uint64_t{h[2]} << 8) | h[3];
    at = 4;
  } else if (len == 127) {
    len = 0;
    for (std::size_t i = 0; i < 8; ++i)
      len = (len << 8) | h[2 + i];
    at = 10;
    // §5.2: "the most significant bit MUST be 0".
    if ((len >> 63) != 0) return fail(kProtocolError, "64-bit length with the top bit set", sink);
  }
  if (masked) std::memcpy(mask_, h + at, 4);

  frame_op_ = static_cast<Opcode>(op);
  frame_fin_ = fin;
  frame_left_ = len;
  frame_seen_ = 0;
  stage_ = Stage::payload;

  if (is_control(frame_op_)) {
    // §5.5: control frames carry at most 125 bytes and MUST NOT be fragmented; they may arrive between the
    // fragments of a data message (§5.4), so their bytes go after the message's in buffer_.
    if (!fin) return fail(kProtocolError, "fragmented control frame", sink);
    if (len > 125) return fail(kProtocolError, "control frame over 125 bytes", sink);
    control_start_ = buffer_.size();
  } else {
    // §5.4: a continuation needs a message to continue; a new message cannot start inside another one.
    const bool continuation = frame_op_ == Opcode::continuation;
    if (continuation && !in_message_) return fail(kProtocolError, "continuation without a message", sink);
    if (!continuation && in_message_)
      return fail(kProtocolError, "new message inside a fragmented one", sink);
    if (!continuation) {
      message_op_ = frame_op_;
      message_size_ = 0;
    }
    in_message_ = true;
    // message_size_ <= max_message_ always holds, so the subtraction cannot wrap.
    if (!skipping_message_ && len > max_message_ - message_size_) {
      skipping_message_ = true;
      release_buffer();
      sink(make_event(Event::Kind::too_big, {}, kTooBig, "message too big"));
    }
    if (skipping_message_) {
      stage_ = Stage::skip;
    } else {
      message_size_ += len;
    }
  }
  // An empty frame is complete already; an empty final fragment completes what buffer_ holds.
  if (len == 0)
    return finish_frame(is_control(frame_op_) ? std::string_view() : std::string_view(buffer_), sink);
  return true;
}

std::size_t Parser::take_payload(char* p, std::size_t n, SinkRef sink) {
  const auto avail = static_cast<std::size_t>(std::min<std::uint64_t>(frame_left_, n));
  const bool whole = frame_seen_ == 0 && avail == frame_left_;
  if (role_ == Role::server) detail::apply_mask(p, avail, mask_, frame_seen_);
  frame_seen_ += avail;
  frame_left_ -= avail;
  const bool single_message = frame_fin_ && frame_op_ != Opcode::continuation;
  if (whole && (is_control(frame_op_) || single_message)) {
    finish_frame(std::string_view(p, avail), sink);
    return avail;
  }
  // Grown with the bytes that actually arrive, not reserved for the announced length: a peer that announces
  // 64 KiB and sends 10 bytes must not cost 64 KiB.
  buffer_.append(p, avail);
  if (frame_left_ == 0) {
    if (is_control(frame_op_)) {
      finish_frame(std::string_view(buffer_).substr(control_start_), sink);
    } else {
      finish_frame(buffer_, sink);
    }
  }
  return avail;
}

bool Parser::finish_frame(std::string_view payload, SinkRef sink) {
  const Stage was = stage_;
  stage_ = Stage::header;
  if (is_control(frame_op_)) return deliver_control(payload, sink);
  if (!frame_fin_) return true;
  in_message_ = false;
  message_size_ = 0;
  if (was == Stage::skip) {
    skipping_message_ = false;
    return true;
  }
  return deliver_message(payload, sink);
}

bool Parser::deliver_control(std::string_view payload, SinkRef sink) {
  if (frame_op_ == Opcode::close) {
    Event e = make_event(Event::Kind::close, payload, detail::kNoStatus);
    // §5.5.1: an optional 2-byte code, then a UTF-8 reason; a single byte cannot be a code.
    if (payload.size() == 1) return fail(kProtocolError, "close frame with a 1-byte payload", sink);
    if (payload.size() >= 2) {
      e.code = static_cast<std::uint16_t>((static_cast<unsigned char>(payload[0]) << 8) |
                                          static_cast<unsigned char>(payload[1]));
      e.reason = payload.substr(2);
      if (!detail::valid_close_code(e.code)) return fail(kProtocolError, "invalid close code", sink);
      if (!valid_utf8(e.reason)) return fail(kInvalidPayload, "close reason not UTF-8", sink);
    }
    sink(e);
  } else {
    sink(make_event(frame_op_ == Opcode::ping ? Event::Kind::ping : Event::Kind::pong, payload));
  }
  if (control_start_ == 0) {
    release_buffer();
  } else {
    buffer_.resize(control_start_);
  }
  return true;
}

bool Parser::deliver_message(std::string_view payload, SinkRef sink) {
  // §8.1: a text message must be valid UTF-8 once reassembled (a code point may span fragments).
  if (message_op_ == Opcode::text && !valid_utf8(payload)) {
    return fail(kInvalidPayload, "text message not UTF-8", sink);
  }
  sink(make_event(message_op_ == Opcode::text ? Event::Kind::text : Event::Kind::binary, payload));
  release_buffer();
  return true;
}

bool Parser::fail(std::uint16_t code, std::string_view reason, SinkRef sink) {
  stage_ = Stage::failed;
  release_buffer();
  sink(make_event(Event::Kind::error, {}, code, reason));
  return false;
}

void Parser::release_buffer() {
  std::string().swap(buffer_);
  control_start_ = 0;
}

}  // namespace peerhub::ws
