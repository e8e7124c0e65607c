// What the configuration tests share: the error validate() gives for a changed default Config.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <stdexcept>
#include <string>

#include "common/config.hpp"

namespace peerhub {

// The message validate() gives after `change`, or "(valid)".
inline std::string error_after(const std::function<void(Config&)>& change) {
  Config config;
  change(config);
  try {
    validate(config);
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return "(valid)";
}

}  // namespace peerhub

#define EXPECT_ERROR_MENTIONS(change, text)                                 \
  do {                                                                      \
    const auto message = peerhub::error_after(change);                      \
    EXPECT_NE(message.find(text), std::string::npos) << "got: " << message; \
  } while (false)
