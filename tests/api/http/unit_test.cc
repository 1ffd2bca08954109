// unit_test.cc: the HTTP layer's parts without sockets: tokens, parameters, routes, mboxrd, the worker pool bound.
#include <catch2/catch.hpp>
#include <chrono>
#include <future>

#include "api/http/auth.h"
#include "api/http/export_format.h"
#include "api/http/router.h"
#include "api/http/search_params.h"
#include "api/http/worker_pool.h"
#include "tests/api/http/served_archive.h"

namespace folio::testing {
namespace {

using namespace folio::api::http;

TEST_CASE("auth: anonymous, valid, expired and refused tokens", "[http][auth]") {
  Authenticator auth(kJwtSecret);
  auto now = static_cast<std::int64_t>(std::time(nullptr));
  CHECK(auth.grants("", now).value().empty());
  auto g = auth.grants("Bearer " + make_token({"group:core", "tier:pro"}), now);
  REQUIRE(g.ok());
  CHECK(g.value() == std::vector<std::string>{"group:core", "tier:pro"});
  CHECK(auth.grants("bearer " + make_token({"x:y"}), now).ok());
  CHECK_FALSE(auth.grants("Bearer " + make_token({"x:y"}, 10), now + 11).ok());
  CHECK_FALSE(auth.grants("Bearer " + alg_none_token({"x:y"}), now).ok());
  CHECK_FALSE(auth.grants("Bearer ", now).ok());
  CHECK_FALSE(auth.grants("Token abc", now).ok());
  CHECK_FALSE(auth.grants("Bearer " + std::string(9000, 'a'), now).ok());
  Authenticator no_secret("");
  CHECK_FALSE(no_secret.grants("Bearer " + make_token({"x:y"}), now).ok());
  CHECK(no_secret.grants("", now).ok());
}

TEST_CASE("params: bounds and choices", "[http][params]") {
  ParamLimits l;
  auto ok = parse_search_params({{"q", "x"}, {"limit", "100"}, {"offset", "10000"}, {"sort", "date"}}, l);
  REQUIRE(ok.ok());
  CHECK(ok->request.limit == 100);
  CHECK(ok->request.sort == query::SearchRequest::Sort::kDate);
  CHECK_FALSE(parse_search_params({{"limit", "101"}}, l).ok());
  CHECK_FALSE(parse_search_params({{"offset", "10001"}}, l).ok());
  CHECK_FALSE(parse_search_params({{"limit", "-1"}}, l).ok());
  CHECK_FALSE(parse_search_params({{"limit", ""}}, l).ok());
  CHECK_FALSE(parse_search_params({{"q", std::string(l.max_query_bytes + 1, 'a')}}, l).ok());
  CHECK(parse_search_params({{"q", std::string(l.max_query_bytes, 'a')}}, l).ok());
  CHECK(parse_search_params({{"utm_source", "x"}}, l).ok());
}

TEST_CASE("routes: the path table", "[http][router]") {
  CHECK(route({"api", "v1", "search"}).endpoint == Endpoint::kSearch);
  auto raw = route({"api", "v1", "messages", "<a/b@x>", "raw"});
  CHECK(raw.endpoint == Endpoint::kRaw);
  CHECK(raw.id == "a/b@x");
  CHECK(route({"api", "v1", "messages"}).endpoint == Endpoint::kOther);
  CHECK(route({"api", "v1", "messages", "a", "b"}).endpoint == Endpoint::kOther);
}

TEST_CASE("mboxrd: From lines at any quote depth gain one '>', CRLF becomes LF", "[http][export]") {
  std::string out;
  append_mboxrd(out, "Subject: x\r\n\r\nFrom here\r\n>From there\r\nFromage\r\n");
  CHECK(out == "From mboxrd@z Thu Jan  1 00:00:00 1970\nSubject: x\n\n>From here\n>>From there\nFromage\n\n");
  CHECK(xml_escape("<a&'\">\x01") == "&lt;a&amp;&apos;&quot;&gt; ");
  CHECK(snippet_text("a <mark>b</mark> &amp; c") == "a b & c");
}

TEST_CASE("worker pool: a full queue refuses work instead of growing", "[http][pool]") {
  WorkerPool pool(1, 2);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> started;
  REQUIRE(pool.try_submit([&](std::size_t) {
    started.set_value();
    released.wait_for(std::chrono::seconds(10));
  }));
  REQUIRE(started.get_future().wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  CHECK(pool.try_submit([](std::size_t) {}));
  CHECK(pool.try_submit([](std::size_t) {}));
  CHECK_FALSE(pool.try_submit([](std::size_t) {}));
  CHECK(pool.queued() == 2);
  release.set_value();
  pool.stop();
  CHECK(pool.queued() == 0);
  CHECK_FALSE(pool.try_submit([](std::size_t) {}));
}

TEST_CASE("worker pool: a throwing job does not take the thread down", "[http][pool]") {
  WorkerPool pool(1, 4);
  REQUIRE(pool.try_submit([](std::size_t) { throw std::runtime_error("boom"); }));
  std::promise<int> ran;
  REQUIRE(pool.try_submit([&](std::size_t w) { ran.set_value(static_cast<int>(w)); }));
  auto f = ran.get_future();
  REQUIRE(f.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  CHECK(f.get() == 0);
}

}  // namespace
}  // namespace folio::testing
