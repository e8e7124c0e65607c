// What the bench reads about the server process from /proc: CPU seconds (utime + stime, proc(5)) and
// resident memory (VmRSS).
#pragma once

#include <sys/types.h>

namespace peerhub::bench {

// User + system CPU seconds consumed so far by `pid` (all its threads); negative when unreadable.
double cpu_seconds(pid_t pid);

// Resident set size of `pid` in KiB; negative when unreadable.
long rss_kib(pid_t pid);

}  // namespace peerhub::bench
