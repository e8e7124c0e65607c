#include "file_transfer.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cerrno>
#include <cstring>
#include <vector>

#include "console.hpp"

namespace peerhub::cli {
namespace {

std::string base_name(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string human(std::uint64_t bytes) {
  char text[32];
  if (bytes >= (1ULL << 20)) {
    std::snprintf(text, sizeof text, "%.1f MiB", static_cast<double>(bytes) / (1 << 20));
  } else {
    std::snprintf(text, sizeof text, "%llu bytes", static_cast<unsigned long long>(bytes));
  }
  return text;
}

// Progress every 10 %, so a terminal shows movement and a log stays short.
bool due(std::uint64_t done, std::uint64_t total, std::uint64_t& last) {
  if (total == 0) return false;
  const std::uint64_t step = total / 10 + 1;
  if (done - last < step && done != total) return false;
  last = done;
  return true;
}

}  // namespace

std::string safe_file_name(std::string_view name) {
  std::string base(
      name.substr(name.find_last_of("/\\") == std::string_view::npos ? 0 : name.find_last_of("/\\") + 1));
  std::string out;
  for (char c : base) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) continue;
    out += c;
  }
  while (!out.empty() && (out.front() == '.' || out.front() == ' '))
    out.erase(out.begin());
  while (!out.empty() && out.back() == ' ')
    out.pop_back();
  if (out.size() > 200) out.resize(200);
  return out.empty() ? "file" : out;
}

FileSender::FileSender(peer::PeerConnection& pc, std::string path, OnDone on_done)
    : pc_(pc), path_(std::move(path)), on_done_(std::move(on_done)) {}

FileSender::~FileSender() {
  if (file_ != nullptr) std::fclose(file_);
}

std::string FileSender::start() {
  struct stat info {};
  if (::stat(path_.c_str(), &info) != 0) return "cannot read " + path_ + ": " + std::strerror(errno);
  if (!S_ISREG(info.st_mode)) return path_ + " is not a regular file";
  file_ = std::fopen(path_.c_str(), "rb");
  if (file_ == nullptr) return "cannot open " + path_ + ": " + std::strerror(errno);
  result_.name = safe_file_name(base_name(path_));
  result_.size = static_cast<std::uint64_t>(info.st_size);
  auto channel = pc_.create_data_channel("file");
  if (!channel) return "cannot open a file channel: " + channel.error();
  channel_ = *channel;
  return {};
}

void FileSender::on_open() {
  pc_.set_buffered_amount_low_threshold(channel_, kLowWater);
  boost::json::object header{
      {"name", result_.name}, {"size", result_.size}, {"mime", "application/octet-stream"}};
  auto sent = pc_.send(channel_, boost::json::serialize(header));
  if (!sent) return finish(false, "cannot send the file header: " + sent.error());
  say("sending \"" + result_.name + "\" (" + human(result_.size) + ")");
  pump();
}

void FileSender::pump() {
  if (finished_ || trailer_sent_) return;
  std::vector<std::uint8_t> chunk(kChunk);
  while (pc_.buffered_amount(channel_) < kHighWater && sent_ < result_.size) {
    const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(kChunk, result_.size - sent_));
    const std::size_t got = std::fread(chunk.data(), 1, want, file_);
    if (got != want) return finish(false, "reading " + path_ + " failed (did it change while being sent?)");
    const std::span<const std::uint8_t> bytes(chunk.data(), got);
    auto sent = pc_.send(channel_, bytes);
    if (!sent) return finish(false, "sending failed: " + sent.error());
    hash_.update(bytes);
    sent_ += got;
    if (due(sent_, result_.size, last_report_)) {
      say("sent " + std::to_string(sent_ * 100 / std::max<std::uint64_t>(result_.size, 1)) + " % of \"" +
          result_.name + "\"");
    }
  }
  if (sent_ == result_.size) {
    result_.sha256 = hash_.hex();
    boost::json::object trailer{{"sha256", result_.sha256}};
    auto sent = pc_.send(channel_, boost::json::serialize(trailer));
    if (!sent) return finish(false, "cannot send the SHA-256: " + sent.error());
    trailer_sent_ = true;
    say("sent \"" + result_.name + "\" (" + human(result_.size) + ", sha256 " + result_.sha256 +
        "); waiting for the receiver to confirm");
  }
}

void FileSender::on_closed() {
  if (trailer_sent_) return finish(true, {});
  finish(false, "the receiver closed the channel after " + human(sent_) + " of " + human(result_.size));
}

void FileSender::finish(bool ok, std::string error) {
  if (finished_) return;
  finished_ = true;
  result_.ok = ok;
  result_.error = std::move(error);
  if (!ok) (void)pc_.close_channel(channel_);
  if (on_done_) on_done_(result_);
}

FileReceiver::FileReceiver(peer::PeerConnection& pc, peer::ChannelId channel, std::string dir, OnDone on_done)
    : pc_(pc), channel_(channel), dir_(std::move(dir)), on_done_(std::move(on_done)) {}

FileReceiver::~FileReceiver() {
  if (file_ != nullptr) std::fclose(file_);
}

void FileReceiver::on_message(bool binary, std::span<const std::uint8_t> bytes) {
  if (finished_) return;
  if (!binary) {
    const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    return have_header_ ? trailer(text) : header(text);
  }
  if (!have_header_) return finish(false, "file data arrived before the file was described");
  if (received_ + bytes.size() > result_.size)
    return finish(false, "more data arrived than the announced size");
  if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size()) {
    return finish(false, "cannot write " + result_.path + ": " + std::strerror(errno));
  }
  hash_.update(bytes);
  received_ += bytes.size();
  if (due(received_, result_.size, last_report_)) {
    say("received " + std::to_string(received_ * 100 / std::max<std::uint64_t>(result_.size, 1)) +
        " % of \"" + result_.name + "\"");
  }
}

void FileReceiver::header(std::string_view text) {
  boost::system::error_code ec;
  const auto value = boost::json::parse(text, ec);
  const auto* object = ec ? nullptr : value.if_object();
  const auto* name = object ? object->if_contains("name") : nullptr;
  const auto* size = object ? object->if_contains("size") : nullptr;
  if (name == nullptr || !name->is_string() || size == nullptr || !(size->is_int64() || size->is_uint64())) {
    return finish(false, "the sender did not describe the file (name and size)");
  }
  const auto announced = size->is_int64() ? size->as_int64() : static_cast<std::int64_t>(size->as_uint64());
  if (announced < 0 || static_cast<std::uint64_t>(announced) > kMaxFileBytes) {
    return finish(false, "the announced size is out of range");
  }
  result_.name = safe_file_name(std::string(name->as_string()));
  result_.size = static_cast<std::uint64_t>(announced);
  // Never overwrite: "name", then "name (1)", "name (2)", ...
  std::string path = dir_ + "/" + result_.name;
  for (int n = 1; ::access(path.c_str(), F_OK) == 0 && n < 1000; ++n) {
    path = dir_ + "/" + result_.name + " (" + std::to_string(n) + ")";
  }
  file_ = std::fopen(path.c_str(), "wbx");
  if (file_ == nullptr) return finish(false, "cannot create " + path + ": " + std::strerror(errno));
  result_.path = path;
  have_header_ = true;
  say("receiving \"" + result_.name + "\" (" + human(result_.size) + ") into " + path);
}

void FileReceiver::trailer(std::string_view text) {
  boost::system::error_code ec;
  const auto value = boost::json::parse(text, ec);
  const auto* object = ec ? nullptr : value.if_object();
  const auto* sha = object ? object->if_contains("sha256") : nullptr;
  if (sha == nullptr || !sha->is_string())
    return finish(false, "the sender ended the file without its SHA-256");
  if (received_ != result_.size) {
    return finish(false,
                  "received " + std::to_string(received_) + " of " + std::to_string(result_.size) + " bytes");
  }
  std::string expected(sha->as_string());
  for (auto& c : expected)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  result_.sha256 = hash_.hex();
  if (result_.sha256 != expected) {
    return finish(false, "the SHA-256 of what arrived (" + result_.sha256 +
                             ") does not match the sender's (" + expected + ")");
  }
  finish(true, {});
}

void FileReceiver::on_closed() {
  finish(false, "the sender stopped before the file was complete");
}

void FileReceiver::finish(bool ok, std::string error) {
  if (finished_) return;
  finished_ = true;
  result_.ok = ok;
  result_.error = std::move(error);
  if (file_ != nullptr) {
    if (std::fclose(file_) != 0 && ok) {
      result_.ok = false;
      result_.error = "cannot finish writing " + result_.path + ": " + std::strerror(errno);
    }
    file_ = nullptr;
    // A file that did not arrive whole is not left looking like one.
    if (!result_.ok && !result_.path.empty()) ::unlink(result_.path.c_str());
  }
  (void)pc_.close_channel(channel_);
  if (on_done_) on_done_(result_);
}

}  // namespace peerhub::cli
