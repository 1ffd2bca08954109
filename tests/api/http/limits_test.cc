// limits_test.cc: the server's bounds at the limit: connections, header bytes.
#include <poll.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <thread>
#include <vector>

#include "tests/api/http/served_archive.h"

namespace folio::testing {
namespace {

// The status of GET /healthz, asked until it is `wanted` or 10 s have passed
// (the server accepts and closes connections asynchronously).
int healthz_until(const ServedArchive& s, int wanted) {
  int status = 0;
  for (int i = 0; i < 200 && status != wanted; ++i) {
    if (i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    status = s.get("/healthz").status;
  }
  return status;
}

// Whether the server has answered or closed `fd`, an idle connection: it
// refuses (503, then closes) one that arrives while it still counts a
// connection its client has just closed.
bool refused(int fd) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, 0) > 0;
}

// GET /healthz until it is 503, for at most 10 s, opening again any of the
// `idle` connections that the server refused on arrival.
int healthz_until_full(const ServedArchive& s, std::vector<int>& idle) {
  int status = 0;
  for (int i = 0; i < 200 && status != 503; ++i) {
    if (i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    for (int& fd : idle) {
      if (!refused(fd)) continue;
      ::close(fd);
      fd = http_send(s.port(), "", 0, 5);
    }
    status = s.get("/healthz").status;
  }
  return status;
}

TEST_CASE("limits: max_connections connections are served, one more gets 503 until one closes", "[http][limits]") {
  ServedArchive s;
  auto o = s.options();
  o.max_connections = 3;
  s.restart(o);
  std::vector<int> idle;
  for (int i = 0; i < 2; ++i) idle.push_back(http_send(s.port(), "", 0, 5));
  for (int fd : idle) REQUIRE(fd >= 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  CHECK(s.get("/healthz").status == 200);  // two idle and this one: at the limit
  idle.push_back(http_send(s.port(), "", 0, 5));
  CHECK(healthz_until_full(s, idle) == 503);  // once the third idle one is kept, the fourth is refused
  auto over = s.get("/healthz");
  CHECK(over.status == 503);
  CHECK(over.header("retry-after") == "1");
  ::close(idle.back());
  idle.pop_back();
  CHECK(healthz_until(s, 200) == 200);
  for (int fd : idle) ::close(fd);
}

// A request whose header section (request line to the blank line) is `total` bytes.
std::string request_of(std::size_t total) {
  std::string head = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Pad: ";
  std::string tail = "\r\n\r\n";
  return head + std::string(total - head.size() - tail.size(), 'p') + tail;
}

// Beast applies header_limit from where its parse of the header stands, so a
// request is refused a little past max_header_bytes (measured: 51 bytes, the
// request line and the first two fields of request_of), never before it.
TEST_CASE("limits: a header section of max_header_bytes is read, 64 bytes more is 431", "[http][limits]") {
  ServedArchive s;
  const std::size_t max = s.options().max_header_bytes;
  CHECK(http_exchange(s.port(), request_of(max)).status == 200);
  CHECK(http_exchange(s.port(), request_of(max + 64)).status == 431);
}

}  // namespace
}  // namespace folio::testing
