// serve_binary_test.cc: the real `folio serve` binary: prints its URL, answers, reloads on SIGHUP, drains and exits 0 on SIGTERM.
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "tests/api/http/served_archive.h"
#include "tests/support/corpus.h"
#include "tests/support/run.h"
#include "tests/support/temp_dir.h"

namespace folio::testing {
namespace {

// A child process running `folio serve`, killed at the end if still alive.
struct Child {
  pid_t pid = -1;
  int out = -1;
  ~Child() {
    if (pid > 0) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
    if (out >= 0) ::close(out);
  }
};

void spawn_serve(Child& c, const std::string& home) {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  c.pid = ::fork();
  REQUIRE(c.pid >= 0);
  if (c.pid == 0) {
    ::dup2(fds[1], STDOUT_FILENO);
    ::close(fds[0]);
    std::string bin = folio_binary().string();
    ::execl(bin.c_str(), bin.c_str(), "serve", "--home", home.c_str(), "--bind", "127.0.0.1:0", "--threads", "2",
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(fds[1]);
  c.out = fds[0];
}

// The first line the child prints, within `seconds`.
std::string first_line(int fd, int seconds) {
  std::string line;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (line.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 200) <= 0) continue;
    char buf[256];
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) break;
    line.append(buf, static_cast<std::size_t>(n));
  }
  return line;
}

// The exit status of `pid` within `seconds`, or -1.
int wait_exit(pid_t pid, int seconds) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return -1;
}

TEST_CASE("serve: the binary prints its URL, serves, reloads on SIGHUP and exits 0 on SIGTERM", "[http][serve]") {
  ArchiveFixture archive;
  archive.import({make_message("b1@x", "binary test", "servedword")});
  Child c;
  spawn_serve(c, archive.root());
  std::string line = first_line(c.out, 20);
  REQUIRE(line.find("listening on http://127.0.0.1:") != std::string::npos);
  auto port = static_cast<std::uint16_t>(std::stoi(line.substr(line.rfind(':') + 1)));
  CHECK(http_get(port, "/healthz").status == 200);
  CHECK(http_get(port, "/api/v1/search?q=servedword").body.find("b1@x") != std::string::npos);
  ::kill(c.pid, SIGHUP);
  CHECK(http_get(port, "/readyz").status == 200);
  ::kill(c.pid, SIGTERM);
  int code = wait_exit(c.pid, 30);
  CHECK(code == 0);
  if (code >= 0) c.pid = -1;
}

TEST_CASE("serve: an uninitialised home fails at start with a message", "[http][serve]") {
  TempDir dir;
  auto r = run_folio({"serve", "--home", dir.sub("none"), "--bind", "127.0.0.1:0"});
  CHECK(r.exit_code != 0);
  CHECK_FALSE(r.err.empty());
}

}  // namespace
}  // namespace folio::testing
