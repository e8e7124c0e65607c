// Loads the SDP test vectors of this folder (see README.md: the chromium_* and firefox_* files are captured
// from Chromium and Firefox by capture_chromium.mjs and capture_firefox.mjs).
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

namespace peerhub::sdp::test {

inline std::filesystem::path vectors_dir() {
  return std::filesystem::path(PEERHUB_SOURCE_DIR) / "tests" / "unit" / "sdp_vectors";
}

// The bytes of sdp_vectors/<name>, exactly as stored.
inline std::string vector(const std::string& name) {
  std::ifstream in(vectors_dir() / name, std::ios::binary);
  if (!in) throw std::runtime_error("no SDP test vector " + (vectors_dir() / name).string());
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Every *.sdp file of the folder, by name, sorted.
inline std::vector<std::string> all_vectors() {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(vectors_dir()))
    if (entry.path().extension() == ".sdp") names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace peerhub::sdp::test
