// "list": pages of the online names in byte order, with an "after" cursor that stays valid while people
// come and go (the directory has no ordered index: each page is picked from the whole table).
#include <algorithm>
#include <set>

#include "signaling_harness.hpp"

namespace peerhub::signaling::testing {
namespace {

struct Page {
  std::vector<std::string> names;
  std::int64_t total = 0;
  std::optional<std::string> next;
};

Page list(Harness& h, ConnId from, std::optional<std::string_view> after = std::nullopt) {
  json::object request{{"type", "list"}};
  if (after) request["after"] = *after;
  h.send_json(from, request);
  json::object reply = h.next(from);
  EXPECT_EQ(reply["type"], "list") << json::serialize(reply);
  Page page;
  for (const json::value& name : reply["names"].as_array())
    page.names.emplace_back(name.as_string());
  page.total = reply["total"].as_int64();
  if (const json::value* next = reply.if_contains("next")) page.next = std::string(next->as_string());
  return page;
}

HubConfig paged(std::size_t page_size) {
  HubConfig config;
  config.list_page_size = page_size;
  config.messages_per_second = 0;
  return config;
}

TEST(SignalingList, FollowingTheCursorVisitsEveryNameOnceInByteOrder) {
  Harness h(paged(7));
  // Logged in out of order, with shared prefixes and bytes above 0x7f (which sort after ASCII).
  std::set<std::string> expected;
  for (int i = 0; i < 250; ++i) {
    int k = (i * 97) % 250;
    std::string name = (k % 5 == 0 ? "\xc3\xa9-" : k % 5 == 1 ? "a" : "user-") + std::to_string(k);
    h.login(name);
    expected.insert(name);
  }
  expected.insert("a");
  ConnId asker = h.login("a");

  std::vector<std::string> seen;
  std::optional<std::string> cursor;
  for (int pages = 0; pages < 100; ++pages) {
    Page page = list(h, asker, cursor);
    EXPECT_EQ(page.total, 251);
    ASSERT_LE(page.names.size(), 7u);
    seen.insert(seen.end(), page.names.begin(), page.names.end());
    if (!page.next) break;
    EXPECT_EQ(*page.next, page.names.back());
    cursor = page.next;
  }
  EXPECT_EQ(seen, std::vector<std::string>(expected.begin(), expected.end()));
}

TEST(SignalingList, ACursorWhoseNameHasGoneStillContinuesAfterIt) {
  Harness h(paged(2));
  ConnId asker = h.login("zed");
  h.login("amy");
  ConnId bob = h.login("bob");
  h.login("cat");
  h.login("dan");

  Page first = list(h, asker);
  EXPECT_EQ(first.names, (std::vector<std::string>{"amy", "bob"}));
  ASSERT_EQ(first.next, "bob");
  h.disconnect(bob);
  Page second = list(h, asker, "bob");
  EXPECT_EQ(second.names, (std::vector<std::string>{"cat", "dan"}));
  EXPECT_EQ(second.total, 4);
  // A cursor that was never a name works the same way.
  EXPECT_EQ(list(h, asker, "cb").names, (std::vector<std::string>{"dan", "zed"}));
}

TEST(SignalingList, NoNextWhenThePageEndsExactlyAtTheLastName) {
  Harness h(paged(3));
  ConnId asker = h.login("a");
  h.login("b");
  h.login("c");
  Page all = list(h, asker);
  EXPECT_EQ(all.names, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_FALSE(all.next) << "three names, three per page: nothing follows";

  h.login("d");
  EXPECT_EQ(list(h, asker).next, "c");
  Page past_the_end = list(h, asker, "d");
  EXPECT_TRUE(past_the_end.names.empty());
  EXPECT_FALSE(past_the_end.next);
  EXPECT_EQ(past_the_end.total, 4);
}

TEST(SignalingList, APageLargerThanTheDirectoryListsEveryone) {
  Harness h(paged(100));
  ConnId asker = h.login("mallory");
  h.login("alice");
  Page page = list(h, asker);
  EXPECT_EQ(page.names, (std::vector<std::string>{"alice", "mallory"}));
  EXPECT_FALSE(page.next);
}

}  // namespace
}  // namespace peerhub::signaling::testing
