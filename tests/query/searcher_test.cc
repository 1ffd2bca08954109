// searcher_test.cc: search and count: access, sorting, collapsing, paging, limits, reopening.
#include "query/searcher.h"

#include <unistd.h>

#include <catch2/catch.hpp>

#include "index/init_home.h"
#include "index/reader_board.h"
#include "tests/query/test_archive.h"

namespace folio::query {
namespace {

using folio::testing::mail;
using folio::testing::TestArchive;
using folio::testing::TestMessage;
using folio::testing::utc;

// p1, p2 (one thread) and x1 public; s1 on pro; x1 cross-posted to pro; c1 on a closed list.
void add_parser_mails(TestArchive& a) {
  TestMessage m;
  m.id = "p1@x";
  m.subject = "Release of version 2";
  m.body = "We are releasing the new parser today.";
  m.date = utc(2015, 3, 10);
  m.thread = 100;
  a.add(m);
  m.id = "p2@x";
  m.subject = "Re: Release of version 2";
  m.body = "Thanks for the parser release.";
  m.in_reply_to = "p1@x";
  m.date = utc(2015, 3, 11);
  a.add(m);
  m = mail("s1@x", {"pro"}, "Secret roadmap", "the parser roadmap is secret");
  m.date = utc(2015, 4, 1);
  a.add(m);
  m = mail("x1@x", {"pro", "pub"}, "Cross-posted", "a parser crosspost");
  m.date = utc(2016, 1, 5);
  a.add(m);
  m = mail("c1@x", {"closed", "pub-not"}, "Closed", "parser on a closed list");
  m.date = utc(2016, 2, 1);
  a.add(m);
}

SearchRequest request(std::string q) {
  SearchRequest r;
  r.query = std::move(q);
  return r;
}

std::vector<std::string> ids(const SearchPage& page) {
  std::vector<std::string> out;
  for (const auto& h : page.hits) out.push_back(h.message_id);
  return out;
}

using Ids = std::vector<std::string>;

struct Fixture {
  TestArchive archive;
  std::unique_ptr<Searcher> searcher;
  AccessScope anonymous;
  AccessScope pro;

  Fixture() {
    add_parser_mails(archive);
    searcher = archive.searcher();
    anonymous = AccessScope::for_grants(archive.config(), {});
    pro = AccessScope::for_grants(archive.config(), {"tier:pro"});
  }

  SearchPage search(const SearchRequest& r, const AccessScope& scope) {
    auto page = searcher->search(r, scope);
    if (!page.ok()) FAIL(page.error().to_string());
    return page.value();
  }
  std::uint64_t count(const SearchRequest& r, const AccessScope& scope) {
    auto n = searcher->count(r, scope);
    if (!n.ok()) FAIL(n.error().to_string());
    return n.value();
  }
};

TEST_CASE("query searcher: hidden lists are invisible in hits, totals and counts",
          "[query][searcher]") {
  Fixture f;
  auto r = request("parser");
  r.sort = SearchRequest::Sort::kDate;
  auto page = f.search(r, f.anonymous);
  CHECK(ids(page) == Ids{"x1@x", "p2@x", "p1@x"});
  CHECK(page.total == 3);
  CHECK(page.exact);
  CHECK(f.count(r, f.anonymous) == 3);
  CHECK(ids(f.search(r, f.pro)) == Ids{"x1@x", "s1@x", "p2@x", "p1@x"});
  CHECK(f.count(r, f.pro) == 4);
  auto everyone = AccessScope::for_grants(f.archive.config(), {"tier:pro", "group:core"});
  CHECK(f.count(r, everyone) == 4);  // c1 is on a list without grants
}

TEST_CASE("query searcher: a cross-post shows only the lists the reader may see",
          "[query][searcher]") {
  Fixture f;
  auto anonymous = f.search(request("crosspost"), f.anonymous);
  REQUIRE(anonymous.hits.size() == 1);
  CHECK(anonymous.hits[0].lists == std::vector<std::string>{"pub"});
  auto pro = f.search(request("crosspost"), f.pro);
  REQUIRE(pro.hits.size() == 1);
  CHECK(pro.hits[0].lists == std::vector<std::string>{"pro", "pub"});
}

TEST_CASE("query searcher: a hidden list filter looks exactly like an empty visible one",
          "[query][searcher]") {
  Fixture f;
  auto hidden = request("parser");
  hidden.list = "pro";
  auto missing = request("parser");
  missing.list = "no-such-list";
  auto empty_visible = request("nothingmatchesthis");
  empty_visible.list = "pub";
  for (const auto& r : {hidden, missing, empty_visible}) {
    auto page = f.search(r, f.anonymous);
    CHECK(page.hits.empty());
    CHECK(page.total == 0);
    CHECK(page.exact);
    CHECK(f.count(r, f.anonymous) == 0);
  }
  hidden.sort = SearchRequest::Sort::kDate;
  CHECK(ids(f.search(hidden, f.pro)) == Ids{"x1@x", "s1@x"});
  CHECK(f.count(request("list:pro parser"), f.anonymous) == 0);
  CHECK(f.count(request("list:pro parser"), f.pro) == 2);
}

TEST_CASE("query searcher: list: cannot probe a cross-post to a hidden list", "[query][searcher]") {
  Fixture f;
  // x1 is on pub and pro; the anonymous reader must not learn about pro.
  CHECK(f.count(request("parser list:pro"), f.anonymous) == 0);
  CHECK(f.count(request("parser list:no-such-list"), f.anonymous) == 0);
  CHECK(f.count(request("parser -list:pro"), f.anonymous) == 3);
  CHECK(f.count(request("parser -list:no-such-list"), f.anonymous) == 3);
  CHECK(f.count(request("parser (list:pro OR list:pub)"), f.anonymous) == 3);
  CHECK(f.count(request("parser -list:pro"), f.pro) == 2);
}

TEST_CASE("query searcher: an empty scope matches nothing", "[query][searcher]") {
  Fixture f;
  auto page = f.search(request(""), AccessScope());
  CHECK(page.hits.empty());
  CHECK(page.total == 0);
  CHECK(f.count(request(""), AccessScope()) == 0);
}

TEST_CASE("query searcher: the empty query browses everything visible, newest first",
          "[query][searcher]") {
  Fixture f;
  auto r = request("");
  r.sort = SearchRequest::Sort::kDate;
  CHECK(ids(f.search(r, f.anonymous)) == Ids{"x1@x", "p2@x", "p1@x"});
  r.query = "*";
  CHECK(f.count(r, f.pro) == 4);
}

TEST_CASE("query searcher: filters alone weigh nothing, so relevance order is date order",
          "[query][searcher]") {
  Fixture f;
  for (const char* q : {"", "*", "list:pub", "date:2015..2016", "list:pub OR list:pro"}) {
    INFO(q);
    auto by_relevance = request(q);
    auto by_date = request(q);
    by_date.sort = SearchRequest::Sort::kDate;
    CHECK(ids(f.search(by_relevance, f.pro)) == ids(f.search(by_date, f.pro)));
    by_relevance.offset = by_date.offset = 1;
    by_relevance.limit = by_date.limit = 2;
    CHECK(ids(f.search(by_relevance, f.pro)) == ids(f.search(by_date, f.pro)));
  }
}

TEST_CASE("query searcher: relevance ties are broken by date, newest first", "[query][searcher]") {
  TestArchive a;
  for (int year : {2014, 2016, 2015}) {
    TestMessage m = mail("t" + std::to_string(year) + "@x", {"pub"}, "same", "identical words");
    m.date = utc(year, 6, 1);
    a.add(m);
  }
  auto s = a.searcher();
  auto page = s->search(request("identical"), AccessScope::for_lists({"pub"}));
  REQUIRE(page.ok());
  CHECK(ids(*page) == Ids{"t2016@x", "t2015@x", "t2014@x"});
}

TEST_CASE("query searcher: relevance ties across a page's edge keep date order on every page",
          "[query][searcher]") {
  // Five equal matches imported out of date order, and one that weighs more.
  TestArchive a;
  for (int year : {2013, 2017, 2011, 2015, 2012}) {
    TestMessage m = mail("t" + std::to_string(year) + "@x", {"pub"}, "same", "identical words");
    m.date = utc(year, 6, 1);
    a.add(m);
  }
  a.add(mail("best@x", {"pub"}, "identical", "identical identical words"));
  auto s = a.searcher();
  auto scope = AccessScope::for_lists({"pub"});
  const Ids all{"best@x", "t2017@x", "t2015@x", "t2013@x", "t2012@x", "t2011@x"};
  auto whole = s->search(request("identical"), scope);
  REQUIRE(whole.ok());
  CHECK(ids(*whole) == all);
  for (std::size_t limit : {1, 2, 3}) {
    for (std::size_t offset = 0; offset < all.size(); ++offset) {
      SearchRequest r = request("identical");
      r.offset = offset;
      r.limit = limit;
      auto page = s->search(r, scope);
      REQUIRE(page.ok());
      INFO("offset " << offset << ", limit " << limit);
      Ids expected(all.begin() + static_cast<std::ptrdiff_t>(offset),
                   all.begin() + static_cast<std::ptrdiff_t>(std::min(all.size(), offset + limit)));
      CHECK(ids(*page) == expected);
      CHECK(page->total == all.size());
    }
  }
}

TEST_CASE("query searcher: collapsing keeps one hit per thread", "[query][searcher]") {
  Fixture f;
  auto r = request("parser");
  r.collapse_thread = true;
  r.sort = SearchRequest::Sort::kDate;
  auto page = f.search(r, f.anonymous);
  CHECK(ids(page) == Ids{"x1@x", "p2@x"});
  CHECK(page.total == 2);
  CHECK(f.count(r, f.anonymous) == 2);
}

TEST_CASE("query searcher: hits carry what a result page shows", "[query][searcher]") {
  Fixture f;
  auto page = f.search(request("id:p1@x"), f.anonymous);
  REQUIRE(page.hits.size() == 1);
  const Hit& h = page.hits[0];
  CHECK(h.docid == 1);
  CHECK(h.message_id == "p1@x");
  CHECK(h.subject == "Release of version 2");
  CHECK(h.from == model::Address{"Ann Example", "ann@example.org"});
  CHECK(h.date == utc(2015, 3, 10));
  CHECK(h.thread == index::thread_label(100));
  CHECK(h.lists == std::vector<std::string>{"pub"});
  CHECK_FALSE(h.snippet.empty());
}

TEST_CASE("query searcher: pages follow offset and limit; limit 0 only counts",
          "[query][searcher]") {
  Fixture f;
  auto r = request("parser");
  r.sort = SearchRequest::Sort::kDate;
  r.offset = 1;
  r.limit = 1;
  auto page = f.search(r, f.pro);
  CHECK(ids(page) == Ids{"s1@x"});
  CHECK(page.offset == 1);
  CHECK(page.limit == 1);
  CHECK(page.total == 4);
  r.offset = 0;
  r.limit = 0;
  page = f.search(r, f.pro);
  CHECK(page.hits.empty());
  CHECK(page.total >= 1);
}

TEST_CASE("query searcher: page size and offset are limited, at the limit and one over",
          "[query][searcher]") {
  TestArchive a;
  index::SearchSettings settings;
  settings.max_page_size = 5;
  settings.max_offset = 7;
  auto s = a.searcher(settings);
  auto scope = AccessScope::for_lists({"pub"});
  auto r = request("x");
  r.limit = 5;
  r.offset = 7;
  CHECK(s->search(r, scope).ok());
  r.limit = 6;
  auto over = s->search(r, scope);
  REQUIRE_FALSE(over.ok());
  CHECK(over.error().code == model::Code::kInvalidArgument);
  CHECK(over.error().message == "limit 6 is over the page size limit of 5");
  r.limit = 5;
  r.offset = 8;
  over = s->search(r, scope);
  REQUIRE_FALSE(over.ok());
  CHECK(over.error().message == "offset 8 is over the offset limit of 7");
}

TEST_CASE("query searcher: bad queries are invalid-argument errors", "[query][searcher]") {
  Fixture f;
  for (const char* q : {"-parser", "NOT parser", "parser AND", "date:2015-13", "thread:nope"}) {
    INFO(q);
    auto page = f.searcher->search(request(q), f.anonymous);
    REQUIRE_FALSE(page.ok());
    CHECK(page.error().code == model::Code::kInvalidArgument);
    auto n = f.searcher->count(request(q), f.anonymous);
    REQUIRE_FALSE(n.ok());
    CHECK(n.error().code == model::Code::kInvalidArgument);
  }
  auto page = f.searcher->search(request("-parser"), AccessScope());
  REQUIRE_FALSE(page.ok());  // refused even when nothing is visible
}

TEST_CASE("query searcher: refresh picks up new commits", "[query][searcher]") {
  Fixture f;
  CHECK(f.count(request("fresh"), f.anonymous) == 0);
  f.archive.add(mail("n1@x", {"pub"}, "fresh", "fresh news"));
  f.archive.commit();
  CHECK(f.count(request("fresh"), f.anonymous) == 0);
  REQUIRE(f.searcher->refresh().ok());
  CHECK(f.count(request("fresh"), f.anonymous) == 1);
  CHECK(f.searcher->refresh().ok());  // nothing changed
}

TEST_CASE("query searcher: posted on the home's reader board while it lives, idle between calls",
          "[query][searcher]") {
  std::filesystem::path board;
  {
    Fixture f;
    board = f.archive.home().root() / "run" / "readers" / std::to_string(getpid());
    CHECK(f.count(request("parser"), f.anonymous) > 0);
    CHECK(std::filesystem::exists(board));
    // Between calls the writer has nobody to wait for.
    CHECK(index::wait_for_readers(f.archive.home(), index::reader_clock_ns(), std::chrono::milliseconds(0))
              .readers == 0);
  }
  CHECK_FALSE(std::filesystem::exists(board));
}

TEST_CASE("query searcher: refresh follows CURRENT to a new generation", "[query][searcher]") {
  Fixture f;
  CHECK(f.searcher->generation() == 1);
  {
    Xapian::WritableDatabase gen2(f.archive.home().generation_dir(2).string(),
                                  Xapian::DB_CREATE_OR_OPEN);
    index::DocumentBuilder builder(index::DocumentOptions{});
    model::ParsedMessage m;
    m.message_id = "g2@x";
    m.body = "regenerated";
    Xapian::Document doc = builder.build(m);
    index::StoredMeta meta;
    meta.message_id = m.message_id;
    meta.lists = {"pub"};
    meta.thread = 1;
    index::apply_meta(doc, meta, index::MetaMode::kFresh);
    gen2.replace_document(1, doc);
    gen2.commit();
  }
  REQUIRE(f.archive.home().set_current_generation(2).ok());
  REQUIRE(f.searcher->refresh().ok());
  CHECK(f.searcher->generation() == 2);
  CHECK(f.count(request("regenerated"), f.anonymous) == 1);
  CHECK(f.count(request("parser"), f.anonymous) == 0);
}

void add_bulk(TestArchive& a, int round, int n) {
  for (int i = 0; i < n; ++i) {
    std::string tag = "round" + std::to_string(round);
    a.add(mail("bulk" + std::to_string(i) + "@x", {"pub"}, "bulk " + tag, "parser " + tag),
          static_cast<index::DocId>(100 + i));
  }
  a.commit();
}

TEST_CASE("query searcher: a revision discarded under a search is reopened and retried",
          "[query][searcher]") {
  // Enough rewriting that the revision the searcher holds is discarded:
  // reading it then throws DatabaseModifiedError inside Xapian.
  TestArchive a;
  add_bulk(a, 0, 3000);
  auto s = a.searcher();
  for (int round = 1; round <= 3; ++round) add_bulk(a, round, 3000);
  SearchRequest r = request("parser");
  r.limit = 100;
  auto page = s->search(r, AccessScope::for_lists({"pub"}));
  if (!page.ok()) FAIL(page.error().to_string());
  REQUIRE_FALSE(page->hits.empty());
  // Had the old revision still been readable, the hits would say round0.
  CHECK(page->hits[0].subject == "bulk round3");
}

TEST_CASE("query searcher: a fresh archive opens as an empty index", "[query][searcher]") {
  folio::testing::TempDir dir;
  index::Home home(dir.path() / "home");
  REQUIRE(index::init_home(home).ok());
  auto s = Searcher::open(home, {});
  REQUIRE(s.ok());
  auto page = (*s)->search(request("anything"), AccessScope::for_lists({"pub"}));
  if (!page.ok()) FAIL(page.error().to_string());
  CHECK(page->total == 0);
}

TEST_CASE("query searcher: a home that was never initialised is not found", "[query][searcher]") {
  folio::testing::TempDir dir;
  auto s = Searcher::open(index::Home(dir.path() / "nowhere"), {});
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().code == model::Code::kNotFound);
}

}  // namespace
}  // namespace folio::query
