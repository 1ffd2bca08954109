// serve_child.h: the real `folio serve` binary as a child process of a test, and what can be read about it.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace folio::testing {

// A child process running `folio serve`, killed (SIGKILL) at the end if still alive.
struct ServeChild {
  pid_t pid = -1;
  int out = -1;  // the child's stdout
  ~ServeChild();
};

// Starts `folio serve --home HOME --bind 127.0.0.1:0 --threads 2 EXTRA...`.
void spawn_serve(ServeChild& c, const std::string& home, const std::vector<std::string>& extra = {});

// The first line the child prints, within `seconds`.
std::string first_line(int fd, int seconds);

// The port in the child's "listening on http://127.0.0.1:PORT/" line; 0 if none.
std::uint16_t listening_port(const std::string& line);

// The exit status of `pid` within `seconds`, or -1.
int wait_exit(pid_t pid, int seconds);

// The peak resident set size (VmHWM) of `pid` in KiB; 0 when unreadable.
std::size_t peak_rss_kib(pid_t pid);

}  // namespace folio::testing
