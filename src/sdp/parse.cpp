// RFC 8866 §5: the text of a description, line by line, into the model of description.hpp.
//
//   session-description = version-field origin-field session-name-field [information-field] [uri-field]
//                         *email-field *phone-field [connection-field] *bandwidth-field 1*time-description
//                         [key-field] *attribute-field *media-description
//   media-description   = media-field [information-field] *connection-field *bandwidth-field [key-field]
//                         *attribute-field
//
// The parser insists on what the model relies on (v=, o=, s= first; at least one t= before the first m=; only
// the line types each level may hold; the grammar of every attribute attributes.hpp knows; one a=mid,
// a=setup, ice credential, sctp-port and max-message-size per level; unique mids) and is lenient about the
// order of the other lines, which browsers do not all write the same way.
#include <set>
#include <string>

#include "sdp/description.hpp"
#include "sdp/text.hpp"

namespace peerhub::sdp {

namespace {

// Attributes that are flags: they take no value.
constexpr std::string_view kFlags[] = {"rtcp-mux",    "rtcp-rsize",        "sendrecv", "sendonly",
                                       "recvonly",    "inactive",          "ice-lite", "end-of-candidates",
                                       "bundle-only", "extmap-allow-mixed"};

// Attributes a level may hold once.
constexpr std::string_view kOnce[] = {
    "mid", "setup", "ice-ufrag", "ice-pwd", "sctp-port", "max-message-size", "ice-lite"};

template <class T>
std::optional<std::string> problem(const Result<T>& r) {
  if (r) return std::nullopt;
  return r.error().message;
}

// What is wrong with a=<name>[:<value>], if anything.
std::optional<std::string> check_attribute(std::string_view name, std::optional<std::string_view> value) {
  for (std::string_view flag : kFlags) {
    if (name != flag) continue;
    if (value) return "a=" + std::string(name) + " takes no value";
    return std::nullopt;
  }
  using Check = std::optional<std::string> (*)(std::string_view);
  struct Known {
    std::string_view name;
    Check check;
  };
  static constexpr Known kKnown[] = {
      {"fingerprint", [](std::string_view v) { return problem(parse_fingerprint(v)); }},
      {"setup", [](std::string_view v) { return problem(parse_setup(v)); }},
      {"ice-ufrag", [](std::string_view v) { return problem(parse_ice_ufrag(v)); }},
      {"ice-pwd", [](std::string_view v) { return problem(parse_ice_pwd(v)); }},
      {"ice-options", [](std::string_view v) { return problem(parse_ice_options(v)); }},
      {"mid", [](std::string_view v) { return problem(parse_mid(v)); }},
      {"group", [](std::string_view v) { return problem(parse_group(v)); }},
      {"msid-semantic", [](std::string_view v) { return problem(parse_msid_semantic(v)); }},
      {"msid", [](std::string_view v) { return problem(parse_msid(v)); }},
      {"ssrc", [](std::string_view v) { return problem(parse_ssrc(v)); }},
      {"ssrc-group", [](std::string_view v) { return problem(parse_ssrc_group(v)); }},
      {"rtpmap", [](std::string_view v) { return problem(parse_rtpmap(v)); }},
      {"fmtp", [](std::string_view v) { return problem(parse_fmtp(v)); }},
      {"rtcp-fb", [](std::string_view v) { return problem(parse_rtcp_fb(v)); }},
      {"extmap", [](std::string_view v) { return problem(parse_extmap(v)); }},
      {"sctp-port", [](std::string_view v) { return problem(parse_sctp_port(v)); }},
      {"max-message-size", [](std::string_view v) { return problem(parse_max_message_size(v)); }},
      // RFC 8839 §5.1: the candidate grammar is the ICE module's; here it must only be there.
      {"candidate",
       [](std::string_view v) -> std::optional<std::string> {
         if (text::fields(v, 1).empty()) return "a=candidate is empty";
         return std::nullopt;
       }},
  };
  for (const Known& k : kKnown) {
    if (name != k.name) continue;
    if (!value) return "a=" + std::string(name) + " needs a value";
    return k.check(*value);
  }
  return std::nullopt;
}

bool is_session_type(char t) {
  return std::string_view("vosiuepcbtrzka").find(t) != std::string_view::npos;
}

bool is_media_type(char t) {
  return std::string_view("icbka").find(t) != std::string_view::npos;
}

// The once-per-level and one-direction rules, for the lines of one level.
class LevelRules {
 public:
  explicit LevelRules(std::string where) : where_(std::move(where)) {}

  std::optional<std::string> add(std::string_view name) {
    for (std::string_view once : kOnce) {
      if (name != once) continue;
      if (!seen_.insert(std::string(name)).second) return "a second a=" + std::string(name) + " " + where_;
    }
    if (direction_from_name(name)) {
      if (direction_) return "a second direction (a=" + std::string(name) + ") " + where_;
      direction_ = true;
    }
    return std::nullopt;
  }

 private:
  std::string where_;
  std::set<std::string> seen_;
  bool direction_ = false;
};

}  // namespace

Result<SessionDescription> parse(std::string_view input, const Limits& limits) {
  if (input.size() > limits.max_size) {
    return Error{0, "the description is larger than " + std::to_string(limits.max_size) + " bytes"};
  }
  if (input.empty()) return Error{0, "the description is empty"};

  SessionDescription d;
  MediaSection* section = nullptr;
  LevelRules session_rules("at session level");
  std::optional<LevelRules> media_rules;
  std::set<std::string, std::less<>> mids;
  bool has_timing = false;
  std::size_t number = 0;
  std::size_t pos = 0;

  while (pos < input.size()) {
    const std::size_t newline = input.find('\n', pos);
    const std::size_t end = newline == std::string_view::npos ? input.size() : newline;
    std::string_view line = input.substr(pos, end - pos);
    pos = newline == std::string_view::npos ? input.size() : newline + 1;
    ++number;
    const auto fail = [number](std::string message) { return Error{number, std::move(message)}; };

    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) {
      // Tolerated only at the very end ("...\r\n\r\n"), where some signaling code adds one.
      if (input.substr(pos).find_first_not_of("\r\n") == std::string_view::npos) break;
      return fail("empty line");
    }
    if (number > limits.max_lines) return fail("more than " + std::to_string(limits.max_lines) + " lines");
    if (line.size() > limits.max_line_length) {
      return fail("longer than " + std::to_string(limits.max_line_length) + " bytes");
    }
    if (line.size() < 2 || line[1] != '=' || line[0] < 'a' || line[0] > 'z') {
      return fail("expected <type>=<value>, got " + text::quote(line));
    }
    // RFC 8866 §9 byte-string: anything but NUL, CR and LF.
    if (line.find_first_of(std::string_view("\r\0", 2)) != std::string_view::npos) {
      return fail("holds a CR or NUL byte inside the line");
    }
    const char type = line[0];
    const std::string_view value = line.substr(2);

    // RFC 8866 §5: v=, o= and s= come first, in that order.
    if (number == 1 && (type != 'v' || value != "0")) return fail("the description must start with v=0");
    if (number == 2 && type != 'o') return fail("o= must follow v=");
    if (number == 3 && type != 's') return fail("s= must follow o=");
    if (number > 3 && (type == 'v' || type == 'o' || type == 's')) {
      return fail(std::string(1, type) + "= may appear only once, at the top");
    }
    if (type == 'o') {
      const Result<Origin> o = parse_origin(value);
      if (!o) return fail(o.error().message);
    }
    if (type == 's' && value.empty()) return fail("s= must not be empty (JSEP writes s=-)");
    if (!is_session_type(type) && type != 'm') {
      return fail("unknown line type '" + std::string(1, type) + "='");
    }

    if (type == 'm') {
      if (!has_timing) return fail("the session level needs a t= line before the first m=");
      if (d.media().size() == limits.max_media_sections) {
        return fail("more than " + std::to_string(limits.max_media_sections) + " m= sections");
      }
      const Result<MediaLine> m = parse_media_line(value);
      if (!m) return fail(m.error().message);
      section = &d.add_media(*m);
      // Written back exactly as it came, even with spaces the typed value does not keep.
      section->media_text_ = value;
      media_rules.emplace("in m= section " + std::to_string(d.media().size()));
      continue;
    }

    AttributeLines& level = section != nullptr ? static_cast<AttributeLines&>(*section) : d;
    if (section != nullptr && !is_media_type(type)) {
      return fail(std::string(1, type) + "= is not allowed inside an m= section");
    }
    if (level.lines().size() == limits.max_lines_per_section) {
      return fail("more than " + std::to_string(limits.max_lines_per_section) + " lines in one section");
    }
    if (type == 't') {
      const Result<Timing> t = parse_timing(value);
      if (!t) return fail(t.error().message);
      has_timing = true;
    }
    if (type == 'c') {
      const Result<Connection> c = parse_connection(value);
      if (!c) return fail(c.error().message);
    }
    if (type == 'a') {
      const AttributeText a = split_attribute(value);
      if (a.name.empty()) return fail("a= needs an attribute name");
      if (auto why = check_attribute(a.name, a.value)) return fail(std::move(*why));
      LevelRules& rules = section != nullptr ? *media_rules : session_rules;
      if (auto why = rules.add(a.name)) return fail(std::move(*why));
      // RFC 5888 §4: an identification-tag identifies one m= section.
      if (a.name == "mid" && section != nullptr && !mids.insert(std::string(*a.value)).second) {
        return fail("a=mid:" + std::string(*a.value) + " is already used by an earlier m= section");
      }
    }
    level.add_line(type, value);
  }

  if (number < 3) return Error{number, "a description needs v=, o= and s= lines"};
  if (!has_timing) return Error{number, "the description has no t= line"};
  return d;
}

}  // namespace peerhub::sdp
