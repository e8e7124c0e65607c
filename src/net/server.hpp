// The peerhub server process: workers, listeners, the signaling hub, signals and a clean shutdown.
#pragma once

#include "common/config.hpp"

namespace peerhub::net {

// Runs until SIGINT or SIGTERM, then closes every WebSocket with 1001 and returns the process exit code.
int run_server(const Config& config);

}  // namespace peerhub::net
