// drain_test.cc: stopping the server under load: every request it accepted is answered whole; then it refuses connections.
#include <catch2/catch.hpp>
#include <atomic>
#include <thread>
#include <vector>

#include "api/http/http_types.h"
#include "tests/api/http/served_archive.h"

namespace folio::testing {
namespace {

TEST_CASE("drain: stop() under load answers every accepted request completely", "[http][drain]") {
  ServedArchive s;
  std::uint16_t port = s.port();
  std::atomic<bool> stopping{false}, done{false};
  std::atomic<int> answered{0}, cut{0}, refused_before_stop{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < 6; ++c) {
    clients.emplace_back([&, c] {
      int i = 0;
      while (!done) {
        auto r = http_get(port, "/api/v1/search?q=alpha+" + std::to_string(c) + "x" + std::to_string(i++));
        if (r.status == 200 && r.header("content-length") == std::to_string(r.body.size())) {
          ++answered;
        } else if (r.status != 0) {
          ++cut;  // a response, but not a whole one, or not a 200
        } else if (!stopping) {
          ++refused_before_stop;
        }
      }
    });
  }
  while (answered < 50) std::this_thread::yield();
  stopping = true;
  s.server().stop();
  done = true;
  for (auto& t : clients) t.join();
  CHECK(cut == 0);
  CHECK(refused_before_stop == 0);
  CHECK(http_get(port, "/healthz").status == 0);  // nothing listens any more
}

TEST_CASE("drain: an idle keep-alive connection does not hold up stop()", "[http][drain]") {
  ServedArchive s;
  std::thread idle([port = s.port()] {
    // Opens a connection, sends one keep-alive request, then waits for the server to close it.
    http_exchange(port, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 30);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  auto start = std::chrono::steady_clock::now();
  s.server().stop();
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
  idle.join();
}

TEST_CASE("overload: 503 and 429 answers carry Retry-After", "[http][drain]") {
  auto r = api::http::overloaded_response(503, "busy");
  CHECK(r.status == 503);
  CHECK(r.headers.at(0).first == "Retry-After");
  CHECK(r.body == R"({"error":{"code":"unavailable","message":"busy"}})");
}

}  // namespace
}  // namespace folio::testing
