// The session level of a description, the effective transport of a section, and the writer.
#include "sdp/description.hpp"

namespace peerhub::sdp {

SessionDescription::SessionDescription(const Origin& origin, std::string_view session_name, Timing timing) {
  add_line('v', "0");
  add_line('o', to_string(origin));
  add_line('s', session_name);
  add_line('t', to_string(timing));
}

std::optional<Origin> SessionDescription::origin() const {
  for (const Line& l : lines_) {
    if (l.type != 'o') continue;
    Result<Origin> o = parse_origin(l.value);
    if (o) return std::move(o).value();
  }
  return std::nullopt;
}

std::optional<std::string> SessionDescription::session_name() const {
  for (const Line& l : lines_)
    if (l.type == 's') return l.value;
  return std::nullopt;
}

std::optional<Timing> SessionDescription::timing() const {
  for (const Line& l : lines_) {
    if (l.type != 't') continue;
    Result<Timing> t = parse_timing(l.value);
    if (t) return std::move(t).value();
  }
  return std::nullopt;
}

std::vector<Group> SessionDescription::groups() const {
  std::vector<Group> out;
  for (const std::string& value : attributes("group")) {
    Result<Group> g = parse_group(value);
    if (g) out.push_back(std::move(g).value());
  }
  return out;
}

std::optional<Group> SessionDescription::bundle_group_of(std::string_view mid) const {
  for (Group& g : groups()) {
    if (g.semantics != "BUNDLE") continue;
    for (const std::string& m : g.mids)
      if (m == mid) return std::move(g);
  }
  return std::nullopt;
}

std::optional<MsidSemantic> SessionDescription::msid_semantic() const {
  const std::optional<std::string> value = attribute("msid-semantic");
  if (!value) return std::nullopt;
  Result<MsidSemantic> m = parse_msid_semantic(*value);
  if (!m) return std::nullopt;
  return std::move(m).value();
}

MediaSection& SessionDescription::add_media(const MediaLine& media_line) {
  return media_.emplace_back(media_line);
}

std::optional<std::size_t> SessionDescription::find_mid(std::string_view mid) const {
  for (std::size_t i = 0; i < media_.size(); ++i)
    if (media_[i].mid() == mid) return i;
  return std::nullopt;
}

Transport SessionDescription::transport(std::size_t index) const {
  const MediaSection& section = media_.at(index);
  Transport t;
  t.ice_lite = ice_lite();

  // RFC 8843 §7.1.3 / §7.3.1: the BUNDLE-tagged section is the first of the group's mids whose section is not
  // rejected; the transport attributes of every section of the group are the tagged section's.
  const MediaSection* tagged = nullptr;
  if (const std::optional<std::string> mid = section.mid()) {
    if (const std::optional<Group> group = bundle_group_of(*mid)) {
      for (const std::string& m : group->mids) {
        const std::optional<std::size_t> i = find_mid(m);
        if (i && !media_[*i].rejected()) {
          t.bundle_tag = *i;
          tagged = &media_[*i];
          break;
        }
      }
    }
  }

  // RFC 8839 §5.4 (ice-ufrag, ice-pwd), §5.6 (ice-options), RFC 8122 §5 (fingerprint), RFC 8842 §5.1 (setup):
  // a media-level value overrides the session-level one.
  const AttributeLines* levels[] = {&section, tagged, this};
  for (const AttributeLines* level : levels) {
    if (level == nullptr) continue;
    if (!t.ice_ufrag) t.ice_ufrag = level->ice_ufrag();
    if (!t.ice_pwd) t.ice_pwd = level->ice_pwd();
    if (t.ice_options.empty()) t.ice_options = level->ice_options();
    if (t.fingerprints.empty()) t.fingerprints = level->fingerprints();
    if (!t.setup) t.setup = level->setup();
  }
  return t;
}

std::string write(const SessionDescription& description) {
  std::string out;
  const auto put = [&out](char type, const std::string& value) {
    out += type;
    out += '=';
    out += value;
    out += "\r\n";
  };
  for (const Line& l : description.lines())
    put(l.type, l.value);
  for (const MediaSection& m : description.media()) {
    put('m', m.media_line_text());
    for (const Line& l : m.lines())
      put(l.type, l.value);
  }
  return out;
}

}  // namespace peerhub::sdp
