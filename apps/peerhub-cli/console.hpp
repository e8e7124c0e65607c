// The terminal side of peerhub-cli: stdin read line by line without blocking the io_context, and one place
// that prints, so that what scripts and tests read ("* connected", "<alice> hi") has one format.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/streambuf.hpp>

namespace peerhub::cli {

// "* <text>": what happened (states, joins, files).
void say(std::string_view text);
// "<name> text": a chat line from someone.
void chat_line(std::string_view from, std::string_view text);
// "error: <text>" on stderr.
void complain(std::string_view text);

class StdinLines {
 public:
  using OnLine = std::function<void(std::string line)>;
  using OnEnd = std::function<void()>;
  explicit StdinLines(boost::asio::io_context& io);
  void start(OnLine on_line, OnEnd on_end);
  void stop();

 private:
  void read();
  boost::asio::posix::stream_descriptor in_;
  boost::asio::streambuf buffer_;
  OnLine on_line_;
  OnEnd on_end_;
  bool stopped_ = false;
};

}  // namespace peerhub::cli
