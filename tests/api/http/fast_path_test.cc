// fast_path_test.cc: repeated searches answered from the cache on the I/O thread: counted, fresh, never across scopes or configs.
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "index/config.h"
#include "tests/api/http/served_archive.h"

namespace folio::testing {
namespace {

// A long freshness window, so that a repeat is answered on the I/O thread
// however loaded the machine running the test is.
void long_fresh(ServedArchive& s) {
  auto o = s.options();
  o.service.cache_fresh = std::chrono::milliseconds(10000);
  s.restart(o);
}

// The value of metric `name` (a line "name value") in a /metrics body; -1 if absent.
double metric(const std::string& body, const std::string& name) {
  std::size_t p = body.find("\n" + name + " ");
  if (p == std::string::npos) return -1;
  return std::stod(body.substr(p + name.size() + 2));
}

TEST_CASE("fast path: a repeated search is a cache hit without a worker, counted once in /metrics",
          "[http][cache]") {
  ServedArchive s;
  long_fresh(s);
  const std::string q = "/api/v1/search?q=alpha&limit=3";
  auto first = s.get(q);
  REQUIRE(first.status == 200);
  CHECK(first.body.find("\"cached\":false") != std::string::npos);
  auto second = s.get(q);
  REQUIRE(second.status == 200);
  CHECK(second.body.find("\"cached\":true") != std::string::npos);
  CHECK(without_timing(second.body) == without_timing(first.body));
  auto m = s.get("/metrics").body;
  CHECK(metric(m, "folio_cache_fast_hits_total") == 1);
  CHECK(metric(m, "folio_cache_hits_total") == 1);
  CHECK(metric(m, "folio_cache_misses_total") == 1);
  CHECK(m.find("folio_http_requests_total{endpoint=\"search\",status=\"200\"} 2") != std::string::npos);
}

TEST_CASE("fast path: never crosses readers: the same target answers each scope its own", "[http][cache]") {
  ServedArchive s;
  long_fresh(s);
  const std::string q = "/api/v1/search?q=zanzibarword&facets=0";
  const std::string core = make_token({"group:core"});
  for (int round = 0; round < 3; ++round) {
    CHECK(s.get(q, core).body.find("core1@x") != std::string::npos);
    auto anon = s.get(q);
    CHECK(anon.body.find("core1@x") == std::string::npos);
    CHECK(anon.body.find("\"total\":0") != std::string::npos);
  }
}

TEST_CASE("fast path: revoking a list's access is seen by the next request, without a commit", "[http][cache]") {
  ServedArchive s;
  long_fresh(s);
  const std::string q = "/api/v1/search?q=tierword&facets=0";
  const std::string pro = make_token({"tier:pro"});
  REQUIRE(s.get(q, pro).body.find("pro1@x") != std::string::npos);
  REQUIRE(s.get(q, pro).body.find("pro1@x") != std::string::npos);  // now cached
  REQUIRE(metric(s.get("/metrics").body, "folio_cache_fast_hits_total") == 1);
  auto config = index::load_config(s.archive().home().config_file());
  REQUIRE(config.ok());
  config->find_list("pro")->access = {"tier:gold"};
  REQUIRE(index::save_config(s.archive().home().config_file(), *config).ok());
  REQUIRE(s.server().reload_config().ok());
  CHECK(s.get(q, pro).body.find("pro1@x") == std::string::npos);
}

TEST_CASE("fast path: a commit shows within cache_fresh, and at once with cache_fresh = 0", "[http][cache]") {
  ServedArchive s;
  const std::string q = "/api/v1/search?q=freshword&facets=0";
  CHECK(s.get(q).body.find("\"total\":0") != std::string::npos);
  CHECK(s.get(q).body.find("\"total\":0") != std::string::npos);
  s.archive().import({make_message("fresh1@x", "Fresh", "freshword")}, "pub");
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  CHECK(s.get(q).body.find("fresh1@x") != std::string::npos);

  auto o = s.options();
  o.service.cache_fresh = std::chrono::milliseconds(0);
  s.restart(o);
  CHECK(s.get(q).body.find("fresh1@x") != std::string::npos);
  CHECK(s.get(q).body.find("fresh1@x") != std::string::npos);
  s.archive().import({make_message("fresh2@x", "Fresh again", "freshword")}, "pub");
  CHECK(s.get(q).body.find("fresh2@x") != std::string::npos);
  CHECK(metric(s.get("/metrics").body, "folio_cache_fast_hits_total") == 0);
}

}  // namespace
}  // namespace folio::testing
