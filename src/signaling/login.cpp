// Login for every dialect: peerhub's {"type":"login","name","version":1}, the Java-WebSocket tutorial's
// {"type":"login","name"} and the Android tutorial's {"type":"SignIn","username"}.
//
// The Android tutorial's Node server answers nothing to a SignIn (its client does not wait for a reply and
// goes on to StartStreaming/Offer), so a successful SignIn gets no reply here either. A refused SignIn gets
// {"type":"SignIn","success":false,"error":...,"message":...}: the client parses it as a DataModel of type
// SignIn, which it ignores, and a person reading the frames sees why.
#include "signaling/hub_state.hpp"
#include "signaling/jwt.hpp"

namespace peerhub::signaling {
namespace {

bool is_version_one(const json::value& v) {
  return (v.is_int64() && v.get_int64() == 1) || (v.is_uint64() && v.get_uint64() == 1) ||
         (v.is_double() && v.get_double() == 1.0);
}

}  // namespace

void Hub::State::login_failed(Conn& conn, Dialect dialect, ErrorKind kind, std::string_view message) {
  ++metrics_.logins_failed;
  metrics_.error(kind);
  bool android = dialect == Dialect::kAndroid;
  std::string text;
  ObjectWriter(text)
      .str("type", android ? "SignIn" : "login")
      .boolean("success", false)
      .str("error", error_kind_name(kind))
      .str("message", message)
      .close();
  send(conn, std::move(text), android ? MsgType::kSignIn : MsgType::kLogin);
}

void Hub::State::login(Conn& conn, const json::object& m, Dialect dialect, const Now& now) {
  if (conn.logged_in()) {
    login_failed(conn, dialect, ErrorKind::kAlreadyLoggedIn, "already logged in as \"" + conn.name + "\"");
    return;
  }
  if (dialect == Dialect::kV1 && !is_version_one(m.at("version"))) {
    login_failed(conn, dialect, ErrorKind::kBadValue,
                 "unsupported \"version\": this server speaks version 1");
    return;
  }
  std::string_view key = dialect == Dialect::kAndroid ? "username" : "name";
  const json::value* name_value = m.if_contains(key);
  if (!name_value || name_value->is_null()) {
    login_failed(conn, dialect, ErrorKind::kMissingField, "missing field \"" + std::string(key) + "\"");
    return;
  }
  if (!name_value->is_string()) {
    login_failed(conn, dialect, ErrorKind::kWrongType, "field \"" + std::string(key) + "\" must be a string");
    return;
  }
  std::string_view name = name_value->get_string();
  if (!valid_name(name, config_.max_name_length)) {
    login_failed(
        conn, dialect, ErrorKind::kInvalidName,
        "a name is 1 to " + std::to_string(config_.max_name_length) + " bytes without control characters");
    return;
  }
  if (!config_.auth_secret.empty()) {
    // The Android tutorial's client sends its password as "data" in SignIn; a token can go there unchanged.
    const json::value* token = m.if_contains("token");
    if (!token && dialect == Dialect::kAndroid) token = m.if_contains("data");
    if (!token || !token->is_string()) {
      login_failed(conn, dialect, ErrorKind::kUnauthorized, "a token is required to log in");
      return;
    }
    TokenError error = verify_token(config_.auth_secret, token->get_string(), name, now.unix_s);
    if (error != TokenError::kNone) {
      login_failed(conn, dialect, ErrorKind::kUnauthorized, token_error_text(error));
      return;
    }
  }
  if (directory_.find(name)) {
    // A live connection keeps its name: unlike the tutorials' servers, a second login cannot take it over.
    login_failed(conn, dialect, ErrorKind::kNameTaken, "the name \"" + std::string(name) + "\" is taken");
    return;
  }

  conn.name.assign(name);
  conn.set_dialect(dialect);
  directory_.insert(conn);
  remove_anonymous(conn);
  ++metrics_.logins_ok;
  ++metrics_.names;
  if (dialect == Dialect::kAndroid) return;

  std::string text;
  ObjectWriter writer(text);
  writer.str("type", "login").boolean("success", true).str("name", conn.name);
  if (config_.ice_servers) {
    writer.value("iceServers", json::value(config_.ice_servers(conn.name, now.unix_s)));
  } else {
    writer.raw("iceServers", "[]");
  }
  writer.close();
  send(conn, std::move(text), MsgType::kLogin);
}

}  // namespace peerhub::signaling
