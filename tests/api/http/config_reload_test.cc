// config_reload_test.cc: a change of lists or grants takes effect on the next request, by SIGHUP or by the file changing.
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "index/config.h"
#include "tests/api/http/served_archive.h"
#include "tests/support/temp_dir.h"

namespace folio::testing {
namespace {

// Sets the access grants of `list` in the served home's config file.
void set_access(const ServedArchive& s, const std::string& list, std::vector<std::string> access) {
  auto config = index::load_config(s.archive().home().config_file());
  REQUIRE(config.ok());
  config->find_list(list)->access = std::move(access);
  REQUIRE(index::save_config(s.archive().home().config_file(), config.value()).ok());
}

bool finds_hidden_word(const ServedArchive& s) {
  return s.get("/api/v1/search?q=zanzibarword").body.find("core1@x") != std::string::npos;
}

TEST_CASE("config: an access change applies to the very next request after a reload (SIGHUP)", "[http][config]") {
  ServedArchive s;
  REQUIRE_FALSE(finds_hidden_word(s));
  set_access(s, "core", {"group:core", "public"});
  REQUIRE(s.server().reload_config().ok());
  CHECK(finds_hidden_word(s));
  CHECK(s.get("/api/v1/lists").body.find("Core team") != std::string::npos);
  CHECK(s.get("/api/v1/messages/core1@x").status == 200);
  set_access(s, "core", {"group:core"});
  REQUIRE(s.server().reload_config().ok());
  // The answer cached while core was public is not served to the narrower scope.
  CHECK_FALSE(finds_hidden_word(s));
  CHECK(s.get("/api/v1/messages/core1@x").status == 404);
  CHECK(s.get("/api/v1/lists").body.find("Core team") == std::string::npos);
}

TEST_CASE("config: a changed folio.toml is picked up without a signal (checked once a second)", "[http][config]") {
  ServedArchive s;
  REQUIRE_FALSE(finds_hidden_word(s));
  set_access(s, "core", {"public"});
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  bool seen = false;
  while (!seen && std::chrono::steady_clock::now() < deadline) {
    seen = finds_hidden_word(s);
    if (!seen) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  CHECK(seen);
}

TEST_CASE("config: a broken config file is refused and the previous one kept", "[http][config]") {
  ServedArchive s;
  write_file(s.archive().home().config_file(), "[[list]\nname = \n");
  CHECK_FALSE(s.server().reload_config().ok());
  CHECK(s.get("/api/v1/search?q=alpha").status == 200);
  CHECK_FALSE(finds_hidden_word(s));
  CHECK(s.get("/metrics").body.find("folio_config_reload_errors_total 1") != std::string::npos);
}

}  // namespace
}  // namespace folio::testing
