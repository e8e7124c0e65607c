// What an idle connection costs: the parser holds heap memory only while a frame or message is incomplete,
// and a frame that arrives whole is parsed without allocating.
#include <gtest/gtest.h>

#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>

#include "ws/frame.hpp"

namespace {
std::atomic<long> g_live{0};                                // blocks allocated and not yet freed
std::atomic<long> g_live_bytes{0};                          // ... and their bytes
std::atomic<long> g_total{0};                               // allocations ever made
constexpr std::size_t kPrefix = alignof(std::max_align_t);  // where each block's size is kept
}  // namespace

// Counting replacements of the global allocation functions (for this test binary only).
void* operator new(std::size_t n) {
  auto* p = static_cast<unsigned char*>(std::malloc(n + kPrefix));
  if (p == nullptr) throw std::bad_alloc();
  std::memcpy(p, &n, sizeof n);
  ++g_live;
  ++g_total;
  g_live_bytes += static_cast<long>(n);
  return p + kPrefix;
}
void* operator new[](std::size_t n) {
  return operator new(n);
}
void operator delete(void* p) noexcept {
  if (p == nullptr) return;
  auto* block = static_cast<unsigned char*>(p) - kPrefix;
  std::size_t n;
  std::memcpy(&n, block, sizeof n);
  --g_live;
  g_live_bytes -= static_cast<long>(n);
  std::free(block);
}
void operator delete[](void* p) noexcept {
  operator delete(p);
}
void operator delete(void* p, std::size_t) noexcept {
  operator delete(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  operator delete(p);
}

namespace peerhub::ws {
namespace {

TEST(WsMemory, ParserIsSmall) {
  EXPECT_LE(sizeof(Parser), 128U);
}

TEST(WsMemory, WholeFramesAllocateNothing) {
  std::string wire;
  append_frame(wire, Opcode::text, "hello", 1);
  append_frame(wire, Opcode::binary, std::string(65536, 'b'), 2);
  append_frame(wire, Opcode::ping, "p", 3);
  append_frame(wire, Opcode::close, close_payload(1000, "bye"), 4);
  Parser parser(Role::server, 1 << 20);
  int events = 0;
  const long before = g_total.load();
  EXPECT_TRUE(parser.feed(std::span<char>(wire), [&](const Event&) { ++events; }));
  EXPECT_EQ(g_total.load() - before, 0);
  EXPECT_EQ(events, 4);
}

TEST(WsMemory, BuffersAreReleasedWhenTheMessageCompletes) {
  std::string wire;
  append_frame(wire, Opcode::binary, std::string(5000, 'x'), 7);  // fed in pieces: must be buffered
  append_frame(wire, Opcode::text, "frag", 7, false);             // a fragmented message ...
  append_frame(wire, Opcode::ping, "ping in between", 7);         // ... with a split control frame inside
  append_frame(wire, Opcode::continuation, "mented", 7);
  Parser parser(Role::server, 1 << 20);
  int events = 0;
  auto sink = [&](const Event&) { ++events; };
  const long baseline = g_live.load();
  long peak = baseline;
  for (std::size_t at = 0; at < wire.size(); at += 100) {
    parser.feed(std::span<char>(wire.data() + at, std::min<std::size_t>(100, wire.size() - at)), sink);
    peak = std::max(peak, g_live.load());
    if (parser.idle()) {
      EXPECT_EQ(g_live.load(), baseline) << "idle but holding memory after byte " << at;
    }
  }
  EXPECT_GT(peak, baseline);  // it did need a buffer on the way
  EXPECT_EQ(events, 3);
  EXPECT_TRUE(parser.idle());
  EXPECT_EQ(g_live.load(), baseline);
}

TEST(WsMemory, APartialFrameCostsWhatArrivedNotWhatWasAnnounced) {
  std::string wire;
  append_frame(wire, Opcode::binary, std::string(60000, 'x'), 7);
  Parser parser(Role::server, 1 << 16);
  const long before = g_live_bytes.load();
  parser.feed(std::span<char>(wire.data(), 8 + 10), [](const Event&) {});  // header + 10 payload bytes
  EXPECT_FALSE(parser.idle());
  EXPECT_LT(g_live_bytes.load() - before, 256);
}

TEST(WsMemory, TooBigMessagesAreNeverBuffered) {
  std::string wire;
  append_frame(wire, Opcode::binary, std::string(100000, 'x'), 7);
  Parser parser(Role::server, 1000);
  const long before = g_total.load();
  int too_big = 0;
  for (std::size_t at = 0; at < wire.size(); at += 10) {
    parser.feed(std::span<char>(wire.data() + at, std::min<std::size_t>(10, wire.size() - at)),
                [&](const Event& e) { too_big += e.kind == Event::Kind::too_big ? 1 : 0; });
  }
  EXPECT_EQ(g_total.load() - before, 0);
  EXPECT_EQ(too_big, 1);
  EXPECT_TRUE(parser.idle());
}

TEST(WsMemory, AnErrorReleasesTheBuffer) {
  std::string wire;
  append_frame(wire, Opcode::text, std::string(3000, 'a'), 7, false);
  Parser parser(Role::server, 1 << 20);
  const long baseline = g_live.load();
  auto sink = [](const Event&) {};
  parser.feed(std::span<char>(wire.data(), 1000), sink);
  EXPECT_GT(g_live.load(), baseline);
  std::string bad =
      "\xc1\x80"
      "abcd";  // RSV1
  parser.feed(std::span<char>(wire.data() + 1000, wire.size() - 1000), sink);
  EXPECT_FALSE(parser.feed(std::span<char>(bad), sink));
  EXPECT_EQ(g_live.load(), baseline);
}

}  // namespace
}  // namespace peerhub::ws
