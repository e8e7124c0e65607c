#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "common/config.hpp"

namespace peerhub {
namespace {

class Toml : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("peerhub-toml-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string write(const std::string& text) {
    auto path = (dir_ / "peerhub.toml").string();
    std::ofstream(path) << text;
    return path;
  }

  // The error message for loading `text`, or "(no error)".
  std::string error_of(const std::string& text) {
    Config config;
    try {
      load_toml_file(write(text), config);
    } catch (const std::runtime_error& error) {
      return error.what();
    }
    return "(no error)";
  }

  std::filesystem::path dir_;
};

TEST_F(Toml, GoodFileSetsEverySection) {
  Config config;
  load_toml_file(write(R"([server]
http = "0.0.0.0:9000"
web = "/srv/web"
workers = 4
log_level = "debug"
log_format = "json"

[tls]
cert = "c.pem"
key = "k.pem"

[signaling]
max_frame = 1000
max_connections = 50
messages_per_second = 2.5
message_burst = 10
rooms_per_connection = 3
members_per_room = 7
ping_interval = 5
idle_timeout = 15
send_queue_bytes = 4096

[[signaling.ice_servers]]
urls = "stun:stun.example.org:3478"

[[signaling.ice_servers]]
urls = ["turn:turn.example.org:3478?transport=udp", "turns:turn.example.org:5349"]
username = "u"
credential = "p"

[auth]
secret = "s3cret"
token_ttl = 60

[turn]
listen = "127.0.0.1:3479"
realm = "example"
users = ["alice:pw1", "bob:pw2"]
secret = "rest"
allow_loopback_peers = true

[media]
listen = "127.0.0.1:40000"
)"),
                 config);
  EXPECT_EQ(config.http, "0.0.0.0:9000");
  EXPECT_EQ(config.web_dir, "/srv/web");
  EXPECT_EQ(config.workers, 4u);
  EXPECT_EQ(config.log_level, "debug");
  EXPECT_EQ(config.log_format, "json");
  EXPECT_EQ(config.tls_cert, "c.pem");
  EXPECT_EQ(config.tls_key, "k.pem");
  EXPECT_EQ(config.max_frame, 1000u);
  EXPECT_EQ(config.max_connections, 50u);
  EXPECT_DOUBLE_EQ(config.messages_per_second, 2.5);
  EXPECT_DOUBLE_EQ(config.message_burst, 10);
  EXPECT_EQ(config.rooms_per_connection, 3u);
  EXPECT_EQ(config.members_per_room, 7u);
  EXPECT_EQ(config.ping_interval_s, 5u);
  EXPECT_EQ(config.idle_timeout_s, 15u);
  EXPECT_EQ(config.send_queue_bytes, 4096u);
  ASSERT_EQ(config.ice_servers.size(), 2u);
  EXPECT_EQ(config.ice_servers[0].urls, std::vector<std::string>{"stun:stun.example.org:3478"});
  EXPECT_EQ(config.ice_servers[1].urls.size(), 2u);
  EXPECT_EQ(config.ice_servers[1].username, "u");
  EXPECT_EQ(config.ice_servers[1].credential, "p");
  EXPECT_EQ(config.auth_secret, "s3cret");
  EXPECT_EQ(config.token_ttl_s, 60u);
  EXPECT_EQ(config.turn, "127.0.0.1:3479");
  EXPECT_EQ(config.turn_realm, "example");
  EXPECT_EQ(config.turn_users, (std::vector<std::string>{"alice:pw1", "bob:pw2"}));
  EXPECT_EQ(config.turn_secret, "rest");
  EXPECT_TRUE(config.turn_allow_loopback_peers);
  EXPECT_EQ(config.media, "127.0.0.1:40000");
  EXPECT_NO_THROW(validate(config));
}

TEST_F(Toml, KeysTheFileDoesNotNameKeepTheirValue) {
  Config config;
  config.max_frame = 1234;
  load_toml_file(write("[server]\nworkers = 2\n"), config);
  EXPECT_EQ(config.workers, 2u);
  EXPECT_EQ(config.max_frame, 1234u);
  EXPECT_EQ(config.http, Config{}.http);
}

TEST_F(Toml, UnknownKeyNamesFileLineAndKey) {
  const auto message = error_of("[signaling]\nmax_frame = 10\nmax_frames = 10\n");
  EXPECT_NE(message.find("peerhub.toml:3:"), std::string::npos) << message;
  EXPECT_NE(message.find("unknown key 'signaling.max_frames'"), std::string::npos) << message;
}

TEST_F(Toml, UnknownSectionAndKeysOutsideSections) {
  EXPECT_NE(error_of("[signalling]\nmax_frame = 1\n").find("unknown section [signalling]"),
            std::string::npos);
  const auto message = error_of("http = \"127.0.0.1:1\"\n");
  EXPECT_NE(message.find("peerhub.toml:1:"), std::string::npos) << message;
  EXPECT_NE(message.find("[server]"), std::string::npos) << message;
}

TEST_F(Toml, WrongTypesAreErrors) {
  auto message = error_of("[signaling]\n\nmax_frame = \"64k\"\n");
  EXPECT_NE(message.find("peerhub.toml:3:"), std::string::npos) << message;
  EXPECT_NE(message.find("signaling.max_frame"), std::string::npos) << message;
  EXPECT_NE(message.find("got a string"), std::string::npos) << message;

  EXPECT_NE(error_of("[signaling]\nmax_frame = -1\n").find("got -1"), std::string::npos);
  EXPECT_NE(error_of("[signaling]\nmax_frame = 1.5\n").find("got a float"), std::string::npos);
  EXPECT_NE(error_of("[server]\nhttp = 8080\n").find("expected a string"), std::string::npos);
  EXPECT_NE(error_of("[turn]\nallow_loopback_peers = \"yes\"\n").find("expected true or false"),
            std::string::npos);
  EXPECT_NE(error_of("[turn]\nusers = [\"a:b\", 3]\n").find("turn.users"), std::string::npos);
  EXPECT_NE(error_of("[server]\nworkers = 99999999999\n").find("from 0 to"), std::string::npos);
  EXPECT_NE(error_of("[tls]\ncert = 1979-05-27\n").find("got a date"), std::string::npos);
}

TEST_F(Toml, IceServerTablesCheckTheirKeys) {
  auto message = error_of("[signaling]\n[[signaling.ice_servers]]\nurls = \"stun:x\"\npassword = \"p\"\n");
  EXPECT_NE(message.find("peerhub.toml:4:"), std::string::npos) << message;
  EXPECT_NE(message.find("'password'"), std::string::npos) << message;
  EXPECT_NE(error_of("[signaling]\nice_servers = \"stun:x\"\n").find("array of tables"), std::string::npos);
}

TEST_F(Toml, SyntaxErrorNamesFileAndLine) {
  const auto message = error_of("[server]\nworkers = 2\nhttp = \"unterminated\n");
  EXPECT_NE(message.find("peerhub.toml:3"), std::string::npos) << message;
}

TEST_F(Toml, MissingFileIsAnError) {
  Config config;
  try {
    load_toml_file((dir_ / "nope.toml").string(), config);
    FAIL() << "no error";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("nope.toml"), std::string::npos) << error.what();
  }
}

TEST_F(Toml, FoldersAndHugeFilesAreRefused) {
  Config config;
  EXPECT_THROW(load_toml_file(dir_.string(), config), std::runtime_error);
  const auto big = (dir_ / "big.toml").string();
  std::ofstream(big) << std::string(2 * 1024 * 1024, '#');
  try {
    load_toml_file(big, config);
    FAIL() << "no error";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("larger than"), std::string::npos) << error.what();
  }
}

TEST_F(Toml, AFileWithAnErrorChangesNothing) {
  Config config;
  EXPECT_THROW(load_toml_file(write("[server]\nworkers = 3\n[signaling]\nmax_frame = \"x\"\n"), config),
               std::runtime_error);
  EXPECT_EQ(config.workers, Config{}.workers);
}

}  // namespace
}  // namespace peerhub
