// PeerHost, the shell of one PeerConnection on real loopback sockets: two hosts connect and open a channel,
// and a close() made inside an event handler still sends the close_notify, so the other side sees the
// connection closed at once instead of losing consent 30 s later.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <optional>

#include "common/overloaded.hpp"
#include "net/peer_host.hpp"

namespace peerhub::net {
namespace {

TEST(PeerHost, CloseFromAnEventHandlerStillTellsTheOtherSide) {
  boost::asio::io_context io;
  PeerHostOptions options;
  options.interfaces.include = {"127.0.0.1"};
  PeerHost a(io, peer::Configuration{}, options);
  PeerHost b(io, peer::Configuration{}, options);
  std::optional<peer::ConnectionState> b_state;
  std::string b_reason;
  bool a_opened = false;
  ASSERT_TRUE(a.start([&](peer::Event&& e) {
    std::visit(Overloaded{[&](peer::event::LocalCandidate& c) {
                            (void)b.pc().add_ice_candidate(b.now(), c.candidate, c.mid);
                            b.flush();
                          },
                          [&](peer::event::ChannelOpen&) {
                            a_opened = true;
                            a.close();  // inside a's flush
                          },
                          [](auto&) {}},
               e);
  }));
  ASSERT_TRUE(b.start([&](peer::Event&& e) {
    std::visit(Overloaded{[&](peer::event::LocalCandidate& c) {
                            (void)a.pc().add_ice_candidate(a.now(), c.candidate, c.mid);
                            a.flush();
                          },
                          [&](peer::event::StateChanged& s) {
                            b_state = s.state;
                            b_reason = s.reason;
                            if (s.state == peer::ConnectionState::closed) io.stop();
                          },
                          [](auto&) {}},
               e);
  }));
  ASSERT_TRUE(a.pc().create_data_channel("chat"));
  auto offer = a.pc().create_offer();
  ASSERT_TRUE(a.pc().set_local_description(a.now(), *offer));
  ASSERT_TRUE(b.pc().set_remote_description(b.now(), *offer));
  auto answer = b.pc().create_answer();
  ASSERT_TRUE(b.pc().set_local_description(b.now(), *answer));
  ASSERT_TRUE(a.pc().set_remote_description(a.now(), *answer));
  a.flush();
  b.flush();
  boost::asio::steady_timer limit(io, std::chrono::seconds(5));
  limit.async_wait([&](auto ec) {
    if (!ec) io.stop();
  });
  const auto start = std::chrono::steady_clock::now();
  io.run();
  EXPECT_TRUE(a_opened);
  ASSERT_TRUE(b_state.has_value());
  EXPECT_EQ(*b_state, peer::ConnectionState::closed);
  EXPECT_EQ(b_reason, "the other side closed the connection");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

}  // namespace
}  // namespace peerhub::net
