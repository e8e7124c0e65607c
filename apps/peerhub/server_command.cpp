// `peerhub [flags]`: load the configuration, set up logging, run the server until SIGINT/SIGTERM.
#include <spdlog/spdlog.h>

#include <exception>

#include "commands.hpp"
#include "common/log.hpp"
#include "net/server.hpp"

namespace peerhub::app {

void add_server_options(CLI::App& app, ServerCommand& command) {
  add_setting_flags(app, command.flags);
}

int run_server_command(const ServerCommand& command, char** env) {
  Config config;
  std::vector<std::string> warnings;
  try {
    config = load_config(command.flags, env, warnings);
    validate(config);
    log::setup(config.log_level, config.log_format);
  } catch (const std::exception& error) {
    return usage_error(error.what());
  }

  for (const auto& warning : warnings)
    spdlog::warn(log::event("config_warning", {{"problem", warning}}));
  spdlog::info(log::event("starting", {{"version", PEERHUB_VERSION}}));
  spdlog::info(log::describe_config(config));
  try {
    return net::run_server(config);
  } catch (const std::exception& error) {
    spdlog::error(log::event("failed", {{"error", error.what()}}));
    return 1;
  }
}

}  // namespace peerhub::app
