// Candidates gathered after a local description was made (trickle ICE, RFC 8840), added to that description.
#include "sdp/jsep.hpp"

namespace peerhub::sdp {

namespace {

Result<std::size_t> section_of(const SessionDescription& d, std::string_view mid) {
  const std::optional<std::size_t> index = d.find_mid(mid);
  if (!index) return Error{0, "no m= section with a=mid:" + std::string(mid)};
  return *index;
}

}  // namespace

Result<std::size_t> add_candidate(SessionDescription& local, std::string_view mid,
                                  std::string_view candidate) {
  const Result<std::size_t> index = section_of(local, mid);
  if (!index) return index;
  if (candidate.rfind("candidate:", 0) != 0 || candidate.size() == 10 ||
      candidate.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos) {
    return Error{0, "a candidate must be one line starting with \"candidate:\""};
  }
  MediaSection& m = local.media()[*index];
  // After the last a=candidate, else after the c= line, else first: where Chromium writes them.
  std::size_t position = 0;
  for (std::size_t i = 0; i < m.lines().size(); ++i) {
    const Line& l = m.lines()[i];
    if (l.type == 'c' || (l.type == 'a' && split_attribute(l.value).name == "candidate")) position = i + 1;
  }
  m.insert_line(position, 'a', candidate);
  return index;
}

Result<std::size_t> add_end_of_candidates(SessionDescription& local, std::string_view mid) {
  const Result<std::size_t> index = section_of(local, mid);
  if (!index) return index;
  MediaSection& m = local.media()[*index];
  if (!m.end_of_candidates()) m.add_attribute("end-of-candidates");
  return index;
}

}  // namespace peerhub::sdp
