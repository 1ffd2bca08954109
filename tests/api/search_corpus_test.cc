// search_corpus_test.cc: facets and suggestions over a real list archive (r-announce), split
// into public, hidden and cross-posted parts, checked against independent exact counts.
#include <catch2/catch.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ingest/source.h"
#include "query/access_scope.h"
#include "query/searcher.h"
#include "tests/support/archive_fixture.h"
#include "tests/support/corpus.h"

namespace {

using folio::query::AccessScope;
using folio::query::Facets;
using folio::query::SearchRequest;

// r-announce's messages, in mbox order, as read by folio's own reader.
std::vector<std::string> announce_messages() {
  std::vector<std::string> raws;
  auto path = *folio::testing::shared_corpus() / "lists" / "r-announce.mbox.xz";
  auto st = folio::ingest::read_messages(path, folio::ingest::Format::kPipermail,
                                         [&](folio::ingest::RawMessage&& m) {
                                           raws.push_back(std::move(m.bytes));
                                           return true;
                                         });
  REQUIRE(st.ok());
  return raws;
}

// pub (public), core (group:core), closed (nobody). Message i goes to: core only when i % 4 == 0;
// pub and core (a cross-post) when i % 4 == 1; pub and closed when i % 4 == 2; pub when i % 4 == 3;
// closed only when i % 9 == 0 (overriding the rest).
struct SplitArchive {
  folio::testing::ArchiveFixture archive{{{"pub", "Public", "", {"public"}},
                                          {"core", "Core", "", {"group:core"}},
                                          {"closed", "Closed", "", {}}}};
  std::unique_ptr<folio::query::Searcher> searcher;

  SplitArchive() {
    std::map<std::string, std::vector<std::string>> by_list;
    auto raws = announce_messages();
    for (std::size_t i = 0; i < raws.size(); ++i) {
      if (i % 9 == 0) {
        by_list["closed"].push_back(raws[i]);
        continue;
      }
      if (i % 4 != 0) by_list["pub"].push_back(raws[i]);
      if (i % 4 <= 1) by_list["core"].push_back(raws[i]);
      if (i % 4 == 2) by_list["closed"].push_back(raws[i]);
    }
    for (const auto& [list, messages] : by_list) archive.import(messages, list, true);
    auto s = folio::query::Searcher::open(archive.home(), archive.config().search);
    REQUIRE(s.ok());
    searcher = std::move(s.value());
  }

  std::uint64_t count(const std::string& q, const AccessScope& scope) {
    SearchRequest r;
    r.query = q;
    auto n = searcher->count(r, scope);
    REQUIRE(n.ok());
    return *n;
  }
};

std::string and_filter(const std::string& q, const std::string& filter) {
  return q.empty() ? filter : "(" + q + ") " + filter;
}

TEST_CASE("search corpus: facets equal exact counts per list and per year, hidden lists left out",
          "[api][corpus][facets]") {
  SKIP_WITHOUT_CORPUS();
  SplitArchive a;
  const auto& config = a.archive.config();
  std::vector<AccessScope> scopes = {AccessScope::for_grants(config, {}),
                                     AccessScope::for_grants(config, {"group:core"})};
  for (const auto& scope : scopes) {
    for (std::string q : {"", "package", "release", "\"new version\"", "packag*", "cran date:2005..2012"}) {
      INFO("scope " << scope.key() << ", query " << q);
      SearchRequest r;
      r.query = q;
      r.facets = true;
      r.collapse_thread = q == "release";
      auto page = a.searcher->search(r, scope);
      REQUIRE(page.ok());
      REQUIRE(page->facets);
      const Facets& f = *page->facets;
      CHECK(f.exact);
      std::uint64_t total = a.count(q, scope);
      CHECK(total > 0);
      std::uint64_t in_years = 0;
      for (const auto& [year, n] : f.years) {
        CHECK(n == a.count(and_filter(q, "date:" + std::to_string(year)), scope));
        in_years += n;
      }
      CHECK(in_years == total);
      std::map<std::string, std::uint64_t> lists(f.lists.begin(), f.lists.end());
      CHECK(lists.count("closed") == 0);
      for (const auto& list : scope.lists()) {
        std::uint64_t n = a.count(and_filter(q, "list:" + list), scope);
        CHECK(lists[list] == n);
      }
      CHECK(lists.size() <= scope.lists().size());
    }
  }
  // Cross-posts exist, and count for each visible list they are on.
  auto core = AccessScope::for_grants(config, {"group:core"});
  CHECK(a.count("list:pub list:core", core) > 0);
}

TEST_CASE("search corpus: a misspelt word is corrected, to words the reader may see", "[api][corpus][suggest]") {
  SKIP_WITHOUT_CORPUS();
  SplitArchive a;
  auto anonymous = AccessScope::for_grants(a.archive.config(), {});
  SearchRequest r;
  r.query = "pakcage relase";
  r.suggest = true;
  auto page = a.searcher->search(r, anonymous);
  REQUIRE(page.ok());
  REQUIRE(page->suggestion);
  CHECK(*page->suggestion == "package release");
  // Every word of the suggestion has visible matches.
  CHECK(a.count("package", anonymous) > 0);
  CHECK(a.count("release", anonymous) > 0);
}

}  // namespace
