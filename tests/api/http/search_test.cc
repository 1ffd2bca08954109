// search_test.cc: GET /api/v1/search renders the Searcher's facets and spelling suggestions, per reader.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "tests/api/http/served_archive.h"

namespace folio::testing {
namespace {

namespace json = boost::json;

json::object page_of(const HttpReply& r) {
  REQUIRE(r.status == 200);
  boost::system::error_code ec;
  json::value v = json::parse(r.body, ec);
  REQUIRE_FALSE(ec);
  return v.as_object();
}

std::string suggestion_of(const HttpReply& r) {
  auto page = page_of(r);
  REQUIRE(page.contains("suggestion"));
  if (page.at("suggestion").is_null()) return "(none)";
  return std::string(page.at("suggestion").as_string());
}

TEST_CASE("http search: facets count what each reader may see, and say they are exact", "[http][search]") {
  ServedArchive s;
  auto anonymous = page_of(s.get("/api/v1/search?q=alpha"));
  CHECK(json::serialize(anonymous.at("facets")) ==
        R"({"lists":[{"list":"pub","count":3}],)"
        R"("years":[{"year":2017,"count":1},{"year":2016,"count":1},{"year":2015,"count":1}],"exact":true})");
  // core sees core1, core2 and the cross-post cross1 on core; cross1 counts for pub too.
  auto core = page_of(s.get("/api/v1/search?q=alpha", make_token({"group:core"})));
  CHECK(json::serialize(core.at("facets").at("lists")) ==
        R"([{"list":"core","count":3},{"list":"pub","count":3}])");
  CHECK(core.at("total").as_int64() == 5);
  auto listed = page_of(s.get("/api/v1/search?q=alpha&list=core", make_token({"group:core"})));
  CHECK(json::serialize(listed.at("facets").at("lists")) ==
        R"([{"list":"core","count":3},{"list":"pub","count":1}])");
  auto collapsed = page_of(s.get("/api/v1/search?q=alpha&collapse=thread&limit=1"));
  CHECK(json::serialize(collapsed.at("facets")) == json::serialize(anonymous.at("facets")));
  CHECK(page_of(s.get("/api/v1/search?q=alpha&facets=false")).at("facets").is_null());
}

TEST_CASE("http search: a misspelt query gets a suggestion that never names a hidden word", "[http][search]") {
  ServedArchive s;
  CHECK(suggestion_of(s.get("/api/v1/search?q=alpah")) == "alpha");
  CHECK(suggestion_of(s.get("/api/v1/search?q=" + url_encode("relaese notes"))) == "release notes");
  CHECK(suggestion_of(s.get("/api/v1/search?q=alpha")) == "(none)");
  CHECK(suggestion_of(s.get("/api/v1/search?q=zanzibarwor")) == "(none)");
  CHECK(suggestion_of(s.get("/api/v1/search?q=zanzibarwor", make_token({"tier:pro"}))) == "(none)");
  CHECK(suggestion_of(s.get("/api/v1/search?q=zanzibarwor", make_token({"group:core"}))) == "zanzibarword");
  CHECK(suggestion_of(s.get("/api/v1/search?q=closedwor", make_token({"group:core", "tier:pro"}))) == "(none)");
  // The cache never hands one reader's suggestion to another.
  CHECK(suggestion_of(s.get("/api/v1/search?q=zanzibarwor")) == "(none)");
}

TEST_CASE("http search: the OpenAPI document describes facet exactness and suggestions", "[http][search]") {
  ServedArchive s;
  auto doc = s.get("/api/v1/openapi.json");
  REQUIRE(doc.status == 200);
  CHECK(doc.body.find("\"exact\":{\"type\":\"boolean\",\"description\":\"true: every match was counted") !=
        std::string::npos);
  CHECK(doc.body.find("\"suggestion\":{\"nullable\":true,\"type\":\"string\",\"description\"") != std::string::npos);
}

}  // namespace
}  // namespace folio::testing
