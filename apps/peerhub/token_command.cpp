// `peerhub token NAME [--ttl SECONDS]`: prints a login token (JWT HS256) for NAME on stdout.
#include <chrono>
#include <exception>
#include <iostream>

#include "commands.hpp"
#include "signaling/jwt.hpp"

namespace peerhub::app {

CLI::App* add_token_command(CLI::App& app, TokenCommand& command) {
  CLI::App* token = app.add_subcommand("token", "print a login token for NAME (needs auth.secret)");
  token->add_option("name", command.name, "the login name the token is for")->required();
  token->add_option("--ttl", command.ttl_s, "lifetime in seconds (default: auth.token_ttl, 86400)")
      ->type_name("SECONDS")
      ->check(CLI::Range(1LL, 10LL * 365 * 24 * 3600));
  // The secret from the same places the server reads it; PEERHUB_AUTH_SECRET keeps it out of `ps`.
  add_setting_flags(*token, command.flags, {"auth-secret"});
  return token;
}

int run_token_command(const TokenCommand& command, char** env) {
  Config config;
  std::vector<std::string> warnings;
  try {
    config = load_config(command.flags, env, warnings);
  } catch (const std::exception& error) {
    return usage_error(error.what());
  }
  for (const auto& warning : warnings)
    std::cerr << "peerhub: warning: " << warning << "\n";
  if (config.auth_secret.empty()) {
    return usage_error(
        "no auth secret configured: set [auth] secret in --config FILE, PEERHUB_AUTH_SECRET or "
        "--auth-secret");
  }
  if (command.name.empty()) return usage_error("the login name must not be empty");

  const long long ttl = command.ttl_s > 0 ? command.ttl_s : static_cast<long long>(config.token_ttl_s);
  if (ttl <= 0) return usage_error("the token lifetime must be at least 1 second");
  const auto now =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  std::cout << signaling::mint_token(config.auth_secret, command.name, now, ttl) << "\n";
  return 0;
}

}  // namespace peerhub::app
