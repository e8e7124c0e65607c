#include <gtest/gtest.h>

#include <functional>
#include <stdexcept>

#include "common/config.hpp"
#include "config_errors.hpp"

namespace peerhub {
namespace {

TEST(Validate, DefaultsAreValid) {
  EXPECT_NO_THROW(validate(Config{}));
}

TEST(Validate, TlsNeedsBothFiles) {
  EXPECT_ERROR_MENTIONS([](Config& c) { c.tls_cert = "c.pem"; }, "tls.key");
  EXPECT_ERROR_MENTIONS([](Config& c) { c.tls_key = "k.pem"; }, "tls.cert");
  EXPECT_EQ(error_after([](Config& c) {
              c.tls_cert = "c.pem";
              c.tls_key = "k.pem";
            }),
            "(valid)");
}

TEST(Validate, AllowedOriginsAreOrigins) {
  for (const char* bad : {"call.example", "https://", "https://call.example/", "https://call.example/app",
                          "ftp://call.example", "*"}) {
    SCOPED_TRACE(bad);
    EXPECT_ERROR_MENTIONS([&](Config& c) { c.allowed_origins = {bad}; }, "allowed_origins");
  }
  EXPECT_EQ(error_after([](Config& c) {
              c.allowed_origins = {"https://call.example:8443", "http://127.0.0.1:8080"};
            }),
            "(valid)");
}

TEST(Validate, Workers) {
  EXPECT_EQ(error_after([](Config& c) { c.workers = 256; }), "(valid)");
  EXPECT_ERROR_MENTIONS([](Config& c) { c.workers = 257; }, "server.workers");
}

TEST(Validate, ZeroLimitsAreRefused) {
  EXPECT_ERROR_MENTIONS([](Config& c) { c.max_frame = 0; }, "signaling.max_frame");
  EXPECT_ERROR_MENTIONS([](Config& c) { c.max_connections = 0; }, "signaling.max_connections");
  EXPECT_ERROR_MENTIONS([](Config& c) { c.messages_per_second = 0; }, "signaling.messages_per_second");
  EXPECT_ERROR_MENTIONS([](Config& c) { c.message_burst = 0; }, "signaling.message_burst");
  EXPECT_ERROR_MENTIONS([](Config& c) { c.rooms_per_connection = 0; }, "signaling.rooms_per_connection");
  EXPECT_ERROR_MENTIONS([](Config& c) { c.members_per_room = 0; }, "signaling.members_per_room");
  EXPECT_ERROR_MENTIONS([](Config& c) { c.ping_interval_s = 0; }, "signaling.ping_interval");
  EXPECT_ERROR_MENTIONS([](Config& c) { c.token_ttl_s = 0; }, "auth.token_ttl");
}

TEST(Validate, IdleTimeoutMustOutlastThePingInterval) {
  EXPECT_ERROR_MENTIONS(
      [](Config& c) {
        c.ping_interval_s = 30;
        c.idle_timeout_s = 30;
      },
      "signaling.idle_timeout");
  EXPECT_EQ(error_after([](Config& c) {
              c.ping_interval_s = 30;
              c.idle_timeout_s = 31;
            }),
            "(valid)");
}

TEST(Validate, FrameMustFitTheSendQueueAndAnUpperBound) {
  EXPECT_ERROR_MENTIONS([](Config& c) { c.send_queue_bytes = c.max_frame - 1; }, "send_queue_bytes");
  EXPECT_ERROR_MENTIONS(
      [](Config& c) {
        c.max_frame = 64u * 1024 * 1024;
        c.send_queue_bytes = c.max_frame;
      },
      "at most");
}

TEST(Validate, AddressesLevelsAndFormats) {
  EXPECT_ERROR_MENTIONS([](Config& c) { c.http = "localhost:80"; }, "server.http");
  EXPECT_ERROR_MENTIONS([](Config& c) { c.turn = "1.2.3.4"; }, "turn.listen");
  EXPECT_ERROR_MENTIONS([](Config& c) { c.media = "[::1]:70000"; }, "media.listen");
  EXPECT_ERROR_MENTIONS([](Config& c) { c.log_level = "verbose"; }, "'verbose'");
  EXPECT_ERROR_MENTIONS([](Config& c) { c.log_format = "xml"; }, "server.log_format");
}

TEST(Validate, IceServersAndTurnUsers) {
  EXPECT_ERROR_MENTIONS([](Config& c) { c.ice_servers.resize(1); }, "no urls");
  EXPECT_ERROR_MENTIONS(
      [](Config& c) {
        c.ice_servers.resize(1);
        c.ice_servers[0].urls = {"http://x"};
      },
      "'http://x'");
  EXPECT_ERROR_MENTIONS([](Config& c) { c.turn_users = {"alice"}; }, "USER:PASS");
  EXPECT_ERROR_MENTIONS([](Config& c) { c.turn_users = {":pw"}; }, "USER:PASS");
  EXPECT_ERROR_MENTIONS([](Config& c) { c.turn_realm.clear(); }, "turn.realm");
}

TEST(Validate, AMalformedTurnUserNeverEchoesThePassword) {
  const auto message = error_after([](Config& c) { c.turn_users = {"alice:"}; });
  EXPECT_NE(message.find("alice"), std::string::npos) << message;
  const auto no_name = error_after([](Config& c) { c.turn_users = {":hunter2"}; });
  EXPECT_EQ(no_name.find("hunter2"), std::string::npos) << no_name;
}

}  // namespace
}  // namespace peerhub
