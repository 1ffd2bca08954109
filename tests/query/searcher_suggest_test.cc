// searcher_suggest_test.cc: spelling suggestions from the index's own terms, within the reader's scope.
#include <catch2/catch.hpp>

#include <chrono>

#include "query/searcher.h"
#include "tests/query/test_archive.h"

namespace folio::query {
namespace {

using folio::testing::mail;
using folio::testing::TestArchive;

// Public mail about memory and packages; "zanzibarword" only on core (hidden from the public);
// "tierword" on pro and, once, nowhere public.
struct Fixture {
  TestArchive archive;
  std::unique_ptr<Searcher> searcher;
  AccessScope anonymous, core;

  Fixture() {
    for (int i = 0; i < 12; ++i) {
      std::string n = std::to_string(i);
      archive.add(mail("m" + n + "@x", {"pub"}, "memory use " + n, "the package leaks memory in lapply"));
    }
    archive.add(mail("s1@x", {"pub"}, "sapply", "sapply and vapply"));
    archive.add(mail("z1@x", {"core"}, "plan", "the zanzibarword project"));
    archive.add(mail("z2@x", {"core", "closed"}, "plan", "zanzibarword again"));
    archive.add(mail("t1@x", {"pro"}, "tiers", "a tierword"));
    searcher = archive.searcher();
    anonymous = AccessScope::for_grants(archive.config(), {});
    core = AccessScope::for_grants(archive.config(), {"group:core"});
  }

  SearchPage search(const std::string& q, const AccessScope& scope, bool suggest = true) {
    SearchRequest r;
    r.query = q;
    r.suggest = suggest;
    auto page = searcher->search(r, scope);
    if (!page.ok()) FAIL(page.error().to_string());
    return *page;
  }

  std::string suggestion(const std::string& q, const AccessScope& scope) {
    return search(q, scope).suggestion.value_or("(none)");
  }
};

TEST_CASE("suggest: a misspelt word is corrected to a visible one", "[query][suggest]") {
  Fixture f;
  CHECK(f.suggestion("memry", f.anonymous) == "memory");
  CHECK(f.suggestion("mmeory leaks", f.anonymous) == "memory leaks");
  CHECK(f.suggestion("subject:memroy", f.anonymous) == "subject:memory");
  CHECK(f.suggestion("\"leaks memroy\"", f.anonymous) == "\"leaks memory\"");
  CHECK(f.suggestion("Packagee AND lapply", f.anonymous) == "package AND lapply");
}

TEST_CASE("suggest: a word found only in hidden lists is never suggested", "[query][suggest]") {
  Fixture f;
  CHECK(f.suggestion("zanzibarwor", f.anonymous) == "(none)");
  CHECK(f.suggestion("zanzibarwor", f.core) == "zanzibarword");
  CHECK(f.suggestion("tierwrd", f.anonymous) == "(none)");
  CHECK(f.suggestion("tierwrd", f.core) == "(none)");  // pro is hidden from core readers too
  // A list filter narrows what counts: core's word is not suggested within pub.
  SearchRequest r;
  r.query = "zanzibarwor";
  r.list = "pub";
  r.suggest = true;
  auto page = f.searcher->search(r, f.core);
  REQUIRE(page.ok());
  CHECK_FALSE(page->suggestion);
}

TEST_CASE("suggest: none when the query already matches well or nothing is closer", "[query][suggest]") {
  Fixture f;
  CHECK(f.suggestion("memory", f.anonymous) == "(none)");
  CHECK(f.suggestion("memory lapply", f.anonymous) == "(none)");
  CHECK(f.suggestion("sapply", f.anonymous) == "(none)");  // one match; lapply is not 50 times as common
  CHECK(f.suggestion("sapply vapply", f.anonymous) == "(none)");     // no word is closer to more
  CHECK(f.suggestion("qwertyuiop", f.anonymous) == "(none)");
  CHECK(f.suggestion("list:pub date:2015", f.anonymous) == "(none)");
  CHECK(f.suggestion("", f.anonymous) == "(none)");
  CHECK_FALSE(f.search("memry", f.anonymous, false).suggestion);     // not asked for
}

TEST_CASE("suggest: long and odd queries take bounded time", "[query][suggest]") {
  Fixture f;
  // Many distinct misspellings: more words than are corrected, then exactly as many.
  std::string many, eight;
  for (int i = 0; i < 30; ++i) many += "memry" + std::string(1, static_cast<char>('a' + i % 26)) + " OR ";
  many += "memryz";
  for (int i = 0; i < 8; ++i) eight += std::string(i ? " " : "") + "memrx" + std::string(1, static_cast<char>('a' + i));
  std::string odd(3000, '"');
  std::string letters(3000, 'm');
  for (const std::string& q : {many, eight, odd, letters, std::string("m* OR me* OR mem*")}) {
    auto start = std::chrono::steady_clock::now();
    SearchRequest r;
    r.query = q;
    r.suggest = true;
    auto page = f.searcher->search(r, f.anonymous);
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    INFO(q.substr(0, 40) << ": " << ms << " ms");
    CHECK(ms < 500);
    if (page.ok() && page->suggestion) CHECK(page->suggestion->size() <= q.size() + 2 * 8);
  }
  CHECK(f.suggestion(many, f.anonymous) == "(none)");  // over the word bound
}

}  // namespace
}  // namespace folio::query
