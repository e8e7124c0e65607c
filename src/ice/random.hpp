// Randomness for the agent: credentials, tie-breakers, transaction ids and consent jitter all come from one
// injectable fill function, so that tests are deterministic. The default is OpenSSL's RAND_bytes.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>

namespace peerhub::ice {

using RandomFill = std::function<void(std::span<std::uint8_t>)>;

// OpenSSL RAND_bytes; aborts if the generator fails (no ufrag is better than a predictable one).
void default_random_fill(std::span<std::uint8_t> out);

// `length` ice-chars (RFC 8839 §5.4: ALPHA / DIGIT / "+" / "/"), each drawn uniformly.
std::string random_ice_chars(const RandomFill& fill, std::size_t length);
std::uint64_t random_u64(const RandomFill& fill);

}  // namespace peerhub::ice
