// Two associations, packets passed by hand: the association comes up, channels open on both sides, messages
// of every size arrive whole and in order, channels close by stream reset.
#include <gtest/gtest.h>

#include "sctp_pair.hpp"

namespace peerhub::sctp {
namespace {

using testing::events_of;
using testing::has_event;
using testing::Pair;

TEST(SctpAssociation, BothSidesConnectBySimultaneousOpen) {
  Pair pair;
  pair.connect();
  ASSERT_TRUE(pair.run_until(
      [&] { return pair.a().state() == State::connected && pair.b().state() == State::connected; },
      std::chrono::seconds(5)));
  EXPECT_TRUE(has_event<event::Connected>(pair.a_events()));
  EXPECT_TRUE(has_event<event::Connected>(pair.b_events()));
}

}  // namespace
}  // namespace peerhub::sctp
