// Bounds the parser holds every description to, so a hostile peer cannot make it allocate without end.
// The defaults leave room for a browser offer with many tracks: Chromium's offer with audio, video and a data
// channel is about 6 KiB and 170 lines; a video section with simulcast and every codec stays under 300 lines.
#pragma once

#include <cstddef>

namespace peerhub::sdp {

struct Limits {
  std::size_t max_size = 256 * 1024;         // bytes of the whole description
  std::size_t max_lines = 8192;              // lines of the whole description
  std::size_t max_line_length = 4096;        // bytes of one line, without its line end
  std::size_t max_media_sections = 256;      // m= sections
  std::size_t max_lines_per_section = 2048;  // lines of one m= section (or of the session level)
};

}  // namespace peerhub::sdp
