#include "console.hpp"

#include <unistd.h>

#include <boost/asio/read_until.hpp>
#include <iostream>

namespace peerhub::cli {

void say(std::string_view text) {
  std::cout << "* " << text << std::endl;
}
void chat_line(std::string_view from, std::string_view text) {
  std::cout << "<" << from << "> " << text << std::endl;
}
void complain(std::string_view text) {
  std::cerr << "error: " << text << std::endl;
}

StdinLines::StdinLines(boost::asio::io_context& io) : in_(io, ::dup(STDIN_FILENO)), buffer_(64 * 1024) {}

void StdinLines::start(OnLine on_line, OnEnd on_end) {
  on_line_ = std::move(on_line);
  on_end_ = std::move(on_end);
  read();
}

void StdinLines::stop() {
  stopped_ = true;
  boost::system::error_code ignored;
  in_.cancel(ignored);
}

void StdinLines::read() {
  boost::asio::async_read_until(
      in_, buffer_, '\n', [this](const boost::system::error_code& ec, std::size_t n) {
        if (stopped_) return;
        if (ec) {
          // The end of input (or a line longer than the 64 KiB buffer): what was typed so far still counts.
          if (buffer_.size() > 0 && ec == boost::asio::error::eof) {
            std::string rest(static_cast<const char*>(buffer_.data().data()), buffer_.size());
            buffer_.consume(buffer_.size());
            if (on_line_) on_line_(std::move(rest));
          }
          if (on_end_) on_end_();
          return;
        }
        std::string line(static_cast<const char*>(buffer_.data().data()), n - 1);
        buffer_.consume(n);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (on_line_) on_line_(std::move(line));
        read();
      });
}

}  // namespace peerhub::cli
