// Login with auth_secret set: a JWT whose "sub" is the name.
#include "signaling/jwt.hpp"
#include "signaling_harness.hpp"

namespace peerhub::signaling::testing {
namespace {

HubConfig auth_config() {
  HubConfig config;
  config.auth_secret = "s3cret";
  return config;
}

TEST(SignalingAuth, ValidTokenLogsIn) {
  Harness h(auth_config());
  ConnId a = h.connect();
  std::string token = mint_token("s3cret", "alice", h.now().unix_s, 60);
  h.send_json(a, json::object{{"type", "login"}, {"name", "alice"}, {"version", 1}, {"token", token}});
  EXPECT_EQ(h.next(a)["success"], true);
}

TEST(SignalingAuth, MissingExpiredForeignOrMismatchedTokensAreUnauthorized) {
  Harness h(auth_config());
  ConnId a = h.connect();
  std::int64_t now = h.now().unix_s;
  struct Case {
    json::value token;
    const char* why;
  } cases[] = {
      {nullptr, "missing"},
      {json::string(mint_token("s3cret", "alice", now - 120, 60)), "expired"},
      {json::string(mint_token("wrong", "alice", now, 60)), "wrong secret"},
      {json::string(mint_token("s3cret", "bob", now, 60)), "sub mismatch"},
      {"garbage", "garbage"},
      {42, "not a string"},
  };
  for (const Case& c : cases) {
    json::object login{{"type", "login"}, {"name", "alice"}, {"version", 1}};
    if (!c.token.is_null()) login["token"] = c.token;
    h.send_json(a, login);
    json::object r = h.next(a);
    EXPECT_EQ(r["type"], "login") << c.why;
    EXPECT_EQ(r["success"], false) << c.why;
    EXPECT_EQ(r["error"], "unauthorized") << c.why;
    EXPECT_EQ(r["message"].as_string().find("s3cret"), json::string::npos);
  }
  EXPECT_EQ(h.hub().metrics().logins_failed, std::size(cases));
  EXPECT_EQ(h.hub().metrics().names, 0);
}

TEST(SignalingAuth, AlgNoneTokenIsUnauthorized) {
  Harness h(auth_config());
  ConnId a = h.connect();
  // {"alg":"none"} . {"sub":"alice","exp":9999999999} . (empty signature)
  std::string token = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSIsImV4cCI6OTk5OTk5OTk5OX0.";
  h.send_json(a, json::object{{"type", "login"}, {"name", "alice"}, {"token", token}});
  json::object r = h.next(a);
  EXPECT_EQ(r["success"], false);
  EXPECT_EQ(r["error"], "unauthorized");
}

TEST(SignalingAuth, NothingButLoginBeforeIt) {
  Harness h(auth_config());
  ConnId a = h.connect();
  h.send(a, R"({"type":"list"})");
  h.expect_error(a, "not-logged-in");
  h.send(a, R"({"type":"offer","offer":{}})");
  h.expect_error(a, "not-logged-in");
}

TEST(SignalingAuth, AndroidSignInCarriesTheTokenInTokenOrData) {
  Harness h(auth_config());
  std::int64_t now = h.now().unix_s;
  ConnId a = h.connect();
  h.send_json(
      a, json::object{
             {"type", "SignIn"}, {"username", "phone"}, {"data", mint_token("s3cret", "phone", now, 60)}});
  EXPECT_TRUE(h.empty(a));
  ConnId b = h.connect();
  h.send_json(
      b, json::object{
             {"type", "SignIn"}, {"username", "tablet"}, {"token", mint_token("s3cret", "tablet", now, 60)}});
  EXPECT_TRUE(h.empty(b));
  ConnId c = h.connect();
  h.send(c, R"({"type":"SignIn","username":"tv","data":null})");
  json::object r = h.next(c);
  EXPECT_EQ(r["type"], "SignIn");
  EXPECT_EQ(r["error"], "unauthorized");
  EXPECT_EQ(h.hub().metrics().names, 2);
}

}  // namespace
}  // namespace peerhub::signaling::testing
