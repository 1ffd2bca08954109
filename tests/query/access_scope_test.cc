// access_scope_test.cc: which lists a reader's grants open; canonical keys.
#include "query/access_scope.h"

#include <catch2/catch.hpp>

namespace folio::query {
namespace {

index::Config config() {
  index::Config c;
  c.lists = {
      {"pub", "", "", {"public"}},
      {"pro", "", "", {"tier:pro"}},
      {"core", "", "", {"group:core", "tier:staff"}},
      {"closed", "", "", {}},
      {"both", "", "", {"public", "tier:pro"}},
  };
  return c;
}

using Lists = std::vector<std::string>;

TEST_CASE("query access: anonymous readers see the public lists", "[query][access]") {
  auto scope = AccessScope::for_grants(config(), {});
  CHECK(scope.lists() == Lists{"both", "pub"});
  CHECK(scope.visible("pub"));
  CHECK_FALSE(scope.visible("pro"));
  CHECK_FALSE(scope.empty());
}

TEST_CASE("query access: a list opens when it shares a grant with the reader", "[query][access]") {
  CHECK(AccessScope::for_grants(config(), {"tier:pro"}).lists() == Lists{"both", "pro", "pub"});
  CHECK(AccessScope::for_grants(config(), {"tier:staff"}).lists() == Lists{"both", "core", "pub"});
  CHECK(AccessScope::for_grants(config(), {"group:core", "tier:pro"}).lists() ==
        Lists{"both", "core", "pro", "pub"});
  CHECK(AccessScope::for_grants(config(), {"TIER:PRO"}).lists() == Lists{"both", "pub"});
}

TEST_CASE("query access: a list without grants is hidden from everyone", "[query][access]") {
  auto scope = AccessScope::for_grants(config(),
                                       {"public", "tier:pro", "group:core", "tier:staff", "", "*"});
  CHECK_FALSE(scope.visible("closed"));
  CHECK(scope.lists() == Lists{"both", "core", "pro", "pub"});
}

TEST_CASE("query access: the default scope and a config without lists see nothing",
          "[query][access]") {
  CHECK(AccessScope().empty());
  CHECK(AccessScope::for_grants(index::Config{}, {"tier:pro"}).empty());
  CHECK_FALSE(AccessScope().visible(""));
}

TEST_CASE("query access: keys are canonical and tell scopes apart", "[query][access]") {
  auto a = AccessScope::for_grants(config(), {"tier:pro", "tier:pro"});
  auto b = AccessScope::for_lists({"pub", "pro", "both", "pro"});
  CHECK(a.key() == "both,pro,pub");
  CHECK(a.key() == b.key());
  CHECK(a == b);
  CHECK(AccessScope().key().empty());
  CHECK(AccessScope::for_lists({"a,b"}).key() != AccessScope::for_lists({"a", "b"}).key());
  CHECK(AccessScope::for_lists({"a\\", "b"}).key() != AccessScope::for_lists({"a\\,b"}).key());
}

}  // namespace
}  // namespace folio::query
