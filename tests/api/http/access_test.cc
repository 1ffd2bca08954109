// access_test.cc: the adversarial access suite: every endpoint x a hidden list x every kind of reader and forged token.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "tests/api/http/served_archive.h"

namespace folio::testing {
namespace {

// What must never reach a reader without group:core (or tier:pro): ids,
// words, list names and titles of the hidden lists, and their years.
const std::vector<std::string> kHidden = {"core1@x", "core2@x", "pro1@x", "closed1@x", "zanzibar",
                                          "tierword", "closedword", "\"core\"", "Core", "\"pro\"",
                                          "\"closed\"", "2014", "2013", "2012"};

void check_no_leak(const HttpReply& r, const std::string& what) {
  INFO(what << "\n" << r.raw.substr(0, 4000));
  for (const auto& secret : kHidden) {
    INFO("hidden: " << secret);
    CHECK(r.raw.find(secret) == std::string::npos);
  }
}

// Every endpoint and the questions an attacker would ask of it.
const std::vector<std::string> kProbes = {
    "/api/v1/search?q=alpha",
    "/api/v1/search?q=zanzibarword",
    "/api/v1/search?q=zanzibarwor",  // a misspelling: no suggestion may reveal the word
    "/api/v1/search?q=zanzibar*",
    "/api/v1/search?q=list:core",
    "/api/v1/search?q=-list:core+alpha",
    "/api/v1/search?q=&list=core",
    "/api/v1/search?q=&list=pro",
    "/api/v1/search?q=id:core1@x",
    "/api/v1/search?q=subject:core",
    "/api/v1/search?q=&sort=date&limit=100",
    "/api/v1/search?q=alpha&collapse=thread",
    "/api/v1/messages/core1@x",
    "/api/v1/messages/pro1@x",
    "/api/v1/messages/closed1@x",
    "/api/v1/messages/core1@x/raw",
    "/api/v1/messages/cross1@x",
    "/api/v1/threads/core1@x",
    "/api/v1/threads/pub1@x",
    "/api/v1/threads/cross1@x",
    "/api/v1/lists",
    "/api/v1/search.mbox?q=",
    "/api/v1/search.mbox?q=zanzibarword",
    "/api/v1/search.atom?q=",
    "/api/v1/search.atom?q=alpha",
    "/metrics",
};

TEST_CASE("access: anonymous and wrongly granted readers see nothing hidden, anywhere", "[http][access]") {
  ServedArchive s;
  // A core reader first, so that every answer it may see is in the cache.
  std::string core = make_token({"group:core"});
  for (const auto& p : kProbes) s.get(p, core);
  for (const std::string& token : {std::string(), make_token({"group:other", "tier:free"})}) {
    for (const auto& p : kProbes) {
      auto r = s.get(p, token);
      INFO(p << (token.empty() ? " anonymous" : " wrong grant"));
      CHECK((r.status == 200 || r.status == 404));
      check_no_leak(r, p);
    }
  }
}

TEST_CASE("access: expired, not-yet-valid, forged, alg-none and malformed tokens get 401 everywhere", "[http][access]") {
  ServedArchive s;
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"expired", make_token({"group:core"}, -10)},
      {"not yet valid", make_token({"group:core"}, 3600, 600)},
      {"forged", make_token({"group:core"}, 3600, std::nullopt, "not-the-portal-secret")},
      {"alg none", alg_none_token({"group:core"})},
      {"malformed", "abc.def"},
      {"garbage", "!!!"},
      {"tampered", make_token({"public"}) + "x"},
  };
  for (const auto& [name, token] : bad) {
    for (const auto& p : kProbes) {
      if (p == "/metrics") continue;  // not an index endpoint: no credentials looked at
      auto r = s.get(p, token);
      INFO(p << " " << name);
      CHECK(r.status == 401);
      CHECK(r.header("www-authenticate") == "Bearer");
      check_no_leak(r, p);
    }
  }
  auto basic = http_get(s.port(), "/api/v1/lists", {{"Authorization", "Basic dXNlcjpwYXNz"}});
  CHECK(basic.status == 401);
}

TEST_CASE("access: a token without an exp claim is refused", "[http][access]") {
  ServedArchive s;
  auto r = s.get("/api/v1/lists", make_token({"group:core"}, 0));
  CHECK(r.status == 401);
  check_no_leak(r, "no exp");
}

TEST_CASE("access: hidden and missing answer byte-identical 404s", "[http][access]") {
  ServedArchive s;
  for (const char* kind : {"", "/raw"}) {
    auto hidden = s.get(std::string("/api/v1/messages/core1@x") + kind);
    auto closed = s.get(std::string("/api/v1/messages/closed1@x") + kind);
    auto missing = s.get(std::string("/api/v1/messages/nosuch@x") + kind);
    CHECK(hidden.status == 404);
    CHECK(hidden.raw == missing.raw);
    CHECK(closed.raw == missing.raw);
  }
  CHECK(s.get("/api/v1/threads/core1@x").raw == s.get("/api/v1/threads/nosuch@x").raw);
  CHECK(s.get("/api/v1/threads/core1@x").raw == s.get("/api/v1/messages/nosuch@x").raw);
  // A hidden list and a list that does not exist answer the same page.
  CHECK(without_timing(s.get("/api/v1/search?list=core").body) ==
        without_timing(s.get("/api/v1/search?list=nosuchlist").body));
}

TEST_CASE("access: a granted reader sees the hidden list (the suite is not vacuous)", "[http][access]") {
  ServedArchive s;
  std::string core = make_token({"group:core"});
  auto page = s.get("/api/v1/search?q=alpha", core);
  REQUIRE(page.status == 200);
  CHECK(page.body.find("core1@x") != std::string::npos);
  CHECK(page.body.find("{\"list\":\"core\",\"count\":3}") != std::string::npos);
  CHECK(page.body.find("{\"year\":2014,\"count\":1}") != std::string::npos);
  CHECK(s.get("/api/v1/messages/core1@x", core).status == 200);
  CHECK(s.get("/api/v1/messages/core1@x/raw", core).body.find("zanzibarword") != std::string::npos);
  CHECK(s.get("/api/v1/threads/pub1@x", core).body.find("core2@x") != std::string::npos);
  CHECK(s.get("/api/v1/lists", core).body.find("Core team") != std::string::npos);
  CHECK(s.get("/api/v1/search.mbox?q=zanzibarword", core).body.find("core1@x") != std::string::npos);
  CHECK(s.get("/api/v1/search.atom?q=zanzibarword", core).body.find("core1@x") != std::string::npos);
  // tier:pro sees pro but not core.
  auto pro = s.get("/api/v1/search?q=alpha", make_token({"tier:pro"}));
  CHECK(pro.body.find("pro1@x") != std::string::npos);
  CHECK(pro.body.find("core1@x") == std::string::npos);
}

TEST_CASE("access: a cross-posted message is visible through its public list, naming only that list", "[http][access]") {
  ServedArchive s;
  auto m = s.get("/api/v1/messages/cross1@x");
  REQUIRE(m.status == 200);
  CHECK(m.body.find("\"lists\":[\"pub\"]") != std::string::npos);
  auto core = s.get("/api/v1/messages/cross1@x", make_token({"group:core"}));
  CHECK(core.body.find("\"lists\":[\"core\",\"pub\"]") != std::string::npos);
}

TEST_CASE("access: the cache never serves one scope's answer to another", "[http][access]") {
  ServedArchive s;
  std::string core = make_token({"group:core"});
  auto anon1 = s.get("/api/v1/search?q=alpha");
  auto core1 = s.get("/api/v1/search?q=alpha", core);
  CHECK(core1.body.find("\"cached\":false") != std::string::npos);
  CHECK(core1.body.find("core1@x") != std::string::npos);
  auto anon2 = s.get("/api/v1/search?q=alpha");
  CHECK(anon2.body.find("\"cached\":true") != std::string::npos);
  CHECK(without_timing(anon1.body) == without_timing(anon2.body));
  check_no_leak(anon2, "cached anonymous answer");
  // Same grants in another token and order: same scope, so the same entry.
  auto core2 = s.get("/api/v1/search?q=alpha", make_token({"public", "group:core"}));
  CHECK(core2.body.find("\"cached\":true") != std::string::npos);
}

}  // namespace
}  // namespace folio::testing
