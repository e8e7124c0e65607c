// Private to the sctp module: the state behind Association, shared by association.cpp (socket, input, events)
// and channels.cpp (channels, DCEP, the send queue, stream resets).
#pragma once

#include <array>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sctp/association.hpp"
#include "sctp/dcep.hpp"
#include "sctp/ppid.hpp"
#include "sctp/usrsctp_library.hpp"

struct socket;
union sctp_notification;

namespace peerhub::sctp {

struct Channel {
  std::uint16_t id = 0;
  std::string label;
  std::string protocol;
  dcep::Reliability reliability;
  std::uint16_t priority = dcep::kPriorityNormal;
  bool negotiated = false;
  bool incoming = false;
  bool acked = false;      // RFC 8832 §6: until the ACK, our messages go ordered
  bool announced = false;  // ChannelOpen was queued (a refused OPEN never is)
  bool closing = false;
  bool reset_requested = false;  // our outgoing stream
  bool reset_done = false;       //
  bool peer_reset = false;       // the peer's outgoing stream (our incoming)
  std::size_t buffered = 0;      // user bytes in the send queue
  std::size_t queued = 0;        // entries in the send queue (DCEP included)
  std::size_t low_threshold = 0;
};

struct Pending {
  std::uint16_t id = 0;
  Ppid ppid = Ppid::binary;
  std::vector<std::uint8_t> bytes;  // what goes to SCTP (one zero byte for an empty message)
  std::size_t user_size = 0;        // what buffered_amount counts
};

// A message arriving in pieces (partial delivery of a message larger than the receive buffer's share).
struct Reassembly {
  bool active = false;
  bool discarding = false;  // over the limit: the rest is dropped and the channel closed
  std::uint16_t sid = 0;
  std::uint32_t ppid = 0;
  std::vector<std::uint8_t> bytes;
};

struct Association::Impl {
  Config config;
  std::shared_ptr<Outbox> outbox;
  std::uintptr_t address_id = 0;
  struct socket* sock = nullptr;
  State state = State::idle;
  TimePoint last_now{};
  TimePoint last_activity{};  // a packet in or out, a send, an open or a close
  bool busy = true;           // usrsctp may have a timer due soon: wake every 10 ms, else every second
  std::uint16_t outbound_streams = 0;
  std::uint16_t inbound_streams = 0;

  std::map<std::uint16_t, Channel> channels;
  std::deque<Pending> send_queue;
  std::size_t send_queue_bytes = 0;

  std::deque<Event> events;
  std::size_t event_bytes = 0;
  bool receive_paused = false;
  std::vector<std::uint8_t> receive_buffer;
  std::vector<std::uint8_t> notification;
  Reassembly reassembly;
  std::deque<std::vector<std::uint8_t>> early_packets;  // before connect()

  ~Impl();
  Result<void> configure_socket();

  // association.cpp
  void advance(TimePoint now);
  void pump();  // after every input: read what usrsctp delivered, send what waits, request resets
  void update_busy();
  void receive();
  void on_data_piece(std::uint16_t sid, std::uint32_t ppid, std::span<const std::uint8_t> piece, bool end);
  void on_notification_bytes(std::span<const std::uint8_t> whole);
  void on_notification(const union sctp_notification& n);
  void on_user_data(std::uint16_t sid, std::uint32_t ppid, std::vector<std::uint8_t> bytes);
  void on_closed(Event final_event);
  void push_event(Event e);
  bool event_room() const;

  // channels.cpp
  bool id_is_ours(std::uint16_t id) const;
  std::uint16_t stream_limit() const;
  void on_connected();
  void on_dcep(std::uint16_t sid, std::span<const std::uint8_t> bytes);
  void on_stream_reset(std::uint16_t sid, bool incoming, bool outgoing);
  void announce(Channel& c);
  void enqueue(std::uint16_t id, Ppid ppid, std::vector<std::uint8_t> bytes, std::size_t user_size);
  // 1: SCTP took it; 0: no room in SCTP's send buffer now; -1: refused for good (errno says why).
  int send_now(std::uint16_t id, Ppid ppid, std::span<const std::uint8_t> bytes);
  void flush();
  void request_resets();
  void refuse_stream(std::uint16_t sid);
  void finish_if_closed(std::uint16_t id);
};

}  // namespace peerhub::sctp
