// endpoints_test.cc: every endpoint of the real server over a real archive, spoken to over HTTP on 127.0.0.1.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "tests/api/http/served_archive.h"

namespace folio::testing {
namespace {

namespace json = boost::json;

json::object parse_object(const std::string& body) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  REQUIRE_FALSE(ec);
  REQUIRE(v.is_object());
  return v.as_object();
}

// A member that must be present.
const json::value& at(const json::object& o, const char* key) {
  REQUIRE(o.contains(key));
  return o.at(key);
}

std::vector<std::string> hit_ids(const json::object& page) {
  std::vector<std::string> ids;
  for (const auto& h : at(page, "hits").as_array()) ids.emplace_back(h.as_object().at("id").as_string());
  std::sort(ids.begin(), ids.end());
  return ids;
}

TEST_CASE("http: search answers hits, totals, facets per list and year, timing and cache flag", "[http][api]") {
  ServedArchive s;
  auto r = s.get("/api/v1/search?q=alpha");
  REQUIRE(r.status == 200);
  CHECK(r.header("content-type") == "application/json");
  auto page = parse_object(r.body);
  CHECK(at(page, "total").as_int64() == 3);
  CHECK(at(page, "exact").as_bool());
  CHECK(hit_ids(page) == std::vector<std::string>{"cross1@x", "pub1@x", "pub2@x"});
  CHECK(at(page, "cached").as_bool() == false);
  CHECK(at(page, "took_ms").is_number());
  CHECK(at(page, "suggestion").is_null());
  const auto& facets = at(page, "facets").as_object();
  CHECK(json::serialize(facets.at("lists")) == R"([{"list":"pub","count":3}])");
  CHECK(json::serialize(facets.at("years")) ==
        R"([{"year":2017,"count":1},{"year":2016,"count":1},{"year":2015,"count":1}])");
  auto again = parse_object(s.get("/api/v1/search?q=alpha").body);
  CHECK(at(again, "cached").as_bool());
  CHECK(without_timing(r.body) == without_timing(s.get("/api/v1/search?q=alpha").body));
}

TEST_CASE("http: search parameters: sort, paging, list, collapse, facets off", "[http][api]") {
  ServedArchive s;
  auto page = parse_object(s.get("/api/v1/search?q=alpha&sort=date&limit=1&offset=1").body);
  REQUIRE(at(page, "hits").as_array().size() == 1);
  CHECK(at(page, "hits").as_array()[0].as_object().at("id").as_string() == "pub2@x");
  auto collapsed = parse_object(s.get("/api/v1/search?q=alpha&collapse=thread").body);
  CHECK(at(collapsed, "total").as_int64() == 2);  // pub1+pub2 one thread, cross1 another
  auto nofacets = parse_object(s.get("/api/v1/search?q=alpha&facets=0").body);
  CHECK(at(nofacets, "facets").is_null());
  auto listed = parse_object(s.get("/api/v1/search?q=&list=pub&limit=0").body);
  CHECK(at(listed, "total").as_int64() == 3);
  auto phrase = parse_object(s.get("/api/v1/search?q=" + url_encode("\"release is out\"")).body);
  CHECK(hit_ids(phrase) == std::vector<std::string>{"pub1@x"});
  auto plus = parse_object(s.get("/api/v1/search?q=release+notes&limit=5").body);
  CHECK(at(plus, "total").as_int64() >= 1);
}

TEST_CASE("http: bad input is a 400 with the reason, never a 500", "[http][api]") {
  ServedArchive s;
  for (const char* target :
       {"/api/v1/search?q=alpha&limit=101", "/api/v1/search?q=alpha&offset=10001", "/api/v1/search?limit=x",
        "/api/v1/search?sort=size", "/api/v1/search?q=NOT+alpha", "/api/v1/search?q=date:2015-13",
        "/api/v1/search?q=a&q=b", "/api/v1/search?collapse=list", "/api/v1/search.mbox?limit=10001",
        "/api/v1/search.atom?limit=101", "/api/v1/search?q=%ZZ"}) {
    INFO(target);
    auto r = s.get(target);
    CHECK(r.status == 400);
    auto body = parse_object(r.body);
    const auto& error = at(body, "error").as_object();
    CHECK(error.at("code").as_string() == "bad_request");
    CHECK_FALSE(error.at("message").as_string().empty());
  }
  std::string long_query(5000, 'a');
  CHECK(s.get("/api/v1/search?q=" + long_query).status == 400);
}

TEST_CASE("http: unknown paths are 404, other methods 405", "[http][api]") {
  ServedArchive s;
  CHECK(s.get("/nothing").status == 404);
  CHECK(s.get("/api/v2/search").status == 404);
  auto post = http_get(s.port(), "/api/v1/search", {}, "POST");
  CHECK(post.status == 405);
  CHECK(post.header("allow") == "GET, HEAD");
  auto head = http_get(s.port(), "/healthz", {}, "HEAD");
  CHECK(head.status == 200);
  CHECK(head.body.empty());
  CHECK(head.header("content-length") == "15");
}

TEST_CASE("http: a message, its raw bytes and its thread", "[http][api]") {
  ServedArchive s;
  auto m = s.get("/api/v1/messages/pub2@x");
  REQUIRE(m.status == 200);
  auto msg = parse_object(m.body);
  CHECK(at(msg, "id").as_string() == "pub2@x");
  CHECK(at(msg, "subject").as_string() == "Re: Public release notes");
  CHECK(at(msg, "in_reply_to").as_string() == "pub1@x");
  CHECK(s.get("/api/v1/messages/%3Cpub2@x%3E").status == 200);  // <id> is accepted
  auto raw = s.get("/api/v1/messages/pub2@x/raw");
  REQUIRE(raw.status == 200);
  CHECK(raw.header("content-type") == "message/rfc822");
  CHECK(raw.body == make_message("pub2@x", "Re: Public release notes", "Thanks for alpha.", {"pub1@x"},
                                 "01 Mar 2016 12:00:00 +0000"));
  auto t = s.get("/api/v1/threads/pub2@x");
  REQUIRE(t.status == 200);
  auto thread = parse_object(t.body);
  auto nodes = at(thread, "messages").as_array();
  REQUIRE(nodes.size() == 2);
  CHECK(nodes[0].as_object().at("id").as_string() == "pub1@x");
  std::string label(at(thread, "thread").as_string());
  CHECK(s.get("/api/v1/threads/" + label).body == t.body);
}

// The thread label of `message_id` as `token` sees it.
std::string thread_label_of(const ServedArchive& s, const std::string& message_id,
                            const std::string& token = "") {
  auto t = s.get("/api/v1/threads/" + message_id, token);
  REQUIRE(t.status == 200);
  return std::string(at(parse_object(t.body), "thread").as_string());
}

TEST_CASE("http: a thread id from before its thread merged into another answers the merged thread",
          "[http][api]") {
  ServedArchive s;
  s.archive().import({make_message("m1@x", "merge one", "m"), make_message("m1r@x", "Re: merge one", "m", {"m1@x"}),
                      make_message("n1@x", "merge two", "n")},
                     "pub");
  s.archive().import({make_message("h1@x", "hidden one", "h"), make_message("h2@x", "hidden two", "h"),
                      make_message("h2r@x", "Re: hidden two", "h", {"h2@x"})},
                     "core");
  std::this_thread::sleep_for(std::chrono::milliseconds(60));  // past cache_fresh
  const std::string core = make_token({"group:core"});
  std::string big = thread_label_of(s, "m1@x");
  std::string small = thread_label_of(s, "n1@x");
  std::string hidden_small = thread_label_of(s, "h1@x", core);
  REQUIRE(big != small);
  auto missing = s.get("/api/v1/threads/00000000deadbeef");
  REQUIRE(missing.status == 404);
  CHECK(s.get("/api/v1/threads/" + hidden_small).body == missing.body);  // hidden: as missing

  // A reply to both merges the one-message threads into the larger ones.
  s.archive().import({make_message("link@x", "Re: both", "l", {"m1r@x", "n1@x"})}, "pub");
  s.archive().import({make_message("hlink@x", "Re: both hidden", "l", {"h2r@x", "h1@x"})}, "core");
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  auto old = s.get("/api/v1/threads/" + small);
  REQUIRE(old.status == 200);
  auto merged = parse_object(old.body);
  CHECK(at(merged, "thread").as_string() == big);
  CHECK(at(merged, "messages").as_array().size() == 4);
  CHECK(old.body == s.get("/api/v1/threads/" + big).body);

  // The hidden merge is found with the grant and is a plain 404 without it.
  auto hidden_old = s.get("/api/v1/threads/" + hidden_small, core);
  REQUIRE(hidden_old.status == 200);
  CHECK(at(parse_object(hidden_old.body), "thread").as_string() == thread_label_of(s, "h2@x", core));
  auto anonymous = s.get("/api/v1/threads/" + hidden_small);
  CHECK(anonymous.status == 404);
  CHECK(anonymous.body == missing.body);
}

TEST_CASE("http: lists with counts, openapi, health, readiness, metrics", "[http][api]") {
  ServedArchive s;
  auto l = s.get("/api/v1/lists");
  REQUIRE(l.status == 200);
  CHECK(l.body == R"({"lists":[{"name":"pub","title":"Public list","messages":3}]})");
  auto o = s.get("/api/v1/openapi.json");
  REQUIRE(o.status == 200);
  auto doc = parse_object(o.body);
  CHECK(at(doc, "openapi").as_string() == "3.0.3");
  CHECK(at(doc, "paths").as_object().contains("/api/v1/search"));
  CHECK(s.get("/healthz").status == 200);
  CHECK(s.get("/readyz").status == 200);
  s.get("/api/v1/search?q=alpha");
  s.get("/api/v1/search?q=alpha");
  auto m = s.get("/metrics");
  REQUIRE(m.status == 200);
  CHECK(m.header("content-type").rfind("text/plain", 0) == 0);
  CHECK(m.body.find("folio_http_requests_total{endpoint=\"search\",status=\"200\"} 2") != std::string::npos);
  CHECK(m.body.find("folio_http_request_duration_seconds_bucket{endpoint=\"search\",le=\"+Inf\"} 2") !=
        std::string::npos);
  CHECK(m.body.find("folio_cache_hits_total 1") != std::string::npos);
  CHECK(m.body.find("folio_index_revision ") != std::string::npos);
  CHECK(m.body.find("folio_http_in_flight_requests") != std::string::npos);
}

TEST_CASE("http: search.mbox is mboxrd of the raw messages", "[http][api]") {
  ServedArchive s;
  auto r = s.get("/api/v1/search.mbox?q=alpha");
  REQUIRE(r.status == 200);
  CHECK(r.header("content-type") == "application/mbox");
  std::size_t separators = 0;
  for (std::size_t p = 0; (p = r.body.find("From mboxrd@z ", p)) != std::string::npos; ++p) ++separators;
  CHECK(separators == 3);
  CHECK(r.body.find("Message-ID: <pub1@x>") != std::string::npos);
  auto one = s.get("/api/v1/search.mbox?q=alpha&limit=1");
  CHECK(one.body.find("From mboxrd@z ") == one.body.rfind("From mboxrd@z "));
}

TEST_CASE("http: search.atom is an Atom feed of the newest matches", "[http][api]") {
  ServedArchive s;
  auto r = s.get("/api/v1/search.atom?q=alpha");
  REQUIRE(r.status == 200);
  CHECK(r.header("content-type") == "application/atom+xml");
  CHECK(r.body.find("<feed xmlns=\"http://www.w3.org/2005/Atom\">") != std::string::npos);
  CHECK(r.body.find("<id>mid:cross1@x</id>") != std::string::npos);
  CHECK(r.body.find("<id>mid:cross1@x</id>") < r.body.find("<id>mid:pub1@x</id>"));  // newest first
}

TEST_CASE("http: oversized headers are 431, a body over the limit 413", "[http][api]") {
  ServedArchive s;
  auto big = http_get(s.port(), "/healthz", {{"X-Filler", std::string(10000, 'x')}});
  CHECK(big.status == 431);
  std::string post = "GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" + std::string(100000, 'b');
  CHECK(http_exchange(s.port(), post).status == 413);
  auto long_target = s.get("/api/v1/search?q=" + std::string(9000, 'a'));
  CHECK(long_target.status == 431);
}

TEST_CASE("http: keep-alive serves several requests on one connection", "[http][api]") {
  ServedArchive s;
  std::string two = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  auto r = http_exchange(s.port(), two);
  CHECK(r.raw.find("{\"status\":\"ok\"}") != std::string::npos);
  CHECK(r.raw.find("{\"status\":\"ready\"}") != std::string::npos);
}

}  // namespace
}  // namespace folio::testing
