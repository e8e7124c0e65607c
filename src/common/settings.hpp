// The one description of every setting. The TOML loader, the command-line flags and the PEERHUB_* environment
// variables are all generated from this table, so a setting is named, typed and explained exactly once.
#pragma once

#include "common/config.hpp"

#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace peerhub {

// Where a setting lives inside Config; the alternative also decides how text and TOML values are parsed.
using SettingField =
    std::variant<std::string Config::*, unsigned Config::*, std::size_t Config::*, double Config::*,
                 bool Config::*, std::vector<std::string> Config::*, std::vector<IceServerConfig> Config::*>;

struct Setting {
  std::string_view section;     // TOML table, e.g. "signaling"
  std::string_view key;         // key inside that table, e.g. "max_frame"
  std::string_view flag;        // long option without dashes, e.g. "max-frame"; env is PEERHUB_MAX_FRAME
  std::string_view value_name;  // shown in --help, e.g. "BYTES"; empty for a switch
  std::string_view help;
  SettingField field;
  bool secret = false;  // never printed: describe() shows "(set)"
};

std::span<const Setting> settings();

// "--max-frame" and "PEERHUB_MAX_FRAME" for the setting whose flag is "max-frame".
std::string flag_name(const Setting& setting);
std::string env_name(const Setting& setting);

// Sets one setting from text (a flag's or a variable's value). Scalars take the last value; lists are
// replaced by all the values, so a later source replaces a list rather than adding to it. Throws
// std::invalid_argument("expected ..., got '...'") without naming the source: the caller adds that.
void set_from_text(const Setting& setting, const std::vector<std::string>& values, Config& config);

// The value as an operator would write it, for --help defaults and the startup log. A secret shows as
// "(set)" or "" and never as its text; TURN users show their names only ("alice:(set)").
std::string describe(const Setting& setting, const Config& config);

// Helpers shared by the text and TOML paths.
unsigned long long parse_count(std::string_view text, unsigned long long max);
double parse_number(std::string_view text);
bool parse_switch(std::string_view text);

}  // namespace peerhub
