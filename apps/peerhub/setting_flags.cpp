// Turns the settings table into CLI11 options, and back into a Config with the contract's precedence.
#include <iostream>
#include <stdexcept>

#include "commands.hpp"
#include "common/settings.hpp"

namespace peerhub::app {
namespace {

bool is_list(const Setting& setting) {
  return std::holds_alternative<std::vector<std::string> Config::*>(setting.field) ||
         std::holds_alternative<std::vector<IceServerConfig> Config::*>(setting.field);
}

bool is_switch(const Setting& setting) {
  return std::holds_alternative<bool Config::*>(setting.field);
}

bool wanted(const Setting& setting, const std::vector<std::string>& only) {
  if (only.empty()) return true;
  for (const auto& flag : only) {
    if (flag == setting.flag) return true;
  }
  return false;
}

std::string config_file_from(char** env) {
  const std::string prefix = std::string(kConfigFileVariable) + "=";
  for (char** entry = env; entry != nullptr && *entry != nullptr; ++entry) {
    if (std::string_view(*entry).starts_with(prefix)) return *entry + prefix.size();
  }
  return {};
}

}  // namespace

int usage_error(const std::string& message) {
  std::string line = message;
  for (char& c : line) {
    if (c == '\n') c = ' ';  // CLI11 sometimes adds a second line; the contract is one line
  }
  std::cerr << "peerhub: error: " << line << std::endl;
  return kUsageError;
}

void add_setting_flags(CLI::App& app, SettingFlags& flags, const std::vector<std::string>& only) {
  app.add_option("--config", flags.config_file, "TOML configuration file (env PEERHUB_CONFIG)")
      ->type_name("FILE");
  const auto all = settings();
  // Sized once: CLI11 keeps references into these vectors.
  flags.scalars.assign(all.size(), {});
  flags.lists.assign(all.size(), {});
  flags.switches.assign(all.size(), false);
  flags.options.assign(all.size(), nullptr);
  const Config defaults;
  for (std::size_t i = 0; i < all.size(); ++i) {
    const Setting& setting = all[i];
    if (!wanted(setting, only)) continue;
    std::string help = std::string(setting.help) + " (env " + env_name(setting) + ")";
    CLI::Option* option = nullptr;
    if (is_switch(setting)) {
      option = app.add_flag(flag_name(setting), flags.switches[i], help);
    } else if (is_list(setting)) {
      option = app.add_option(flag_name(setting), flags.lists[i], help)
                   ->type_name(std::string(setting.value_name))
                   ->allow_extra_args(false);
    } else {
      option = app.add_option(flag_name(setting), flags.scalars[i], help)
                   ->type_name(std::string(setting.value_name))
                   ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);  // a later flag wins
      const std::string shown = describe(setting, defaults);
      if (!shown.empty()) option->default_str(shown);
    }
    flags.options[i] = option;
  }
}

Config load_config(const SettingFlags& flags, char** env, std::vector<std::string>& warnings) {
  Config config;
  const std::string from_env = config_file_from(env);
  const std::string file = from_env.empty() ? flags.config_file : from_env;
  if (!file.empty()) load_toml_file(file, config);

  const auto all = settings();
  for (std::size_t i = 0; i < all.size(); ++i) {
    const CLI::Option* option = flags.options[i];
    if (option == nullptr || option->count() == 0) continue;
    const Setting& setting = all[i];
    std::vector<std::string> values;
    if (is_switch(setting)) {
      values = {flags.switches[i] ? "true" : "false"};
    } else if (is_list(setting)) {
      values = flags.lists[i];
    } else {
      values = {flags.scalars[i]};
    }
    try {
      set_from_text(setting, values, config);
    } catch (const std::invalid_argument& error) {
      throw std::invalid_argument(flag_name(setting) + ": " + error.what());
    }
  }

  auto env_warnings = apply_environment(env, config);
  warnings.insert(warnings.end(), env_warnings.begin(), env_warnings.end());
  return config;
}

}  // namespace peerhub::app
