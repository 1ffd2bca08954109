// config_test.cc: the TOML config is read strictly and written back faithfully.
#include "index/config.h"

#include <catch2/catch.hpp>
#include <string>

using folio::index::Config;
using folio::index::parse_config;
using folio::index::render_config;

namespace {

// The message parse_config refuses `text` (read as "t.toml") with; fails the
// test case when the text is accepted.
std::string refusal(const std::string& text) {
  auto c = parse_config(text, "t.toml");
  REQUIRE_FALSE(c.ok());
  return c.error().message;
}

bool has(const std::string& message, const char* part) { return message.find(part) != std::string::npos; }

}  // namespace

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
  std::string m = refusal("[[list]]\nname = \"a\"\n\naccess = [\"public\"]\ncolour = \"red\"\n");
  CHECK(has(m, "t.toml:5"));
  CHECK(has(m, "colour"));
}

TEST_CASE("config: bad values are errors naming their line", "[index][config]") {
  CHECK(has(refusal("[[list]]\nname = \"R Devel\"\n"), "t.toml:2"));
  CHECK(has(refusal("[[list]]\nname = \"a\"\naccess = [\"pro\"]\n"), "kind:value"));
  CHECK(has(refusal("[limits]\nmax_parts = -3\n"), "t.toml:2"));
  CHECK(has(refusal("[limits\n"), "t.toml:1"));
}

TEST_CASE("config: a list declared twice is refused", "[index][config]") {
  CHECK(has(refusal("[[list]]\nname = \"a\"\n[[list]]\nname = \"a\"\n"), "twice"));
}

TEST_CASE("config: rendering and reading back gives the same config", "[index][config]") {
  Config c;
  c.lists.push_back({"r-devel", "R \"dev\" list", "r-devel.r-project.org", {"public", "tier:pro"}});
  c.lists.push_back({"hidden", "", "", {}});
  c.limits.max_parts = 77;
  c.search.max_page_size = 50;
  c.index.fsync_index = false;
  auto back = parse_config(render_config(c), "rendered");
  REQUIRE(back.ok());
  REQUIRE_FALSE(back->index.fsync_index);
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
  CHECK(has(refusal("[index]\nindex_quoted = \"some\"\n"), "t.toml:2"));
}

TEST_CASE("config: index.fsync_index is a boolean, true by default", "[index][config]") {
  CHECK(Config{}.index.fsync_index);
  auto off = parse_config("[index]\nfsync_index = false\n", "t.toml");
  REQUIRE(off.ok());
  CHECK_FALSE(off->index.fsync_index);
  for (const char* bad : {"0", "\"no\"", "1"}) {
    std::string m = refusal(std::string("[index]\nfsync_index = ") + bad + "\n");
    CHECK(has(m, "t.toml:2"));
    CHECK(has(m, "fsync_index"));
  }
}

TEST_CASE("config: index.reader_wait_ms is 0..60000, 1000 by default", "[index][config]") {
  CHECK(Config{}.index.reader_wait_ms == 1000);
  auto top = parse_config("[index]\nreader_wait_ms = 60000\n", "t.toml");
  REQUIRE(top.ok());
  CHECK(top->index.reader_wait_ms == 60000);
  auto never = parse_config("[index]\nreader_wait_ms = 0\n", "t.toml");
  REQUIRE(never.ok());
  CHECK(never->index.reader_wait_ms == 0);
  for (const char* bad : {"60001", "-1", "\"1s\""}) {
    std::string m = refusal(std::string("[index]\nreader_wait_ms = ") + bad + "\n");
    CHECK(has(m, "t.toml:2"));
    CHECK(has(m, "reader_wait_ms"));
  }
}

TEST_CASE("config: [serve] keys are read, and missing ones keep their defaults", "[index][config]") {
  auto c = parse_config(
      "[serve]\nbind = \"[::1]:9000\"\nthreads = 3\ncache_bytes = 1048576\njwt_secret_file = \"jwt.secret\"\n"
      "max_export_messages = 500\ncache_fresh_ms = 0\nexport_time_limit_s = 30\n",
      "t.toml");
  REQUIRE(c.ok());
  CHECK(c->serve.bind == "[::1]:9000");
  CHECK(c->serve.threads == 3);
  CHECK(c->serve.cache_bytes == 1048576);
  CHECK(c->serve.jwt_secret_file == "jwt.secret");
  CHECK(c->serve.max_export_messages == 500);
  CHECK(c->serve.cache_fresh_ms == 0);
  CHECK(c->serve.export_time_limit_s == 30);
  folio::index::ServeSettings defaults;
  CHECK(c->serve.io_threads == defaults.io_threads);
  CHECK(c->serve.max_connections == defaults.max_connections);
  CHECK(c->serve.read_timeout_s == defaults.read_timeout_s);
}

TEST_CASE("config: [serve] bounds are accepted at the limit and refused past it, naming the line",
          "[index][config]") {
  struct Case {
    const char* line;
    bool ok;
  };
  const Case cases[] = {
      {"threads = 256", true},           {"threads = 257", false},
      {"threads = -1", false},           {"io_threads = 1", true},
      {"io_threads = 0", false},         {"io_threads = 64", true},
      {"io_threads = 65", false},        {"max_connections = 0", false},
      {"cache_bytes = 0", true},         {"cache_fresh_ms = 1000", true},
      {"cache_fresh_ms = 1001", false},  {"max_export_messages = 1", true},
      {"max_export_messages = 0", false}, {"max_export_messages = 1000000", true},
      {"max_export_messages = 1000001", false}, {"max_header_bytes = 1024", true},
      {"max_header_bytes = 1023", false}, {"read_timeout_s = 0", false},
      {"drain_timeout_s = 0", true},     {"max_queue_wait_ms = \"5s\"", false},
      {"bind = \"127.0.0.1:65535\"", true}, {"bind = \"127.0.0.1:65536\"", false},
      {"bind = \"localhost\"", false},   {"bind = \":80\"", false},
      {"bind = 8080", false},            {"jwt_secret_file = 1", false},
      {"colour = \"blue\"", false},
  };
  for (const auto& c : cases) {
    auto parsed = parse_config(std::string("# serve\n[serve]\n") + c.line + "\n", "t.toml");
    INFO(c.line);
    CHECK(parsed.ok() == c.ok);
    if (!parsed.ok()) CHECK(parsed.error().message.find("t.toml:3:") == 0);
  }
}

TEST_CASE("config: bind splits into host and port, IPv6 without its brackets", "[index][config]") {
  std::string host;
  std::uint16_t port = 0;
  REQUIRE(folio::index::split_bind("[::1]:8080", host, port).ok());
  CHECK(host == "::1");
  CHECK(port == 8080);
  REQUIRE(folio::index::split_bind("0.0.0.0:0", host, port).ok());
  CHECK(host == "0.0.0.0");
  CHECK(port == 0);
  CHECK_FALSE(folio::index::split_bind("127.0.0.1:", host, port).ok());
  CHECK_FALSE(folio::index::split_bind("127.0.0.1:8o", host, port).ok());
}

TEST_CASE("config: [serve] renders and reads back", "[index][config]") {
  Config c;
  c.serve.bind = "127.0.0.1:9999";
  c.serve.jwt_secret_file = "/etc/folio/jwt.secret";
  c.serve.max_export_messages = 42;
  c.serve.cache_fresh_ms = 0;
  auto back = parse_config(render_config(c), "rendered");
  REQUIRE(back.ok());
  CHECK(back->serve == c.serve);
}

TEST_CASE("config: search.max_facet_matches is a positive count, 200000 by default", "[index][config]") {
  CHECK(Config{}.search.max_facet_matches == 200000);
  auto set = parse_config("[search]\nmax_facet_matches = 5000\n", "t.toml");
  REQUIRE(set.ok());
  CHECK(set->search.max_facet_matches == 5000);
  CHECK(has(refusal("[search]\nmax_facet_matches = 0\n"), "t.toml:2"));
}
