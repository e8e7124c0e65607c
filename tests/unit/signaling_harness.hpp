// Drives a signaling::Hub in-process on a virtual clock and sorts its outbox into one inbox per connection.
#pragma once

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>

#include "signaling/hub.hpp"

namespace peerhub::signaling::testing {

namespace json = boost::json;

class Harness {
 public:
  explicit Harness(HubConfig config = {}) : hub_(std::move(config)) {
    now_.mono = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);
    now_.unix_s = 1'700'000'000;
  }

  Hub& hub() { return hub_; }
  Now& now() { return now_; }
  void advance(std::chrono::milliseconds d) {
    now_.mono += d;
    now_.unix_s += std::chrono::duration_cast<std::chrono::seconds>(d).count();
  }

  ConnId connect() {
    ConnId id = next_id_++;
    EXPECT_TRUE(hub_.open(id, now_));
    drain();
    return id;
  }
  // Returns what open() returned; the outbox is drained either way.
  bool try_connect(ConnId& id) {
    id = next_id_++;
    bool ok = hub_.open(id, now_);
    drain();
    return ok;
  }
  void send(ConnId id, std::string_view text) {
    hub_.text(id, text, now_);
    drain();
  }
  void send_json(ConnId id, const json::value& v) { send(id, json::serialize(v)); }
  void binary(ConnId id) {
    hub_.binary(id, now_);
    drain();
  }
  void oversized(ConnId id, std::size_t limit) {
    hub_.oversized(id, limit, now_);
    drain();
  }
  void disconnect(ConnId id) {
    hub_.close(id, now_);
    drain();
  }

  // Logs in with peerhub's own dialect and consumes the reply.
  ConnId login(std::string_view name) {
    ConnId id = connect();
    send_json(id, json::object{{"type", "login"}, {"name", name}, {"version", 1}});
    json::object reply = next(id);
    EXPECT_EQ(reply["type"], "login");
    EXPECT_EQ(reply["success"], true) << json::serialize(reply);
    return id;
  }
  ConnId login_java(std::string_view name) {
    ConnId id = connect();
    send_json(id, json::object{{"type", "login"}, {"name", name}});
    json::object reply = next(id);
    EXPECT_EQ(reply["success"], true) << json::serialize(reply);
    return id;
  }
  ConnId sign_in(std::string_view name) {
    ConnId id = connect();
    send_json(id,
              json::object{{"type", "SignIn"}, {"username", name}, {"target", nullptr}, {"data", nullptr}});
    EXPECT_TRUE(empty(id)) << "a successful SignIn gets no reply";
    return id;
  }

  bool empty(ConnId id) { return inbox_[id].empty(); }
  std::size_t pending(ConnId id) { return inbox_[id].size(); }
  std::string next_raw(ConnId id) {
    auto& box = inbox_[id];
    if (box.empty()) {
      ADD_FAILURE() << "no message for connection " << id;
      return "{}";
    }
    std::string text = std::move(box.front());
    box.pop_front();
    return text;
  }
  json::object next(ConnId id) {
    std::string text = next_raw(id);
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    EXPECT_FALSE(ec) << "hub sent invalid JSON: " << text;
    if (ec || !v.is_object()) return {};
    return v.as_object();
  }
  // Expects an error reply with this code, returns it.
  json::object expect_error(ConnId id, std::string_view code) {
    json::object e = next(id);
    EXPECT_EQ(e["type"], "error") << json::serialize(e);
    EXPECT_EQ(e["code"], json::value(code)) << json::serialize(e);
    EXPECT_TRUE(e["message"].is_string() && !e["message"].as_string().empty());
    return e;
  }
  std::uint16_t close_code(ConnId id) { return close_codes_[id]; }
  // True when the last messages of a and b are one shared string (a fan-out serialized once).
  bool same_text(ConnId a, ConnId b) const {
    return last_ptr_.count(a) && last_ptr_.count(b) && last_ptr_.at(a) == last_ptr_.at(b);
  }

 private:
  void drain() {
    for (auto& out : hub_.outbox()) {
      inbox_[out.to].push_back(*out.text);
      last_ptr_[out.to] = out.text.get();
      if (out.close_code) close_codes_[out.to] = out.close_code;
    }
    hub_.outbox().clear();
  }

  Hub hub_;
  Now now_;
  ConnId next_id_ = 1;
  std::unordered_map<ConnId, std::deque<std::string>> inbox_;
  std::unordered_map<ConnId, const std::string*> last_ptr_;
  std::unordered_map<ConnId, std::uint16_t> close_codes_;
};

inline json::value parse(std::string_view text) {
  return json::parse(text);
}

}  // namespace peerhub::signaling::testing
