// cli_test.cc: the folio command line, run as a real binary over real archives.
#include <catch2/catch.hpp>

#include "tests/support/corpus.h"
#include "tests/support/run.h"
#include "tests/support/temp_dir.h"

using folio::testing::project_data;
using folio::testing::run_folio;
using folio::testing::TempDir;

namespace {

// A home with the project's sample lists imported.
struct SampleArchive {
  TempDir dir;
  std::string home = dir.sub("home");

  SampleArchive() {
    REQUIRE(run_folio({"init"}, home).exit_code == 0);
    std::filesystem::copy_file(project_data() / "folio.example.toml", home + "/folio.toml",
                               std::filesystem::copy_options::overwrite_existing);
    for (const char* list : {"folio-users", "folio-dev", "folio-core"}) {
      auto r = run_folio({"import", "--list", list, (project_data() / "sample" / (std::string(list) + ".mbox")).string()}, home);
      REQUIRE(r.exit_code == 0);
    }
  }

  folio::testing::RunResult folio(const std::vector<std::string>& args, const std::string& in = "") const {
    return run_folio(args, home, in);
  }
};

const SampleArchive& sample() {
  static SampleArchive archive;
  return archive;
}

}  // namespace

TEST_CASE("cli: init creates a home and running it again keeps it", "[api][cli]") {
  TempDir dir;
  auto home = dir.sub("h");
  auto r = run_folio({"init", "--home", home});
  REQUIRE(r.exit_code == 0);
  REQUIRE(std::filesystem::exists(home + "/folio.toml"));
  REQUIRE(std::filesystem::exists(home + "/index/CURRENT"));
  REQUIRE(run_folio({"init", "--home", home}).exit_code == 0);
}

TEST_CASE("cli: commands on a missing home say to run init", "[api][cli]") {
  TempDir dir;
  auto r = run_folio({"search", "x"}, dir.sub("none"));
  REQUIRE(r.exit_code == 1);
  REQUIRE(r.err.find("folio init") != std::string::npos);
}

TEST_CASE("cli: lists can be added, re-granted and listed as JSON", "[api][cli]") {
  TempDir dir;
  auto home = dir.sub("h");
  REQUIRE(run_folio({"init"}, home).exit_code == 0);
  REQUIRE(run_folio({"lists", "add", "r-devel", "--list-id", "r-devel.r-project.org"}, home).exit_code == 0);
  REQUIRE(run_folio({"lists", "add", "core", "--access", "group:core,tier:pro"}, home).exit_code == 0);
  REQUIRE(run_folio({"lists", "set-access", "core", "group:core"}, home).exit_code == 0);
  auto json = run_folio({"lists", "--json"}, home);
  REQUIRE(json.exit_code == 0);
  REQUIRE(json.out.find(R"({"name":"core","title":"core","list_id":"","access":["group:core"]})") != std::string::npos);
  auto dup = run_folio({"lists", "add", "core"}, home);
  REQUIRE(dup.exit_code == 2);
  auto bad = run_folio({"lists", "add", "Bad Name"}, home);
  REQUIRE(bad.exit_code == 2);
  REQUIRE(bad.err.find("a-z") != std::string::npos);
}

TEST_CASE("cli: importing the sample twice changes nothing", "[api][cli]") {
  const auto& s = sample();
  auto before = s.folio({"stats", "--json"});
  auto again = s.folio({"import", "--list", "folio-dev", (project_data() / "sample" / "folio-dev.mbox").string()});
  REQUIRE(again.exit_code == 0);
  REQUIRE(again.out.find("import: 0 new, 120 duplicates") != std::string::npos);
  auto counts = [](const std::string& json) { return json.substr(0, json.find("\"store_bytes\"")); };
  REQUIRE(counts(s.folio({"stats", "--json"}).out) == counts(before.out));
  REQUIRE(counts(before.out).find(R"("messages":320)") != std::string::npos);
}

TEST_CASE("cli: the sample's cross-posts are one message on two lists", "[api][cli]") {
  auto stats = sample().folio({"stats", "--json"});
  REQUIRE(stats.exit_code == 0);
  // 160 + 120 + 40 distinct messages; the 3 cross-posts count in both lists.
  REQUIRE(stats.out.find(R"("messages":320)") != std::string::npos);
  REQUIRE(stats.out.find(R"("folio-users":163)") != std::string::npos);
}

TEST_CASE("cli: search prints JSON hits with marked snippets", "[api][cli]") {
  auto r = sample().folio({"search", "--json", "--limit", "2", "--list", "folio-dev", "generation"});
  REQUIRE(r.exit_code == 0);
  REQUIRE(r.out.find(R"("limit":2)") != std::string::npos);
  REQUIRE(r.out.find("<mark>") != std::string::npos);
  REQUIRE(r.out.find(R"("lists":["folio-dev"])") != std::string::npos);
}

TEST_CASE("cli: a bad query is exit 2 with the reason", "[api][cli]") {
  auto r = sample().folio({"search", "NOT thread"});
  REQUIRE(r.exit_code == 2);
  REQUIRE_FALSE(r.err.empty());
  auto syntax = sample().folio({"search", "(unclosed AND"});
  REQUIRE(syntax.exit_code == 2);
}

TEST_CASE("cli: a hidden list is searched only with its grant", "[api][cli]") {
  const auto& s = sample();
  REQUIRE(s.folio({"search", "--count", "list:folio-core"}).out == "0\n");
  REQUIRE(s.folio({"search", "--count", "--as", "tier:pro", "list:folio-core"}).out == "0\n");
  REQUIRE(s.folio({"search", "--count", "--as", "group:core", "list:folio-core"}).out == "40\n");
}

TEST_CASE("cli: show --raw returns the stored bytes and hidden is not found", "[api][cli]") {
  const auto& s = sample();
  auto raw = s.folio({"show", "--raw", "folio-dev.0.1102@folio.example"});
  REQUIRE(raw.exit_code == 0);
  REQUIRE(raw.out.rfind("From: Dmitri Volkov <dmitri@folio.example>\n", 0) == 0);
  auto text = s.folio({"show", "<folio-dev.0.1102@folio.example>"});
  REQUIRE(text.exit_code == 0);
  REQUIRE(text.out.find("Subject: [folio-dev] reindex from the store") != std::string::npos);
  auto hidden = s.folio({"show", "--raw", "folio-core.0.7261@folio.example"});
  auto missing = s.folio({"show", "--raw", "no-such@folio.example"});
  REQUIRE(hidden.exit_code == missing.exit_code);
  REQUIRE(hidden.err == missing.err);
}

TEST_CASE("cli: thread prints the reply tree indented", "[api][cli]") {
  auto r = sample().folio({"thread", "folio-dev.0.1102@folio.example"});
  REQUIRE(r.exit_code == 0);
  REQUIRE(r.out.find("\n  ") != std::string::npos);  // at least one reply, indented
  REQUIRE(r.out.find("<folio-dev.1.6531@folio.example>") != std::string::npos);
}

TEST_CASE("cli: unknown commands and options are usage errors", "[api][cli]") {
  REQUIRE(run_folio({"frobnicate"}).exit_code == 2);
  REQUIRE(run_folio({"search", "--bogus", "x"}).exit_code == 2);
}
