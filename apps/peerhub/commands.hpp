// The peerhub subcommands. Each adds its options to the CLI11 app, then runs after a successful parse and
// returns the process exit code: 0 on success, kUsageError for a usage or configuration error (a one-line
// message on stderr says what is wrong), 1 when the work itself failed.
#pragma once

#include <CLI/CLI.hpp>

#include <deque>
#include <string>
#include <vector>

#include "common/config.hpp"

namespace peerhub::app {

inline constexpr int kUsageError = 2;

// Prints "peerhub: error: <message>" on one line and returns kUsageError.
int usage_error(const std::string& message);

// Every setting of the table as a flag: --http, --max-frame, ... (see common/settings.hpp).
struct SettingFlags {
  std::string config_file;
  std::vector<std::string> scalars;             // one slot per setting, used by single-valued flags
  std::vector<std::vector<std::string>> lists;  // used by repeatable flags
  std::deque<bool> switches;          // used by on/off flags (CLI11 binds bool&; vector<bool> has none)
  std::vector<CLI::Option*> options;  // null for settings not offered by this command
};

// Adds --config and the given settings' flags (all of them when `only` is empty).
void add_setting_flags(CLI::App& app, SettingFlags& flags, const std::vector<std::string>& only = {});

// defaults < TOML file (PEERHUB_CONFIG, else --config) < flags < PEERHUB_* environment. Throws
// std::invalid_argument / std::runtime_error with a message naming the culprit. Warnings (unknown
// PEERHUB_* variables) are appended to `warnings` for the caller to log.
Config load_config(const SettingFlags& flags, char** env, std::vector<std::string>& warnings);

struct ServerCommand {
  SettingFlags flags;
};
void add_server_options(CLI::App& app, ServerCommand& command);
int run_server_command(const ServerCommand& command, char** env);

struct CertCommand {
  std::vector<std::string> hosts;
  std::string out = ".";
  unsigned days = 365;
  bool force = false;
};
CLI::App* add_cert_command(CLI::App& app, CertCommand& command);
int run_cert_command(const CertCommand& command);

struct TokenCommand {
  std::string name;
  long long ttl_s = -1;  // -1: the configured auth.token_ttl
  SettingFlags flags;
};
CLI::App* add_token_command(CLI::App& app, TokenCommand& command);
int run_token_command(const TokenCommand& command, char** env);

}  // namespace peerhub::app
