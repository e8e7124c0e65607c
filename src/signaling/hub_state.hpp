// The inside of Hub, shared by the .cpp files that each handle one concern:
//   hub.cpp             entry points, rate limit, parsing, dispatch by dialect, the broadcast demo
//   login.cpp           login / SignIn for every dialect, names, tokens
//   calls.cpp           1:1 relay rendered in the receiver's dialect, call partners, hang-up
//   room_messages.cpp   join / leave / message / list
//   dialect_v1.cpp, dialect_java.cpp, dialect_android.cpp: each dialect's message table
//   output.cpp          the outbox, error replies, field readers
#pragma once

#include <boost/json/object.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "signaling/connection.hpp"
#include "signaling/directory.hpp"
#include "signaling/hub.hpp"
#include "signaling/json_text.hpp"
#include "signaling/metrics.hpp"
#include "signaling/rooms.hpp"

namespace peerhub::signaling {

namespace json = boost::json;

struct Hub::State {
  State(HubConfig config, std::vector<Outgoing>& outbox);

  Conn* find(ConnId id) {
    auto it = conns_.find(id);
    // A set hands out const elements because their key must not change; Conn::id is const itself, and
    // nothing else in a Conn takes part in hashing or equality.
    return it == conns_.end() ? nullptr : const_cast<Conn*>(&*it);
  }

  // hub.cpp
  bool open(ConnId id, const Now& now);
  void close(Conn& conn);
  void on_text(Conn& conn, std::string_view text, const Now& now);
  void on_binary(Conn& conn, const Now& now);
  void on_oversized(Conn& conn, std::size_t limit, const Now& now);
  bool admit(Conn& conn, const Now& now);
  void on_anonymous(Conn& conn, MsgType kind, std::string_view type, const json::object& m,
                    std::string_view text, const Now& now);
  void broadcast(Conn& from, MsgType kind, std::string_view text);
  void remove_anonymous(Conn& conn);

  // login.cpp
  void login(Conn& conn, const json::object& m, Dialect dialect, const Now& now);
  void login_failed(Conn& conn, Dialect dialect, ErrorKind kind, std::string_view message);

  // calls.cpp. `kind` is kOffer, kAnswer or kCandidate whatever the sender's dialect; `key` names the
  // payload member in the message being handled (its text is copied as is when it can be found).
  void relay_signal(Conn& from, Conn& to, MsgType kind, const json::value& payload, std::string_view key);
  // `data`: the Android sender's "data", passed on untouched to an Android receiver (nullptr: none).
  void start_streaming(Conn& from, Conn& to, const boost::json::value* data);
  void hang_up(Conn& from, Conn& to, std::string_view reason, const boost::json::value* data = nullptr);
  void hang_up_all(Conn& conn);
  Conn* current_partner(Conn& conn);
  Conn* target(Conn& from, std::string_view name);  // sends unknown-target when there is no such name

  // room_messages.cpp
  void join_room(Conn& conn, const json::object& m);
  void leave_room(Conn& conn, std::string_view room_name);
  void leave_all_rooms(Conn& conn);
  void message(Conn& conn, const json::object& m);
  void list(Conn& conn, const json::object& m);

  // dialect_*.cpp
  void on_v1(Conn& conn, MsgType kind, std::string_view type, const json::object& m, const Now& now);
  void on_java(Conn& conn, MsgType kind, std::string_view type, const json::object& m, const Now& now);
  void on_android(Conn& conn, MsgType kind, std::string_view type, const json::object& m, const Now& now);

  // output.cpp
  void send(Conn& to, std::string text, MsgType type);
  void send_shared(Conn& to, const std::shared_ptr<const std::string>& text, MsgType type);
  void send_error(Conn& to, ErrorKind kind, std::string_view message);
  void send_unknown_type(Conn& to, std::string_view type);
  // Reads a string member. Absent or null gives "" (an error when `required`); another type is an error.
  // Returns false when an error reply was sent.
  bool read_string(Conn& conn, const json::object& m, std::string_view key, bool required,
                   std::string_view& out);
  // A member that must be present (any type but null). nullptr when an error reply was sent.
  const json::value* read_value(Conn& conn, const json::object& m, std::string_view key);

  // The connection table is a set keyed by Conn::id rather than a map, so the id is not stored twice.
  struct ConnIdHash {
    using is_transparent = void;
    // noexcept: libstdc++ then keeps no hash in the node (the id is its own hash), which keeps a node at
    // 72 bytes, an 80-byte malloc chunk.
    std::size_t operator()(ConnId id) const noexcept { return std::hash<ConnId>{}(id); }
    std::size_t operator()(const Conn& conn) const noexcept { return (*this)(conn.id); }
  };
  struct ConnIdEqual {
    using is_transparent = void;
    static ConnId key(ConnId id) { return id; }
    static ConnId key(const Conn& conn) { return conn.id; }
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const noexcept {
      return key(a) == key(b);
    }
  };

  HubConfig config_;
  RateLimit rate_limit_;  // config_'s rate and burst, in the bucket's units
  std::vector<Outgoing>& outbox_;
  Metrics metrics_;
  std::unordered_set<Conn, ConnIdHash, ConnIdEqual> conns_;  // nodes never move: Conn* stay valid until close
  Directory directory_;
  Rooms rooms_;
  std::vector<Conn*> anonymous_;  // not logged in: the broadcast demo's audience
  JsonReader reader_;
  std::string_view current_text_;  // the message being handled
  std::string scratch_;
};

}  // namespace peerhub::signaling
