// libFuzzer target for the signaling core (src/signaling/hub.hpp), driven the way the net shell drives it.
//
// Input: byte 0 chooses the configuration (auth on or off); then records, each starting with a byte whose low
// 3 bits pick one of 8 connection slots and whose high bits pick an action:
//   0 open   1 close   2 binary   3 advance the clock by the next byte * 10 ms   4 oversized
//   5-31 text: a 2-byte little-endian length follows, then that many bytes of message
// A slot that is opened again gets a fresh connection id, as the shell never reuses one.
// Invariants: every Outgoing goes to a connection that the shell has open, carries a valid JSON text, and a
// close code only from the 1000-4999 range; the hub holds exactly the connections it accepted and not yet
// closed, never more than allowed, and none once all are closed.
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include <boost/json/parse.hpp>

#include "signaling/hub.hpp"

namespace {

using peerhub::signaling::ConnId;
using peerhub::signaling::Hub;
using peerhub::signaling::HubConfig;
using peerhub::signaling::Now;

void check(bool ok) {
  if (!ok) std::abort();
}

// The secret the seed corpus's tokens are signed with (fuzz/make_corpus.py).
constexpr std::string_view kSecret = "fuzz-secret";
constexpr std::int64_t kStartUnix = 1700000000;

class Driver {
 public:
  explicit Driver(bool auth) : hub_(config(auth)) {}

  void open(std::size_t slot) {
    if (slot_id_[slot] != 0) return;
    const ConnId id = ++next_id_;
    slot_id_[slot] = id;
    open_.insert(id);
    if (hub_.open(id, now_)) accepted_.insert(id);
    drain();
  }

  void close(std::size_t slot) {
    if (slot_id_[slot] == 0) return;
    close_id(slot_id_[slot]);
    drain();
  }

  void text(std::size_t slot, std::string_view message) {
    if (slot_id_[slot] == 0) return;
    hub_.text(slot_id_[slot], message, now_);
    drain();
  }

  void binary(std::size_t slot) {
    if (slot_id_[slot] == 0) return;
    hub_.binary(slot_id_[slot], now_);
    drain();
  }

  void oversized(std::size_t slot) {
    if (slot_id_[slot] == 0) return;
    hub_.oversized(slot_id_[slot], 65536, now_);
    drain();
  }

  // The shell's shutdown: every connection goes; the hub must end up empty.
  void close_all() {
    for (std::size_t slot = 0; slot < slot_id_.size(); ++slot)
      close(slot);
    check(hub_.connection_count() == 0);
  }

  void advance(unsigned ten_ms) {
    elapsed_ms_ += std::int64_t{ten_ms} * 10;
    now_.mono = std::chrono::steady_clock::time_point(std::chrono::milliseconds(elapsed_ms_));
    now_.unix_s = kStartUnix + elapsed_ms_ / 1000;
  }

 private:
  static HubConfig config(bool auth) {
    HubConfig c;
    c.max_connections = 6;  // fewer than the slots, so refusals happen
    c.messages_per_second = 50;
    c.message_burst = 20;
    c.rooms_per_connection = 2;
    c.members_per_room = 3;
    c.max_name_length = 16;
    c.list_page_size = 3;
    if (auth) c.auth_secret = std::string(kSecret);
    c.ice_servers = [](std::string_view name, std::int64_t unix_s) {
      boost::json::array servers;
      servers.push_back(boost::json::object{{"urls", "turn:127.0.0.1:3478"},
                                            {"username", std::to_string(unix_s) + ":" + std::string(name)},
                                            {"credential", "x"}});
      return servers;
    };
    return c;
  }

  void close_id(ConnId id) {
    hub_.close(id, now_);
    open_.erase(id);
    accepted_.erase(id);
    for (ConnId& s : slot_id_) {
      if (s == id) s = 0;
    }
  }

  // What the shell does after every call: deliver each message, and close when told to.
  void drain() {
    for (int round = 0; !hub_.outbox().empty(); ++round) {
      check(round < 16);  // closing cannot go on producing work forever
      std::vector<peerhub::signaling::Outgoing> out;
      out.swap(hub_.outbox());
      std::set<ConnId> to_close;
      for (const auto& o : out) {
        check(open_.contains(o.to));
        check(o.text != nullptr);
        boost::system::error_code ec;
        const boost::json::value v = boost::json::parse(*o.text, ec);
        check(!ec && v.is_object());
        check(o.close_code == 0 || (o.close_code >= 1000 && o.close_code <= 4999));
        if (o.close_code != 0) to_close.insert(o.to);
      }
      for (ConnId id : to_close) {
        if (open_.contains(id)) close_id(id);
      }
    }
    check(hub_.connection_count() == accepted_.size() && accepted_.size() <= 6);
  }

  Hub hub_;
  Now now_{std::chrono::steady_clock::time_point(), kStartUnix};
  std::int64_t elapsed_ms_ = 0;
  std::array<ConnId, 8> slot_id_{};
  std::set<ConnId> open_;  // opened and not yet closed by the shell (refused ones included)
  ConnId next_id_ = 0;
  std::set<ConnId> accepted_;  // ... and taken by the hub
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  Driver driver((data[0] & 1) != 0);
  std::size_t at = 1;
  while (at < size) {
    const std::uint8_t op = data[at++];
    const std::size_t slot = op & 7U;
    const unsigned action = op >> 3;
    if (action == 0) {
      driver.open(slot);
    } else if (action == 1) {
      driver.close(slot);
    } else if (action == 2) {
      driver.binary(slot);
    } else if (action == 3) {
      if (at < size) driver.advance(data[at++]);
    } else if (action == 4) {
      driver.oversized(slot);
    } else {
      if (size - at < 2) break;
      std::size_t len = data[at] | (std::size_t{data[at + 1]} << 8);
      at += 2;
      len = std::min(len, size - at);
      driver.text(slot, std::string_view(reinterpret_cast<const char*>(data + at), len));
      at += len;
    }
  }
  driver.close_all();
  return 0;
}
