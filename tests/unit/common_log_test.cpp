#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <regex>
#include <sstream>

#include "common/log.hpp"

namespace peerhub {
namespace {

class Log : public ::testing::Test {
 protected:
  void use(const std::string& level, const std::string& format) {
    log::setup(level, format, std::make_shared<spdlog::sinks::ostream_sink_mt>(out_));
  }
  void TearDown() override { spdlog::set_default_logger(nullptr); }
  std::ostringstream out_;
};

TEST_F(Log, TextIsTimestampLevelMessage) {
  use("info", "text");
  spdlog::info(log::event("listening", {{"service", "http"}, {"addr", "127.0.0.1:8080"}}));
  static const std::regex line(
      R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info listening service=http addr=127\.0\.0\.1:8080\n)");
  EXPECT_TRUE(std::regex_match(out_.str(), line)) << out_.str();
}

TEST_F(Log, JsonIsOneEscapedObjectPerLine) {
  use("debug", "json");
  spdlog::warn("say \"hi\"\\ now\nand\x01then");
  static const std::regex line(
      R"(\{"ts":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z","level":"warn","msg":"say \\"hi\\"\\\\ now\\nand\\u0001then"\}\n)");
  EXPECT_TRUE(std::regex_match(out_.str(), line)) << out_.str();
}

TEST_F(Log, TextKeepsOneMessageOnOneLine) {
  use("info", "text");
  spdlog::error("first\nsecond\r");
  const std::string text = out_.str();
  EXPECT_NE(text.find("error first\\nsecond\\r\n"), std::string::npos) << text;
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1);
}

TEST_F(Log, LevelFilters) {
  use("warn", "text");
  spdlog::info("quiet");
  spdlog::warn("loud");
  EXPECT_EQ(out_.str().find("quiet"), std::string::npos);
  EXPECT_NE(out_.str().find("warn loud"), std::string::npos);

  out_.str("");
  use("off", "text");
  spdlog::error("nothing");
  EXPECT_EQ(out_.str(), "");
}

TEST_F(Log, UnknownLevelOrFormatIsAnError) {
  // spdlog alone would read "verbose" as "off" and silence the server.
  EXPECT_THROW(use("verbose", "text"), std::invalid_argument);
  EXPECT_THROW(use("info", "xml"), std::invalid_argument);
}

TEST(LogEvent, QuotesValuesThatAreNotOnePlainWord) {
  EXPECT_EQ(log::event("stopped"), "stopped");
  EXPECT_EQ(log::event("e", {{"n", 42}, {"ok", true}, {"s", std::string("a b")}}),
            "e n=42 ok=true s=\"a b\"");
  EXPECT_EQ(log::quote(""), "\"\"");
  EXPECT_EQ(log::quote("x=y"), "\"x=y\"");
  EXPECT_EQ(log::quote("say \"hi\"\n"), "\"say \\\"hi\\\"\\n\"");
  EXPECT_EQ(log::quote("tab\there"), "\"tab?here\"");
}

TEST(LogConfig, DescribesTheEffectiveConfigWithSecretsRedacted) {
  Config config;
  config.http = "127.0.0.1:9000";
  config.auth_secret = "auth-secret-value";
  config.turn_secret = "turn-secret-value";
  config.turn_users = {"alice:alice-password", "bob:bob-password"};
  config.ice_servers = {IceServerConfig{{"turn:t.example:3478"}, "iceuser", "ice-credential-value"}};
  const auto text = log::describe_config(config);
  for (const char* secret :
       {"auth-secret-value", "turn-secret-value", "alice-password", "bob-password", "ice-credential-value"}) {
    EXPECT_EQ(text.find(secret), std::string::npos) << secret << " leaked: " << text;
  }
  EXPECT_NE(text.find("server.http=127.0.0.1:9000"), std::string::npos) << text;
  EXPECT_NE(text.find("auth.secret=(set)"), std::string::npos) << text;
  EXPECT_NE(text.find("turn.secret=(set)"), std::string::npos) << text;
  EXPECT_NE(text.find("turn.users=alice:(set),bob:(set)"), std::string::npos) << text;
  EXPECT_NE(text.find("credential=(set)"), std::string::npos) << text;
  EXPECT_NE(text.find("signaling.max_frame=65536"), std::string::npos) << text;

  EXPECT_NE(log::describe_config(Config{}).find("auth.secret=\"\""), std::string::npos)
      << "unset stays visible";
}

}  // namespace
}  // namespace peerhub
