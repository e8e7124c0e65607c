// Prometheus text of the hub's counters.
#include "signaling_harness.hpp"

namespace peerhub::signaling::testing {
namespace {

std::string metrics_text(const Hub& hub) {
  std::string out;
  append_prometheus(hub.metrics(), out);
  return out;
}

bool has_line(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos || text.rfind(line + "\n", 0) == 0;
}

TEST(SignalingMetrics, CountsWhatHappenedInPrometheusText) {
  Harness h;
  ConnId a = h.login("alice");
  ConnId b = h.login("bob");
  h.connect();
  h.send(a, R"({"type":"offer","name":"bob","offer":{}})");
  h.send(a, R"({"type":"offer","name":"nobody","offer":{}})");
  h.send(b, R"({"type":"join","room":"r"})");
  ConnId c = h.connect();
  h.send(c, R"({"type":"login","name":"alice","version":1})");
  h.send(c, "nope");

  std::string text = metrics_text(h.hub());
  EXPECT_TRUE(has_line(text, "peerhub_signaling_connections_open 4")) << text;
  EXPECT_TRUE(has_line(text, "peerhub_signaling_connections_total 4"));
  EXPECT_TRUE(has_line(text, "peerhub_signaling_names 2"));
  EXPECT_TRUE(has_line(text, "peerhub_signaling_rooms 1"));
  EXPECT_TRUE(has_line(text, R"(peerhub_signaling_logins_total{result="ok"} 2)"));
  EXPECT_TRUE(has_line(text, R"(peerhub_signaling_logins_total{result="failed"} 1)"));
  EXPECT_TRUE(has_line(text, R"(peerhub_signaling_messages_in_total{type="offer"} 2)"));
  EXPECT_TRUE(has_line(text, R"(peerhub_signaling_messages_in_total{type="login"} 3)"));
  EXPECT_TRUE(has_line(text, R"(peerhub_signaling_messages_in_total{type="other"} 1)"));
  EXPECT_TRUE(has_line(text, R"(peerhub_signaling_messages_out_total{type="offer"} 1)"));
  EXPECT_TRUE(has_line(text, R"(peerhub_signaling_messages_out_total{type="joined"} 1)"));
  EXPECT_TRUE(has_line(text, R"(peerhub_signaling_errors_total{kind="unknown-target"} 1)"));
  EXPECT_TRUE(has_line(text, R"(peerhub_signaling_errors_total{kind="name-taken"} 1)"));
  EXPECT_TRUE(has_line(text, R"(peerhub_signaling_errors_total{kind="malformed-json"} 1)"));
  EXPECT_TRUE(has_line(text, R"(peerhub_signaling_errors_total{kind="rate-limited"} 0)"));
}

TEST(SignalingMetrics, EveryFamilyHasHelpAndTypeBeforeItsSamples) {
  Harness h;
  std::string text = metrics_text(h.hub());
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  std::string current;
  std::size_t pos = 0;
  int families = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    if (line.rfind("# HELP ", 0) == 0) {
      current = line.substr(7, line.find(' ', 7) - 7);
      EXPECT_EQ(current.rfind("peerhub_signaling_", 0), 0u) << line;
      ++families;
      continue;
    }
    if (line.rfind("# TYPE ", 0) == 0) {
      EXPECT_EQ(line.substr(7, current.size()), current);
      std::string type = line.substr(8 + current.size());
      EXPECT_TRUE(type == "counter" || type == "gauge") << line;
      continue;
    }
    // A sample of the current family: name, optional labels, a space, a number.
    EXPECT_EQ(line.rfind(current, 0), 0u) << line;
    char next = line[current.size()];
    EXPECT_TRUE(next == ' ' || next == '{') << line;
    std::string value = line.substr(line.rfind(' ') + 1);
    EXPECT_FALSE(value.empty());
    EXPECT_EQ(value.find_first_not_of("-0123456789"), std::string::npos) << line;
  }
  EXPECT_GE(families, 10);
}

TEST(SignalingMetrics, AccumulateSumsHubs) {
  Metrics a;
  Metrics b;
  a.connections_open = 2;
  b.connections_open = 3;
  a.in(MsgType::kOffer);
  b.in(MsgType::kOffer);
  b.error(ErrorKind::kRoomFull);
  accumulate(a, b);
  EXPECT_EQ(a.connections_open, 5);
  EXPECT_EQ(a.messages_in[static_cast<std::size_t>(MsgType::kOffer)], 2u);
  EXPECT_EQ(a.errors[static_cast<std::size_t>(ErrorKind::kRoomFull)], 1u);
}

}  // namespace
}  // namespace peerhub::signaling::testing
