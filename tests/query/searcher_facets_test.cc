// searcher_facets_test.cc: facet counts per list and per year, taken in the page's own match.
#include <catch2/catch.hpp>

#include <filesystem>

#include "query/searcher.h"
#include "tests/query/test_archive.h"

namespace folio::query {
namespace {

using folio::testing::mail;
using folio::testing::TestArchive;
using folio::testing::TestMessage;
using folio::testing::utc;

using ListCounts = std::vector<std::pair<std::string, std::uint64_t>>;
using YearCounts = std::vector<std::pair<int, std::uint64_t>>;

// Every message has the word "budget". Threads: a1+a2 (pub), b1 (pub+pro cross-post), c1 (pro),
// d1 (core), e1 (pub+core+closed), f1 (closed only).
struct Fixture {
  TestArchive archive;
  std::unique_ptr<Searcher> searcher;
  AccessScope anonymous, pro, everyone;

  Fixture() {
    add("a1@x", {"pub"}, 2014, 1);
    add("a2@x", {"pub"}, 2015, 1);
    add("b1@x", {"pro", "pub"}, 2015, 2);
    add("c1@x", {"pro"}, 2016, 3);
    add("d1@x", {"core"}, 2016, 4);
    add("e1@x", {"closed", "core", "pub"}, 2017, 5);
    add("f1@x", {"closed"}, 2018, 6);
    searcher = archive.searcher();
    anonymous = AccessScope::for_grants(archive.config(), {});
    pro = AccessScope::for_grants(archive.config(), {"tier:pro"});
    everyone = AccessScope::for_grants(archive.config(), {"tier:pro", "group:core"});
  }

  void add(const std::string& id, std::vector<std::string> lists, int year, std::uint64_t thread) {
    TestMessage m = mail(id, std::move(lists), "Budget " + id, "the budget for " + id);
    m.date = utc(year, 6, 1);
    m.thread = thread;
    archive.add(m);
  }

  Facets facets(SearchRequest r, const AccessScope& scope) {
    r.facets = true;
    auto page = searcher->search(r, scope);
    if (!page.ok()) FAIL(page.error().to_string());
    REQUIRE(page->facets);
    return *page->facets;
  }

  std::uint64_t count(const std::string& q, const AccessScope& scope) {
    SearchRequest r;
    r.query = q;
    auto n = searcher->count(r, scope);
    if (!n.ok()) FAIL(n.error().to_string());
    return *n;
  }
};

SearchRequest request(std::string q) {
  SearchRequest r;
  r.query = std::move(q);
  return r;
}

TEST_CASE("facets: a hidden list shows neither its name nor its count", "[query][facets]") {
  Fixture f;
  Facets a = f.facets(request("budget"), f.anonymous);
  CHECK(a.exact);
  // b1 and e1 are cross-posts: each counts for the visible list only.
  CHECK(a.lists == ListCounts{{"pub", 4}});
  CHECK(a.years == YearCounts{{2017, 1}, {2015, 2}, {2014, 1}});
  Facets p = f.facets(request("budget"), f.pro);
  CHECK(p.lists == ListCounts{{"pro", 2}, {"pub", 4}});
  CHECK(p.years == YearCounts{{2017, 1}, {2016, 1}, {2015, 2}, {2014, 1}});
  Facets e = f.facets(request("budget"), f.everyone);
  CHECK(e.lists == ListCounts{{"core", 2}, {"pro", 2}, {"pub", 4}});  // "closed" never
}

TEST_CASE("facets: counts equal independent exact counts with list: and date: filters", "[query][facets]") {
  Fixture f;
  for (const AccessScope* scope : {&f.anonymous, &f.pro, &f.everyone}) {
    for (std::string q : {"budget", "", "budget date:2015..2016", "a1 OR c1 OR e1"}) {
      INFO(scope->key() << " / " << q);
      Facets got = f.facets(request(q), *scope);
      CHECK(got.exact);
      std::uint64_t in_years = 0;
      for (const auto& [year, n] : got.years) {
        std::string filtered = q.empty() ? "" : "(" + q + ") ";
        CHECK(n == f.count(filtered + "date:" + std::to_string(year), *scope));
        in_years += n;
      }
      CHECK(in_years == f.count(q, *scope));
      for (const auto& list : scope->lists()) {
        std::uint64_t expected = f.count((q.empty() ? "" : "(" + q + ") ") + "list:" + list, *scope);
        auto it = std::find_if(got.lists.begin(), got.lists.end(), [&](auto& p) { return p.first == list; });
        CHECK((it == got.lists.end() ? 0 : it->second) == expected);
      }
    }
  }
}

TEST_CASE("facets: paging, sort and collapse do not change them; a list filter does", "[query][facets]") {
  Fixture f;
  Facets plain = f.facets(request("budget"), f.pro);
  SearchRequest r = request("budget");
  r.collapse_thread = true;
  r.sort = SearchRequest::Sort::kDate;
  r.offset = 1;
  r.limit = 1;
  Facets varied = f.facets(r, f.pro);
  CHECK(varied.lists == plain.lists);  // documents are counted, not threads
  CHECK(varied.years == plain.years);
  CHECK(varied.exact);
  r = request("budget");
  r.list = "pro";
  Facets listed = f.facets(r, f.pro);
  CHECK(listed.lists == ListCounts{{"pro", 2}, {"pub", 1}});  // b1 is on both
  CHECK(listed.years == YearCounts{{2016, 1}, {2015, 1}});
  r.list = "core";  // hidden from this reader: an empty, exact answer
  Facets hidden = f.facets(r, f.pro);
  CHECK(hidden.lists.empty());
  CHECK(hidden.years.empty());
  CHECK(hidden.exact);
}

TEST_CASE("facets: absent unless asked for", "[query][facets]") {
  Fixture f;
  auto page = f.searcher->search(request("budget"), f.anonymous);
  REQUIRE(page.ok());
  CHECK_FALSE(page->facets);
}

TEST_CASE("facets: exact beyond the 10,000 matches that totals count, and the total with them",
          "[query][facets]") {
  TestArchive archive;
  // 10,001 matching documents in two years: one more than a total is counted to.
  for (int i = 0; i < 10001; ++i) {
    TestMessage m = mail("m" + std::to_string(i) + "@x", {i % 3 ? "pub" : "pro"}, "bulk", "bulk words");
    m.date = utc(i % 2 ? 2020 : 2021, 1, 1);
    archive.add(m);
  }
  archive.add(mail("other@x", {"pub"}, "other", "other words"));
  archive.add(mail("core@x", {"core"}, "bulk", "bulk words"));  // hidden: the list filter stays
  auto searcher = archive.searcher();
  auto scope = AccessScope::for_lists({"pro", "pub"});
  SearchRequest r = request("bulk");
  r.facets = true;
  auto page = searcher->search(r, scope);
  REQUIRE(page.ok());
  REQUIRE(page->facets);
  CHECK(page->facets->exact);
  CHECK(page->exact);
  CHECK(page->total == 10001);
  CHECK(page->facets->lists == ListCounts{{"pro", 3334}, {"pub", 6667}});
  CHECK(page->facets->years == YearCounts{{2021, 5001}, {2020, 5000}});
}

// Threads in this process, from /proc/self/task.
std::size_t thread_count() {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator("/proc/self/task")) ++n;
  return n;
}

Facets capped_facets(Fixture& f, std::size_t cap, const AccessScope& scope, SearchRequest r) {
  index::SearchSettings settings;
  settings.max_facet_matches = cap;
  auto searcher = f.archive.searcher(settings);
  r.facets = true;
  auto page = searcher->search(r, scope);
  if (!page.ok()) FAIL(page.error().to_string());
  REQUIRE(page->facets);
  return *page->facets;
}

TEST_CASE("facets: exact when max_facet_matches is above the matches, all counted at it", "[query][facets]") {
  Fixture f;
  std::uint64_t n = f.count("budget", f.everyone);
  REQUIRE(n == 6);
  SearchRequest r = request("budget");
  r.limit = 1;
  r.sort = SearchRequest::Sort::kDate;
  auto counted = [](const Facets& facets) {
    std::uint64_t sum = 0;
    for (const auto& [year, count] : facets.years) sum += count;
    return sum;
  };
  // One more than the matches: all are counted, and known to be all.
  Facets above = capped_facets(f, n + 1, f.everyone, r);
  CHECK(above.exact);
  CHECK(counted(above) == n);
  // As many as the matches: all are counted (the matcher cannot tell whether more follow).
  CHECK(counted(capped_facets(f, n, f.everyone, r)) == n);
  // (With fewer, the matcher may stop counting early; for date order it
  // examines every match anyway, so a small archive cannot show the cut.)
}

// Xapian's Enquire::set_time_limit arms a POSIX timer whose notifications run
// on a thread of glibc's (created with the first such timer); its late write
// into a finished get_mset's stack crashed folio serve under load. No search
// may arm one.
TEST_CASE("search: no search arms a timer thread (Xapian's time limit is not used)", "[query][facets]") {
  Fixture f;
  std::size_t before = thread_count();
  for (bool facets : {false, true}) {
    SearchRequest r = request("budget OR the");
    r.facets = facets;
    REQUIRE(f.searcher->search(r, f.everyone).ok());
  }
  CHECK(thread_count() == before);
}

}  // namespace
}  // namespace folio::query
