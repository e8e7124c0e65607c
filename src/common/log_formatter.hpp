// The two line layouts of peerhub's logs, as one spdlog formatter.
#pragma once

#include <spdlog/formatter.h>

#include <memory>

namespace peerhub::log {

// text: `2024-05-01T12:00:00.123Z info message`; json:
// {"ts":"2024-05-01T12:00:00.123Z","level":"info","msg":"…"}. Times are UTC; control characters in a message
// are escaped so one message is always one line.
class LineFormatter final : public spdlog::formatter {
 public:
  explicit LineFormatter(bool json) : json_(json) {}
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override;
  std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<LineFormatter>(json_); }

 private:
  bool json_;
};

}  // namespace peerhub::log
