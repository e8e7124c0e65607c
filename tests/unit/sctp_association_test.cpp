// Two associations, packets passed by hand: the association comes up, channels open on both sides, messages
// of every size arrive whole and in order, channels close by stream reset.
#include <gtest/gtest.h>

#include "sctp_pair.hpp"

namespace peerhub::sctp {
namespace {

using testing::channel;
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

namespace peerhub::sctp {
namespace {

using testing::channel;
using testing::events_of;
using testing::has_event;
using testing::LinkFaults;
using testing::Pair;

bool both_connected(Pair& pair) {
  return pair.a().state() == State::connected && pair.b().state() == State::connected;
}

std::vector<std::uint8_t> pattern(std::size_t size, std::uint32_t seed) {
  std::vector<std::uint8_t> bytes(size);
  std::uint32_t x = seed * 2654435761u + 1;
  for (auto& b : bytes) {
    x = x * 1103515245u + 12345u;
    b = static_cast<std::uint8_t>(x >> 24);
  }
  return bytes;
}

TEST(SctpChannels, ChannelOpenedByOneSideAppearsOnTheOtherWithItsOptions) {
  Pair pair;
  pair.connect();
  ChannelOptions options;
  options.label = "chat";
  options.protocol = "json";
  options.ordered = false;
  options.max_retransmits = 3;
  options.priority = 512;
  auto id = pair.a().open_channel(options);
  ASSERT_TRUE(id.ok()) << id.error();
  EXPECT_EQ(*id % 2, 0);  // RFC 8832 §6: the DTLS client takes even ids
  ASSERT_TRUE(pair.run_until([&] { return !events_of<event::ChannelOpen>(pair.b_events()).empty(); }));
  const auto remote = events_of<event::ChannelOpen>(pair.b_events()).at(0);
  EXPECT_EQ(remote.id, *id);
  EXPECT_EQ(remote.label, "chat");
  EXPECT_EQ(remote.protocol, "json");
  EXPECT_FALSE(remote.ordered);
  EXPECT_EQ(remote.max_retransmits, 3u);
  EXPECT_FALSE(remote.max_lifetime_ms);
  EXPECT_EQ(remote.priority, 512);
  EXPECT_TRUE(remote.incoming);
  EXPECT_FALSE(remote.negotiated);
  const auto local = events_of<event::ChannelOpen>(pair.a_events());
  ASSERT_EQ(local.size(), 1u);
  EXPECT_FALSE(local[0].incoming);

  // The server side's channels are odd, and timed reliability crosses too.
  ChannelOptions timed;
  timed.label = "t";
  timed.max_lifetime_ms = 250;
  auto odd = pair.b().open_channel(timed);
  ASSERT_TRUE(odd.ok());
  EXPECT_EQ(*odd % 2, 1);
  ASSERT_TRUE(pair.run_until([&] { return events_of<event::ChannelOpen>(pair.a_events()).size() == 2; }));
  EXPECT_EQ(events_of<event::ChannelOpen>(pair.a_events()).at(1).max_lifetime_ms, 250u);
}

TEST(SctpChannels, ChannelOpenedBeforeConnectOpensWhenTheAssociationIsUp) {
  Pair pair;
  auto id = pair.a().open_channel(channel("early"));
  ASSERT_TRUE(id.ok());
  const std::vector<std::uint8_t> hello = {'h', 'i'};
  ASSERT_TRUE(pair.a().send(*id, false, hello).ok());
  pair.connect();
  ASSERT_TRUE(pair.run_until([&] { return !events_of<event::Message>(pair.b_events()).empty(); }));
  EXPECT_EQ(events_of<event::ChannelOpen>(pair.b_events()).at(0).label, "early");
  EXPECT_EQ(events_of<event::Message>(pair.b_events()).at(0).bytes, hello);
}

// Every size from nothing to 1 MiB, string and binary, ordered, across a link that loses 5 % of packets.
TEST(SctpChannels, MessagesOfEverySizeArriveWholeAndInOrderDespiteLoss) {
  Config big;
  big.remote_max_message_size = 1024 * 1024;
  Pair pair(LinkFaults(0.05, 0.02, 0.05), 7, big, big);
  pair.connect();
  auto id = pair.a().open_channel(channel("sizes"));
  ASSERT_TRUE(id.ok());
  const std::vector<std::size_t> sizes = {0, 1, 1024, 64 * 1024, 256 * 1024, 1024 * 1024, 0, 1};
  std::vector<std::vector<std::uint8_t>> sent;
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    sent.push_back(pattern(sizes[i], static_cast<std::uint32_t>(i)));
    auto r = pair.a().send(*id, i % 2 == 1, sent.back());
    ASSERT_TRUE(r.ok()) << r.error();
  }
  ASSERT_TRUE(
      pair.run_until([&] { return events_of<event::Message>(pair.b_events()).size() == sizes.size(); },
                     std::chrono::minutes(5)));
  const auto got = events_of<event::Message>(pair.b_events());
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    EXPECT_EQ(got[i].id, *id);
    EXPECT_EQ(got[i].binary, i % 2 == 1) << "message " << i;
    EXPECT_EQ(got[i].bytes.size(), sizes[i]) << "message " << i;
    EXPECT_TRUE(got[i].bytes == sent[i]) << "message " << i << " differs";
  }
  // Every packet fits the configured size (what DTLS over UDP on an IPv6 minimum-MTU path can carry).
  EXPECT_EQ(pair.largest_packet(), Config{}.mtu);
}

TEST(SctpChannels, UnorderedChannelDeliversEveryMessage) {
  Pair pair(LinkFaults(0.05, 0, 0.2), 11);
  pair.connect();
  auto id = pair.a().open_channel(channel("u", [](ChannelOptions& o) { o.ordered = false; }));
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(pair.run_until([&] { return !events_of<event::ChannelOpen>(pair.b_events()).empty(); }));
  for (std::uint32_t i = 0; i < 300; ++i) {
    auto bytes = pattern(100 + i, i);
    ASSERT_TRUE(pair.a().send(*id, true, bytes).ok());
  }
  ASSERT_TRUE(pair.run_until([&] { return events_of<event::Message>(pair.b_events()).size() == 300; }));
  std::vector<bool> seen(300);
  for (const auto& m : events_of<event::Message>(pair.b_events())) {
    const std::size_t i = m.bytes.size() - 100;
    ASSERT_LT(i, 300u);
    EXPECT_TRUE(m.bytes == pattern(100 + i, static_cast<std::uint32_t>(i)));
    seen[i] = true;
  }
  EXPECT_EQ(std::count(seen.begin(), seen.end(), true), 300);
}

TEST(SctpChannels, NoRetransmitChannelDropsSomeUnderLossButNeverBlocks) {
  Pair pair(LinkFaults(0.2), 3);
  pair.connect();
  ASSERT_TRUE(pair.run_until([&] { return both_connected(pair); }));
  auto id = pair.a().open_channel(channel("lossy", [](ChannelOptions& o) {
    o.ordered = false;
    o.max_retransmits = 0;
  }));
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(pair.run_until([&] { return !events_of<event::ChannelOpen>(pair.b_events()).empty(); }));
  for (std::uint32_t i = 0; i < 500; ++i) {
    ASSERT_TRUE(pair.a().send(*id, true, pattern(200, i)).ok());
    pair.step();
  }
  // A reliable channel after it still gets through: abandoned messages do not hold up the association.
  auto after = pair.a().open_channel(channel("after"));
  ASSERT_TRUE(after.ok());
  const std::vector<std::uint8_t> last = {'e', 'n', 'd'};
  ASSERT_TRUE(pair.a().send(*after, false, last).ok());
  ASSERT_TRUE(pair.run_until([&] {
    auto got = events_of<event::Message>(pair.b_events());
    return !got.empty() && got.back().id == *after;
  }));
  std::size_t lossy = 0;
  for (const auto& m : events_of<event::Message>(pair.b_events()))
    lossy += m.id == *id ? 1 : 0;
  EXPECT_LT(lossy, 500u);
  EXPECT_GT(lossy, 250u);
}

TEST(SctpChannels, MessageOverTheRemoteMaxMessageSizeIsRefusedWithWords) {
  Pair pair;
  pair.connect();
  auto id = pair.a().open_channel(channel("x"));
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(pair.a().max_message_size(), 65536u);  // RFC 8841 §6: no attribute means 64 KiB
  auto refused = pair.a().send(*id, true, std::vector<std::uint8_t>(65537));
  EXPECT_FALSE(refused.ok());
  EXPECT_EQ(refused.error(), "a message of 65537 bytes is over the max-message-size of 65536");
  EXPECT_TRUE(pair.a().send(*id, true, std::vector<std::uint8_t>(65536)).ok());
  pair.a().set_remote_max_message_size(0);  // "no limit": still bounded by the SCTP send buffer
  EXPECT_EQ(pair.a().max_message_size(), Config{}.sctp_send_buffer);
  EXPECT_EQ(pair.a().send(99, true, std::vector<std::uint8_t>(1)).error(), "no channel 99");
}

TEST(SctpChannels, BufferedAmountGrowsThenFallsAndSignalsLow) {
  Config small;
  small.sctp_send_buffer = 256 * 1024;
  small.send_buffer_limit = 4 * 1024 * 1024;
  Pair pair(LinkFaults(), 1, small, small);
  pair.connect();
  ASSERT_TRUE(pair.run_until([&] { return both_connected(pair); }));
  auto id = pair.a().open_channel(channel("file"));
  ASSERT_TRUE(id.ok());
  pair.a().set_buffered_amount_low_threshold(*id, 64 * 1024);
  // Nothing moves between these sends: SCTP's buffer fills, then ours.
  for (std::uint32_t i = 0; i < 40; ++i)
    ASSERT_TRUE(pair.a().send(*id, true, pattern(64 * 1024, i)).ok());
  const std::size_t peak = pair.a().buffered_amount(*id);
  EXPECT_GT(peak, 1024u * 1024);
  ASSERT_TRUE(pair.run_until([&] { return has_event<event::BufferedAmountLow>(pair.a_events()); }));
  EXPECT_LE(pair.a().buffered_amount(*id), 64u * 1024);
  EXPECT_EQ(events_of<event::BufferedAmountLow>(pair.a_events()).at(0).id, *id);
  ASSERT_TRUE(pair.run_until([&] { return events_of<event::Message>(pair.b_events()).size() == 40; }));
  EXPECT_EQ(pair.a().buffered_amount(*id), 0u);
}

TEST(SctpChannels, SendBufferLimitRefusesWithWords) {
  Config tiny;
  tiny.sctp_send_buffer = 128 * 1024;
  tiny.send_buffer_limit = 256 * 1024;
  Pair pair(LinkFaults(), 1, tiny, tiny);
  pair.connect();
  ASSERT_TRUE(pair.run_until([&] { return both_connected(pair); }));
  auto id = pair.a().open_channel(channel("f"));
  ASSERT_TRUE(id.ok());
  Result<void> last;
  int accepted = 0;
  for (int i = 0; i < 20 && last.ok(); ++i) {
    last = pair.a().send(*id, true, std::vector<std::uint8_t>(60000));
    accepted += last.ok() ? 1 : 0;
  }
  ASSERT_FALSE(last.ok());
  EXPECT_NE(last.error().find("send buffer full"), std::string::npos) << last.error();
  EXPECT_GE(accepted, 4);
}

TEST(SctpChannels, CloseChannelClosesBothSidesAndLeavesOthersAlone) {
  Pair pair;
  pair.connect();
  auto keep = pair.a().open_channel(channel("keep"));
  auto gone = pair.a().open_channel(channel("gone"));
  ASSERT_TRUE(keep.ok() && gone.ok());
  ASSERT_TRUE(pair.run_until([&] { return events_of<event::ChannelOpen>(pair.b_events()).size() == 2; }));
  const std::vector<std::uint8_t> bye = {'b', 'y', 'e'};
  ASSERT_TRUE(pair.a().send(*gone, false, bye).ok());
  ASSERT_TRUE(pair.a().close_channel(*gone).ok());
  EXPECT_EQ(pair.a().send(*gone, false, bye).error(), "channel " + std::to_string(*gone) + " is closing");
  ASSERT_TRUE(pair.run_until([&] {
    return has_event<event::ChannelClosed>(pair.a_events()) &&
           has_event<event::ChannelClosed>(pair.b_events());
  }));
  EXPECT_EQ(events_of<event::ChannelClosed>(pair.a_events()).at(0).id, *gone);
  EXPECT_EQ(events_of<event::ChannelClosed>(pair.b_events()).at(0).id, *gone);
  EXPECT_TRUE(has_event<event::ChannelClosing>(pair.b_events()));
  // The message sent before close still arrived, before the close.
  const auto got = events_of<event::Message>(pair.b_events());
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].bytes, bye);
  // The other channel still works both ways.
  ASSERT_TRUE(pair.a().send(*keep, false, bye).ok());
  ASSERT_TRUE(pair.b().send(*keep, false, bye).ok());
  ASSERT_TRUE(pair.run_until([&] {
    return events_of<event::Message>(pair.b_events()).size() == 2 &&
           !events_of<event::Message>(pair.a_events()).empty();
  }));
  // The closed id can be opened again.
  auto again = pair.a().open_channel(channel("again", [&](ChannelOptions& o) { o.negotiated_id = *gone; }));
  EXPECT_TRUE(again.ok()) << again.error();
}

TEST(SctpChannels, PeerClosingAChannelClosesItHereToo) {
  Pair pair;
  pair.connect();
  auto id = pair.a().open_channel(channel("c"));
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(pair.run_until([&] { return !events_of<event::ChannelOpen>(pair.b_events()).empty(); }));
  ASSERT_TRUE(pair.b().close_channel(*id).ok());
  ASSERT_TRUE(pair.run_until([&] {
    return has_event<event::ChannelClosed>(pair.a_events()) &&
           has_event<event::ChannelClosed>(pair.b_events());
  }));
  EXPECT_EQ(pair.a().send(*id, false, std::vector<std::uint8_t>{1}).error(),
            "no channel " + std::to_string(*id));
}

TEST(SctpChannels, TwoHundredChannels) {
  Pair pair;
  pair.connect();
  ASSERT_TRUE(pair.run_until([&] { return both_connected(pair); }));
  std::vector<std::uint16_t> ids;
  for (int i = 0; i < 100; ++i) {
    auto a = pair.a().open_channel(channel("a" + std::to_string(i)));
    auto b = pair.b().open_channel(channel("b" + std::to_string(i)));
    ASSERT_TRUE(a.ok() && b.ok());
    ids.push_back(*a);
    ids.push_back(*b);
  }
  ASSERT_TRUE(pair.run_until([&] {
    return events_of<event::ChannelOpen>(pair.a_events()).size() == 200 &&
           events_of<event::ChannelOpen>(pair.b_events()).size() == 200;
  }));
  for (std::size_t i = 0; i < ids.size(); ++i) {
    auto& from = i % 2 == 0 ? pair.a() : pair.b();
    const auto text = std::to_string(ids[i]);
    ASSERT_TRUE(from.send(ids[i], false, std::vector<std::uint8_t>(text.begin(), text.end())).ok());
  }
  ASSERT_TRUE(pair.run_until([&] {
    return events_of<event::Message>(pair.a_events()).size() == 100 &&
           events_of<event::Message>(pair.b_events()).size() == 100;
  }));
  for (auto* events : {&pair.a_events(), &pair.b_events()}) {
    for (const auto& m : events_of<event::Message>(*events)) {
      EXPECT_EQ(std::string(m.bytes.begin(), m.bytes.end()), std::to_string(m.id));
    }
  }
}

TEST(SctpChannels, NegotiatedChannelsNeedNoDcep) {
  Pair pair;
  pair.connect();
  auto a = pair.a().open_channel(channel("n", [](ChannelOptions& o) { o.negotiated_id = 7; }));
  auto b = pair.b().open_channel(channel("n", [](ChannelOptions& o) { o.negotiated_id = 7; }));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a, 7);
  ASSERT_TRUE(pair.run_until([&] { return both_connected(pair); }));
  const std::vector<std::uint8_t> ping = {'p'};
  ASSERT_TRUE(pair.a().send(7, true, ping).ok());
  ASSERT_TRUE(pair.run_until([&] { return !events_of<event::Message>(pair.b_events()).empty(); }));
  EXPECT_TRUE(events_of<event::ChannelOpen>(pair.b_events()).at(0).negotiated);
  EXPECT_EQ(pair.a().open_channel(channel("dup", [](ChannelOptions& o) { o.negotiated_id = 7; })).error(),
            "negotiated id 7 is in use");
  auto both = pair.a().open_channel(channel("bad", [](ChannelOptions& o) {
    o.max_retransmits = 1;
    o.max_lifetime_ms = 5;
  }));
  EXPECT_EQ(both.error(), "a channel takes max_retransmits or max_lifetime_ms, not both");
}

TEST(SctpAssociationLife, CloseShutsDownBothSides) {
  Pair pair;
  pair.connect();
  ASSERT_TRUE(pair.run_until([&] { return both_connected(pair); }));
  auto id = pair.a().open_channel(channel("x"));
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(pair.run_until([&] { return !events_of<event::ChannelOpen>(pair.b_events()).empty(); }));
  pair.a().close();
  ASSERT_TRUE(pair.run_until([&] {
    return has_event<event::Closed>(pair.a_events()) && has_event<event::Closed>(pair.b_events());
  }));
  EXPECT_TRUE(has_event<event::ChannelClosed>(pair.a_events()));
  EXPECT_TRUE(has_event<event::ChannelClosed>(pair.b_events()));
  EXPECT_EQ(pair.a().next_timeout(), std::nullopt);
  EXPECT_EQ(pair.a().send(*id, true, std::vector<std::uint8_t>{1}).error(), "the SCTP association is closed");
}

TEST(SctpAssociationLife, AbortIsSeenByThePeerAsFailure) {
  Pair pair;
  pair.connect();
  ASSERT_TRUE(pair.run_until([&] { return both_connected(pair); }));
  pair.a().abort();
  ASSERT_TRUE(pair.run_until([&] { return has_event<event::Failed>(pair.b_events()); }));
  EXPECT_TRUE(has_event<event::Closed>(pair.a_events()));
  EXPECT_NE(events_of<event::Failed>(pair.b_events()).at(0).reason.find("aborted"), std::string::npos);
}

TEST(SctpAssociationLife, PeerThatNeverAnswersFails) {
  Pair pair(LinkFaults(1.0));
  pair.connect();
  ASSERT_TRUE(
      pair.run_until([&] { return has_event<event::Failed>(pair.a_events()); }, std::chrono::minutes(5)));
  EXPECT_EQ(pair.a().state(), State::failed);
}

}  // namespace
}  // namespace peerhub::sctp

namespace peerhub::sctp {
namespace {

// RFC 8832 §6: an OPEN that breaks the even/odd rule is answered by closing the channel, never by an ACK.
TEST(SctpChannels, OpenOnTheWrongParityIsRefusedByClosingTheChannel) {
  Config client;
  client.dtls_role = DtlsRole::client;
  testing::Pair pair(testing::LinkFaults(), 1, client, client, /*keep_roles=*/true);
  pair.connect();
  auto id = pair.b().open_channel(testing::channel("both-even"));
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(*id % 2, 0);
  ASSERT_TRUE(pair.run_until([&] { return testing::has_event<event::ChannelClosed>(pair.b_events()); }));
  EXPECT_TRUE(testing::events_of<event::ChannelOpen>(pair.a_events()).empty());
  EXPECT_TRUE(testing::events_of<event::ChannelClosed>(pair.a_events()).empty());
  // The association itself is fine: a negotiated channel (no DCEP, no parity rule) carries a message.
  auto na = pair.a().open_channel(testing::channel("n", [](ChannelOptions& o) { o.negotiated_id = 5; }));
  auto nb = pair.b().open_channel(testing::channel("n", [](ChannelOptions& o) { o.negotiated_id = 5; }));
  ASSERT_TRUE(na.ok() && nb.ok());
  ASSERT_TRUE(pair.a().send(5, false, std::vector<std::uint8_t>{'o', 'k'}).ok());
  ASSERT_TRUE(pair.run_until([&] { return !testing::events_of<event::Message>(pair.b_events()).empty(); }));
  EXPECT_EQ(pair.b().state(), State::connected);
}

}  // namespace
}  // namespace peerhub::sctp

namespace peerhub::sctp {
namespace {

// The peer grants 4 streams: ids 0 and 2 are ours (DTLS client), and then there is no room, said in words.
TEST(SctpChannels, ChannelIdsStayWithinTheStreamsThePeerGranted) {
  Config few;
  few.max_channels = 4;
  testing::Pair pair(testing::LinkFaults(), 1, Config{}, few);
  pair.connect();
  ASSERT_TRUE(pair.run_until([&] { return pair.a().state() == State::connected; }));
  auto first = pair.a().open_channel(testing::channel("0"));
  auto second = pair.a().open_channel(testing::channel("2"));
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(*first, 0);
  EXPECT_EQ(*second, 2);
  EXPECT_EQ(pair.a().open_channel(testing::channel("none")).error(),
            "no free stream id: all 2 of ours are in use");
  EXPECT_EQ(
      pair.a().open_channel(testing::channel("n", [](ChannelOptions& o) { o.negotiated_id = 9; })).error(),
      "negotiated id 9 is not below the 4 streams of this association");
  ASSERT_TRUE(
      pair.run_until([&] { return testing::events_of<event::ChannelOpen>(pair.b_events()).size() == 2; }));
}

}  // namespace
}  // namespace peerhub::sctp

namespace peerhub::sctp {
namespace {

TEST(SctpChannels, OrderedChannelKeepsTheOrderOfManyMessagesUnderLossReorderAndDuplication) {
  testing::Pair pair(testing::LinkFaults(0.05, 0.05, 0.1), 21);
  pair.connect();
  auto id = pair.a().open_channel(testing::channel("ordered"));
  ASSERT_TRUE(id.ok());
  constexpr std::uint32_t kCount = 1000;
  for (std::uint32_t i = 0; i < kCount; ++i) {
    // Sizes from 4 bytes to a few packets, each starting with its sequence number.
    std::vector<std::uint8_t> bytes(4 + (i * 37) % 3000, static_cast<std::uint8_t>(i));
    for (int k = 0; k < 4; ++k)
      bytes[k] = static_cast<std::uint8_t>(i >> (8 * k));
    ASSERT_TRUE(pair.a().send(*id, true, bytes).ok());
    if (i % 50 == 0) pair.step();
  }
  ASSERT_TRUE(
      pair.run_until([&] { return testing::events_of<event::Message>(pair.b_events()).size() >= kCount; },
                     std::chrono::minutes(5)));
  const auto got = testing::events_of<event::Message>(pair.b_events());
  ASSERT_EQ(got.size(), kCount);  // nothing twice
  for (std::uint32_t i = 0; i < kCount; ++i) {
    std::uint32_t seq = 0;
    for (int k = 0; k < 4; ++k)
      seq |= std::uint32_t{got[i].bytes[k]} << (8 * k);
    ASSERT_EQ(seq, i);
    ASSERT_EQ(got[i].bytes.size(), 4 + (i * 37) % 3000);
  }
}

}  // namespace
}  // namespace peerhub::sctp
