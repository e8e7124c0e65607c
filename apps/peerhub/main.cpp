// peerhub: the server (no subcommand), `peerhub cert` and `peerhub token`.
#include <unistd.h>

#include <iostream>

#include "commands.hpp"

extern char** environ;  // POSIX: the process environment, read once here and passed down

int main(int argc, char** argv) {
  using namespace peerhub::app;
  CLI::App app{
      "peerhub: a self-hosted real-time communication server (WebSocket signaling, STUN/TURN, SFU).\n"
      "Settings come from defaults < --config FILE < flags < PEERHUB_* environment variables.",
      "peerhub"};
  app.set_version_flag("--version", std::string("peerhub ") + PEERHUB_VERSION);
  app.require_subcommand(0, 1);

  ServerCommand server;
  CertCommand cert;
  TokenCommand token;
  add_server_options(app, server);
  CLI::App* cert_app = add_cert_command(app, cert);
  CLI::App* token_app = add_token_command(app, token);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    if (error.get_exit_code() == 0) return app.exit(error);  // --help, --version
    return usage_error(error.what());
  }

  if (cert_app->parsed()) return run_cert_command(cert);
  if (token_app->parsed()) return run_token_command(token, environ);
  return run_server_command(server, environ);
}
