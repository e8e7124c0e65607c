#include "messages.hpp"

#include <charconv>

namespace peerhub::bench {

std::string login_message(std::string_view name) {
  std::string m = R"({"type":"login","name":")";
  m.append(name);
  m += R"("})";
  return m;
}

void build_relay(std::string& out, Kind kind, std::string_view to, std::int64_t sent_ns, int sdp_bytes) {
  char stamp[24];
  const auto end = std::to_chars(stamp, stamp + sizeof stamp, sent_ns).ptr;
  const std::string_view ts(stamp, static_cast<std::size_t>(end - stamp));
  out.clear();
  if (kind == Kind::candidate) {
    out += R"({"type":"candidate","name":")";
    out.append(to);
    out += R"(","candidate":{"candidate":"candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host @t)";
    out.append(ts);
    out += R"(@","sdpMid":"0","sdpMLineIndex":0}})";
    return;
  }
  const std::string_view type = kind == Kind::offer ? "offer" : "answer";
  out += R"({"type":")";
  out.append(type);
  out += R"(","name":")";
  out.append(to);
  out += R"(",")";
  out.append(type);
  out += R"(":{"type":")";
  out.append(type);
  out += R"(","sdp":"v=0\r\no=- @t)";
  out.append(ts);
  out += R"(@ 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=)";
  out.append(static_cast<std::size_t>(sdp_bytes), 'x');
  out += R"(\r\n"}})";
}

Kind classify(std::string_view text) {
  constexpr std::string_view key = R"("type":")";
  const std::size_t at = text.find(key);
  if (at == std::string_view::npos) return Kind::other;
  const std::string_view v = text.substr(at + key.size());
  if (v.starts_with("offer\"")) return Kind::offer;
  if (v.starts_with("answer\"")) return Kind::answer;
  if (v.starts_with("candidate\"")) return Kind::candidate;
  if (v.starts_with("error\"")) return Kind::error;
  if (v.starts_with("login\"")) {
    return text.find(R"("success":true)") != std::string_view::npos ? Kind::login_ok : Kind::login_failed;
  }
  return Kind::other;
}

std::int64_t sent_at(std::string_view text) {
  const std::size_t at = text.find("@t");
  if (at == std::string_view::npos) return -1;
  std::int64_t v = -1;
  const char* first = text.data() + at + 2;
  if (std::from_chars(first, text.data() + text.size(), v).ec != std::errc()) return -1;
  return v;
}

}  // namespace peerhub::bench
