#include "sctp/usrsctp_library.hpp"

#include <usrsctp.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <limits>

namespace peerhub::sctp {
namespace {

constexpr auto kSameClockSlack = std::chrono::seconds(1);

}  // namespace

void Outbox::push(const void* data, std::size_t size) {
  std::lock_guard lock(mutex_);
  if (packets_.size() >= max_packets_) {
    ++dropped_;
    return;
  }
  const auto* bytes = static_cast<const std::uint8_t*>(data);
  stamp_checksum(packets_.emplace_back(bytes, bytes + size));
}

bool Outbox::pop(std::vector<std::uint8_t>& out) {
  std::lock_guard lock(mutex_);
  if (packets_.empty()) return false;
  out = std::move(packets_.front());
  packets_.pop_front();
  return true;
}

std::size_t Outbox::dropped() const {
  std::lock_guard lock(mutex_);
  return dropped_;
}

UsrsctpLibrary& UsrsctpLibrary::instance() {
  static UsrsctpLibrary library;  // C++ guarantees one thread constructs it
  return library;
}

UsrsctpLibrary::UsrsctpLibrary() {
  // UDP encapsulation port 0: usrsctp opens no socket of its own; packets go only through conn_output.
  usrsctp_init_nothreads(0, &UsrsctpLibrary::conn_output, nullptr);
  // The checksum as the "offload" usrsctp knows from network cards: it neither checks received packets nor
  // fills in sent ones; Outbox::push stamps them (crc32c.hpp says why receiving needs no check inside DTLS).
  usrsctp_enable_crc32c_offload();

  // RFC 8831 §6.2: SCTP over DTLS needs partial reliability (RFC 3758) and stream reset (RFC 6525). ECN has
  // no meaning inside DTLS over UDP (the IP header is not SCTP's), so it is off, as in browsers.
  usrsctp_sysctl_set_sctp_pr_enable(1);
  usrsctp_sysctl_set_sctp_reconfig_enable(1);
  usrsctp_sysctl_set_sctp_ecn_enable(0);
  // RFC 6928's initial window of 10 packets; a SACK at most 20 ms late instead of 200 ms (a data channel is
  // interactive).
  usrsctp_sysctl_set_sctp_initial_cwnd(10);
  usrsctp_sysctl_set_sctp_delayed_sack_time_default(20);
  // Retransmission timing for a single path inside ICE: RFC 9260's 1 s initial RTO, a 200 ms floor (its 1 s
  // floor stalls interactive channels after a loss) and a 10 s ceiling instead of 60 s, so a path that comes
  // back is used again soon. ICE consent (RFC 7675), not SCTP, decides that a peer is gone, so SCTP gives up
  // only after 10 retransmissions.
  usrsctp_sysctl_set_sctp_rto_initial_default(1000);
  usrsctp_sysctl_set_sctp_rto_min_default(200);
  usrsctp_sysctl_set_sctp_rto_max_default(10000);
  usrsctp_sysctl_set_sctp_init_rto_max_default(10000);
  usrsctp_sysctl_set_sctp_init_rtx_max_default(8);
  usrsctp_sysctl_set_sctp_assoc_rtx_max_default(10);
  usrsctp_sysctl_set_sctp_path_rtx_max_default(10);
  usrsctp_sysctl_set_sctp_heartbeat_interval_default(10000);
  // Each message is at least one chunk; the default of 512 queued chunks would refuse a burst of small
  // messages long before the send buffer is full.
  usrsctp_sysctl_set_sctp_max_chunks_on_queue(16 * 1024);
}

int UsrsctpLibrary::conn_output(void* address, void* buffer, std::size_t length, std::uint8_t, std::uint8_t) {
  // Runs inside a usrsctp call with usrsctp's locks held: only queue the bytes, never call back into usrsctp.
  auto outbox = instance().find(reinterpret_cast<std::uintptr_t>(address));
  if (outbox) outbox->push(buffer, length);
  return 0;
}

std::shared_ptr<Outbox> UsrsctpLibrary::find(std::uintptr_t id) {
  std::lock_guard lock(registry_mutex_);
  for (auto& [key, outbox] : registry_) {
    if (key == id) return outbox;
  }
  return nullptr;
}

std::uintptr_t UsrsctpLibrary::add(std::shared_ptr<Outbox> outbox) {
  std::uintptr_t id;
  {
    std::lock_guard lock(registry_mutex_);
    id = next_id_++;
    registry_.emplace_back(id, std::move(outbox));
  }
  usrsctp_register_address(address_of(id));
  return id;
}

void UsrsctpLibrary::remove(std::uintptr_t id) {
  usrsctp_deregister_address(address_of(id));
  std::lock_guard lock(registry_mutex_);
  std::erase_if(registry_, [id](const auto& entry) { return entry.first == id; });
}

void UsrsctpLibrary::advance_timers(TimePoint now) {
  std::lock_guard lock(tick_mutex_);
  if (tick_started_ && now < tick_at_) {
    // Threads read the same steady clock a little apart: a call slightly behind the tick moves nothing. A
    // clock far behind is a new clock (the next test's virtual one): it starts a new epoch.
    if (tick_at_ - now < kSameClockSlack) return;
    tick_started_ = false;
  }
  if (!tick_started_) {
    tick_started_ = true;
    tick_at_ = now;
    return;
  }
  const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(now - tick_at_);
  if (elapsed.count() <= 0) return;
  const auto ms = std::min<std::int64_t>(elapsed.count(), std::numeric_limits<std::uint32_t>::max());
  tick_at_ += std::chrono::milliseconds(ms);
  usrsctp_handle_timers(static_cast<std::uint32_t>(ms));
}

}  // namespace peerhub::sctp
