#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <stdexcept>

#include "common/config.hpp"
#include "common/settings.hpp"

namespace peerhub {
namespace {

// An environ-style array over `entries`, terminated by a null pointer.
class Environment {
 public:
  Environment(std::initializer_list<std::string> entries) : entries_(entries) {
    for (auto& entry : entries_)
      pointers_.push_back(entry.data());
    pointers_.push_back(nullptr);
  }
  char** get() { return pointers_.data(); }

 private:
  std::vector<std::string> entries_;
  std::vector<char*> pointers_;
};

TEST(Environment, EveryNameMapsToItsSetting) {
  Environment env{"PEERHUB_HTTP=127.0.0.1:0",
                  "PEERHUB_MAX_FRAME=1000",
                  "PEERHUB_AUTH_SECRET=s",
                  "PEERHUB_MESSAGES_PER_SECOND=2.5",
                  "PEERHUB_TURN_ALLOW_LOOPBACK_PEERS=yes",
                  "PEERHUB_IDLE_TIMEOUT=90",
                  "PEERHUB_LOG_LEVEL=debug",
                  "PEERHUB_WEB=/srv",
                  "PEERHUB_TLS_CERT=c.pem",
                  "PEERHUB_TURN=127.0.0.1:3479"};
  Config config;
  auto warnings = apply_environment(env.get(), config);
  EXPECT_TRUE(warnings.empty());
  EXPECT_EQ(config.http, "127.0.0.1:0");
  EXPECT_EQ(config.max_frame, 1000u);
  EXPECT_EQ(config.auth_secret, "s");
  EXPECT_DOUBLE_EQ(config.messages_per_second, 2.5);
  EXPECT_TRUE(config.turn_allow_loopback_peers);
  EXPECT_EQ(config.idle_timeout_s, 90u);
  EXPECT_EQ(config.log_level, "debug");
  EXPECT_EQ(config.web_dir, "/srv");
  EXPECT_EQ(config.tls_cert, "c.pem");
  EXPECT_EQ(config.turn, "127.0.0.1:3479");
}

TEST(Environment, NamesFollowTheFlags) {
  std::set<std::string> envs;
  std::set<std::string> keys;
  for (const auto& setting : settings()) {
    EXPECT_TRUE(envs.insert(env_name(setting)).second) << env_name(setting);
    EXPECT_TRUE(keys.insert(std::string(setting.section) + "." + std::string(setting.key)).second);
  }
  for (const char* name : {"PEERHUB_HTTP", "PEERHUB_MAX_FRAME", "PEERHUB_AUTH_SECRET", "PEERHUB_TURN_USER",
                           "PEERHUB_ICE_SERVER", "PEERHUB_TURN_ALLOW_LOOPBACK_PEERS", "PEERHUB_MEDIA"}) {
    EXPECT_TRUE(envs.count(name)) << name;
  }
}

TEST(Environment, ListsAreCommaSeparatedAndReplaceEarlierValues) {
  Config config;
  config.turn_users = {"old:x"};
  Environment env{"PEERHUB_TURN_USER=alice:a,bob:b", "PEERHUB_ICE_SERVER=stun:a:3478,,turn:b:3478"};
  apply_environment(env.get(), config);
  EXPECT_EQ(config.turn_users, (std::vector<std::string>{"alice:a", "bob:b"}));
  ASSERT_EQ(config.ice_servers.size(), 2u);
  EXPECT_EQ(config.ice_servers[1].urls, std::vector<std::string>{"turn:b:3478"});
}

TEST(Environment, UnknownVariablesAreWarningsNotErrors) {
  Config config;
  Environment env{"PEERHUB_MAX_FRAMES=10", "PEERHUB_CONFIG=x.toml", "HOME=/root", "PEERHUBX=1"};
  auto warnings = apply_environment(env.get(), config);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("PEERHUB_MAX_FRAMES"), std::string::npos) << warnings[0];
  EXPECT_EQ(config.max_frame, Config{}.max_frame);
}

TEST(Environment, MalformedValueNamesTheVariable) {
  Config config;
  Environment env{"PEERHUB_WORKERS=2", "PEERHUB_MAX_FRAME=lots"};
  try {
    apply_environment(env.get(), config);
    FAIL() << "no error";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("PEERHUB_MAX_FRAME"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("'lots'"), std::string::npos) << error.what();
  }
  EXPECT_EQ(config.workers, Config{}.workers) << "a failed environment changes nothing";
  Environment negative{"PEERHUB_WORKERS=-1"};
  EXPECT_THROW(apply_environment(negative.get(), config), std::invalid_argument);
  Environment bad_switch{"PEERHUB_TURN_ALLOW_LOOPBACK_PEERS=maybe"};
  EXPECT_THROW(apply_environment(bad_switch.get(), config), std::invalid_argument);
}

TEST(Environment, NullEnvironmentIsEmpty) {
  Config config;
  EXPECT_TRUE(apply_environment(nullptr, config).empty());
}

TEST(Environment, WinsOverTheTomlFile) {
  const auto path = std::filesystem::temp_directory_path() / "peerhub-env-precedence.toml";
  std::ofstream(path) << "[signaling]\nmax_frame = 1000\nmax_connections = 5\n";
  Config config;
  load_toml_file(path.string(), config);
  Environment env{"PEERHUB_MAX_FRAME=3000"};
  apply_environment(env.get(), config);
  std::filesystem::remove(path);
  EXPECT_EQ(config.max_frame, 3000u);
  EXPECT_EQ(config.max_connections, 5u) << "what the environment does not name keeps the file's value";
}

TEST(Settings, TextValuesParseLikeTheEnvironment) {
  Config config;
  for (const auto& setting : settings()) {
    if (setting.flag == "workers") set_from_text(setting, {"1", "7"}, config);  // the last one wins
  }
  EXPECT_EQ(config.workers, 7u);
  EXPECT_THROW(parse_count("", 10), std::invalid_argument);
  EXPECT_THROW(parse_count("11", 10), std::invalid_argument);
  EXPECT_EQ(parse_count("10", 10), 10u);
  EXPECT_THROW(parse_number("nan"), std::invalid_argument);
  EXPECT_THROW(parse_number("inf"), std::invalid_argument);
  EXPECT_THROW(parse_number("1.5x"), std::invalid_argument);
  EXPECT_DOUBLE_EQ(parse_number("1e2"), 100);
  EXPECT_TRUE(parse_switch("on"));
  EXPECT_FALSE(parse_switch("0"));
}

}  // namespace
}  // namespace peerhub

namespace peerhub {
namespace {

TEST(Settings, EveryFlagOfTheContractExists) {
  std::set<std::string_view> flags;
  for (const auto& setting : settings())
    flags.insert(setting.flag);
  for (const char* flag : {"http",
                           "turn",
                           "media",
                           "web",
                           "workers",
                           "log-level",
                           "log-format",
                           "tls-cert",
                           "tls-key",
                           "max-frame",
                           "max-connections",
                           "messages-per-second",
                           "message-burst",
                           "rooms-per-connection",
                           "members-per-room",
                           "ping-interval",
                           "idle-timeout",
                           "send-queue-bytes",
                           "auth-secret",
                           "ice-server",
                           "turn-realm",
                           "turn-user",
                           "turn-secret",
                           "turn-allow-loopback-peers"}) {
    EXPECT_TRUE(flags.count(flag)) << "--" << flag;
  }
}

TEST(Settings, DescribedDefaultsReadBackUnchanged) {
  const Config defaults;
  for (const auto& setting : settings()) {
    if (setting.secret) continue;
    Config config;
    const auto text = describe(setting, defaults);
    set_from_text(setting, {text}, config);
    EXPECT_EQ(describe(setting, config), text) << setting.flag;
  }
}

}  // namespace
}  // namespace peerhub
