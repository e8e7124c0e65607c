#include <array>

#include "turn/server.hpp"

namespace peerhub::turn {

std::string_view metrics_method_name(std::size_t i) {
  static constexpr std::array<std::string_view, Metrics::kMethods> kNames = {
      "binding", "allocate", "refresh", "send", "data", "create_permission", "channel_bind", "other"};
  return i < kNames.size() ? kNames[i] : std::string_view();
}

}  // namespace peerhub::turn
