// Files over data channels, the convention the web client speaks (../shared/DESIGN.md): one channel labelled
// "file" per file; a text message {"name","size","mime"}; binary chunks of at most 64 KiB, sent while the
// channel's buffered amount stays under a high-water mark; a text message {"sha256":"<hex>"}. The receiver
// checks size and hash, then closes the channel — which is how the sender learns the file arrived whole.
//
// Memory stays flat whatever the size: the sender reads the file a chunk at a time as the channel drains, the
// receiver writes each chunk to disk as it comes.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>

#include "peer/peer_connection.hpp"
#include "sha256.hpp"

namespace peerhub::cli {

inline constexpr std::size_t kChunk = 64 * 1024;
inline constexpr std::size_t kHighWater = 4 * 1024 * 1024;
inline constexpr std::size_t kLowWater = 1024 * 1024;
inline constexpr std::uint64_t kMaxFileBytes = 64ULL << 30;  // what a receiver accepts (64 GiB)

struct FileResult {
  bool ok = false;
  std::string name;
  std::uint64_t size = 0;
  std::string sha256;
  std::string path;   // receiver: where it was saved
  std::string error;  // why it failed, in words
};

class FileSender {
 public:
  using OnDone = std::function<void(const FileResult&)>;
  // Errors opening the file are reported by start()'s result.
  FileSender(peer::PeerConnection& pc, std::string path, OnDone on_done);
  ~FileSender();
  // Opens the file and the channel. Error words when the file cannot be read.
  std::string start();
  peer::ChannelId channel() const { return channel_; }
  // Feed every event of the channel.
  void on_open();
  void on_buffered_amount_low() { pump(); }
  void on_closed();
  bool finished() const { return finished_; }

 private:
  void pump();
  void finish(bool ok, std::string error);

  peer::PeerConnection& pc_;
  std::string path_;
  OnDone on_done_;
  std::FILE* file_ = nullptr;
  peer::ChannelId channel_ = 0;
  FileResult result_;
  Sha256 hash_;
  std::uint64_t sent_ = 0;
  bool trailer_sent_ = false;
  bool finished_ = false;
  std::uint64_t last_report_ = 0;
};

class FileReceiver {
 public:
  using OnDone = std::function<void(const FileResult&)>;
  FileReceiver(peer::PeerConnection& pc, peer::ChannelId channel, std::string dir, OnDone on_done);
  ~FileReceiver();
  void on_message(bool binary, std::span<const std::uint8_t> bytes);
  void on_closed();
  bool finished() const { return finished_; }

 private:
  void header(std::string_view text);
  void trailer(std::string_view text);
  void finish(bool ok, std::string error);

  peer::PeerConnection& pc_;
  peer::ChannelId channel_;
  std::string dir_;
  OnDone on_done_;
  std::FILE* file_ = nullptr;
  FileResult result_;
  Sha256 hash_;
  std::uint64_t received_ = 0;
  bool have_header_ = false;
  bool finished_ = false;
  std::uint64_t last_report_ = 0;
};

// A name safe to create in the receiving folder: no folders, no control characters, not empty, not hidden.
std::string safe_file_name(std::string_view name);

}  // namespace peerhub::cli
