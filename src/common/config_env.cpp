#include <stdexcept>
#include <string>
#include <string_view>

#include "common/config.hpp"
#include "common/settings.hpp"

namespace peerhub {
namespace {

std::vector<std::string> split_commas(std::string_view text) {
  std::vector<std::string> parts;
  while (true) {
    auto comma = text.find(',');
    parts.emplace_back(text.substr(0, comma));
    if (comma == std::string_view::npos) return parts;
    text.remove_prefix(comma + 1);
  }
}

}  // namespace

std::vector<std::string> apply_environment(char** env, Config& config) {
  std::vector<std::string> warnings;
  if (env == nullptr) return warnings;
  Config updated = config;
  for (char** entry = env; *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    if (!text.starts_with("PEERHUB_")) continue;
    const auto equals = text.find('=');
    const std::string name(text.substr(0, equals));
    const std::string_view value = equals == std::string_view::npos ? "" : text.substr(equals + 1);
    if (name == kConfigFileVariable) continue;

    const Setting* match = nullptr;
    for (const auto& setting : settings()) {
      if (env_name(setting) == name) match = &setting;
    }
    if (!match) {
      warnings.push_back("unknown environment variable " + name + " ignored");
      continue;
    }
    const bool is_list = std::holds_alternative<std::vector<std::string> Config::*>(match->field) ||
                         std::holds_alternative<std::vector<IceServerConfig> Config::*>(match->field);
    try {
      set_from_text(*match, is_list ? split_commas(value) : std::vector<std::string>{std::string(value)},
                    updated);
    } catch (const std::invalid_argument& error) {
      // A secret is never echoed back, not even a malformed one.
      throw std::invalid_argument(name + ": " + (match->secret ? "malformed value" : error.what()));
    }
  }
  config = std::move(updated);
  return warnings;
}

}  // namespace peerhub
