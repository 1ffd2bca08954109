// config_test.cc: the TOML config is read strictly and written back faithfully.
#include "index/config.h"

#include <catch2/catch.hpp>

using folio::index::Config;
using folio::index::parse_config;
using folio::index::render_config;

TEST_CASE("config: lists with titles, ids and grants are read", "[index][config]") {
  auto c = parse_config(R"(
[[list]]
name = "r-devel"
title = "R development"
list_id = "r-devel.r-project.org"
access = ["public"]

[[list]]
name = "core"
access = ["group:core", "tier:pro"]

[limits]
max_parts = 50
)", "t.toml");
  REQUIRE(c.ok());
  REQUIRE(c->lists.size() == 2);
  REQUIRE(c->lists[0].list_id == "r-devel.r-project.org");
  REQUIRE(c->lists[1].access == std::vector<std::string>{"group:core", "tier:pro"});
  REQUIRE(c->limits.max_parts == 50);
  REQUIRE(c->find_list_by_id("R-Devel.r-project.org") == &c->lists[0]);
}

TEST_CASE("config: an unknown key is an error naming its line", "[index][config]") {
  auto c = parse_config("[[list]]\nname = \"a\"\n\naccess = [\"public\"]\ncolour = \"red\"\n", "t.toml");
  REQUIRE_FALSE(c.ok());
  REQUIRE(c.error().message.find("t.toml:5") != std::string::npos);
  REQUIRE(c.error().message.find("colour") != std::string::npos);
}

TEST_CASE("config: bad values are errors naming their line", "[index][config]") {
  auto bad_name = parse_config("[[list]]\nname = \"R Devel\"\n", "t.toml");
  REQUIRE_FALSE(bad_name.ok());
  REQUIRE(bad_name.error().message.find("t.toml:2") != std::string::npos);
  auto bad_grant = parse_config("[[list]]\nname = \"a\"\naccess = [\"pro\"]\n", "t.toml");
  REQUIRE_FALSE(bad_grant.ok());
  REQUIRE(bad_grant.error().message.find("kind:value") != std::string::npos);
  auto bad_limit = parse_config("[limits]\nmax_parts = -3\n", "t.toml");
  REQUIRE_FALSE(bad_limit.ok());
  REQUIRE(bad_limit.error().message.find("t.toml:2") != std::string::npos);
  auto syntax = parse_config("[limits\n", "t.toml");
  REQUIRE_FALSE(syntax.ok());
  REQUIRE(syntax.error().message.find("t.toml:1") != std::string::npos);
}

TEST_CASE("config: a list declared twice is refused", "[index][config]") {
  auto c = parse_config("[[list]]\nname = \"a\"\n[[list]]\nname = \"a\"\n", "t.toml");
  REQUIRE_FALSE(c.ok());
  REQUIRE(c.error().message.find("twice") != std::string::npos);
}

TEST_CASE("config: rendering and reading back gives the same config", "[index][config]") {
  Config c;
  c.lists.push_back({"r-devel", "R \"dev\" list", "r-devel.r-project.org", {"public", "tier:pro"}});
  c.lists.push_back({"hidden", "", "", {}});
  c.limits.max_parts = 77;
  c.search.max_page_size = 50;
  auto back = parse_config(render_config(c), "rendered");
  REQUIRE(back.ok());
  REQUIRE(back->lists.size() == 2);
  REQUIRE(back->lists[0].title == "R \"dev\" list");
  REQUIRE(back->lists[0].access == c.lists[0].access);
  REQUIRE(back->lists[1].access.empty());
  REQUIRE(back->limits.max_parts == 77);
  REQUIRE(back->search.max_page_size == 50);
}

TEST_CASE("config: index_quoted takes words, positions or none", "[index][config]") {
  auto none = parse_config("[index]\nindex_quoted = \"none\"\n", "t.toml");
  REQUIRE(none.ok());
  REQUIRE(folio::index::quoted_text_mode(none->index) == folio::index::QuotedText::kSkip);
  REQUIRE(folio::index::quoted_text_mode(Config{}.index) == folio::index::QuotedText::kWords);
  auto bad = parse_config("[index]\nindex_quoted = \"some\"\n", "t.toml");
  REQUIRE_FALSE(bad.ok());
  REQUIRE(bad.error().message.find("t.toml:2") != std::string::npos);
}
