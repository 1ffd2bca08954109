// word_starts_test.cc: body wildcards answered from the index's word start terms match what
// Xapian's own expansion matches, unweighted.
#include <catch2/catch.hpp>

#include <set>

#include "index/schema.h"
#include "query/query_parser.h"
#include "query/searcher.h"
#include "tests/query/test_archive.h"

namespace folio::query {
namespace {

using folio::testing::mail;
using folio::testing::TestArchive;
using folio::testing::utc;

std::set<std::string> terms_of(const Xapian::Query& q) { return {q.get_terms_begin(), q.get_terms_end()}; }

void set_word_starts(TestArchive& a, bool on) {
  a.db().set_metadata(index::kWordStartsKey, on ? "1" : "");
  a.commit();
}

// The message ids `q` finds, newest first, with word starts used or not.
std::vector<std::string> found(TestArchive& a, const std::string& q, bool word_starts) {
  set_word_starts(a, word_starts);
  SearchRequest r;
  r.query = q;
  r.limit = 100;
  auto page = a.searcher()->search(r, AccessScope::for_lists({"pub"}));
  REQUIRE(page.ok());
  std::vector<std::string> ids;
  for (const auto& h : page->hits) ids.push_back(h.message_id);
  return ids;
}

void add_words(TestArchive& a) {
  const char* bodies[] = {"a computer", "the compiler said no", "comp only", "compact and complete",
                          "a Résumé", "resume the job", "nothing of the kind", "company comp computer",
                          "de-compile", "東京都庁 compute"};
  int day = 1;
  for (const char* body : bodies) {
    auto m = mail(std::string("w") + std::to_string(day) + "@x", {"pub"}, "words", body);
    m.date = utc(2020, 1, day++);
    a.add(m);
  }
  a.commit();
}

TEST_CASE("word starts: a four-letter body wildcard finds what the expansion finds", "[query][word_starts]") {
  TestArchive a;
  add_words(a);
  for (const char* q : {"comp*", "Comp*", "résu*", "resu*", "-comp* words", "comp* OR resu*", "comp* compiler",
                        "comp* -compact", "words NOT comp*", "kind*", "zzzz*"}) {
    INFO(q);
    CHECK(found(a, q, true) == found(a, q, false));
  }
  CHECK(found(a, "comp*", true).size() == 7);  // a test of the test: the wildcard does select
  CHECK(found(a, "zzzz*", true).empty());
}

TEST_CASE("word starts: a body wildcard weighs nothing: alone it lists newest first", "[query][word_starts]") {
  TestArchive a;
  add_words(a);
  // w8 holds three words under comp*, w1 one: relevance would put w8 first.
  for (bool starts : {true, false}) {
    auto ids = found(a, "comp*", starts);
    REQUIRE(ids.size() == 7);
    CHECK(ids.front() == "w10@x");
    CHECK(ids.back() == "w1@x");
  }
  // Beside a word, that word ranks: the one message with "compiler" first.
  CHECK(found(a, "comp* OR said", true).front() == "w2@x");
}

TEST_CASE("word starts: used only when the index says it has them, and only for four letters",
          "[query][word_starts]") {
  TestArchive a;
  add_words(a);
  QueryParser parser(QueryLimits{});
  const AccessScope scope = AccessScope::for_lists({"pub"});
  set_word_starts(a, false);
  auto without = parser.parse("comp*", scope, a.db());
  REQUIRE(without.ok());
  CHECK(terms_of(*without).empty());  // a wildcard, expanded when matching
  set_word_starts(a, true);
  auto with = parser.parse("comp*", scope, a.db());
  REQUIRE(with.ok());
  CHECK(terms_of(*with) == std::set<std::string>{"XEcomp", "comp"});
  for (const char* other : {"com*", "compu*", "subject:comp*"}) {
    INFO(other);
    auto q = parser.parse(other, scope, a.db());
    REQUIRE(q.ok());
    CHECK(terms_of(*q).empty());
  }
}

TEST_CASE("word starts: the matched words are marked in the snippet", "[query][word_starts]") {
  TestArchive a;
  add_words(a);
  for (bool starts : {false, true}) {
    INFO(starts);
    set_word_starts(a, starts);
    SearchRequest r;
    r.query = "comp* said";
    auto page = a.searcher()->search(r, AccessScope::for_lists({"pub"}));
    REQUIRE(page.ok());
    REQUIRE(page->hits.size() == 1);
    CHECK_THAT(page->hits[0].snippet, Catch::Contains("<mark>compiler</mark>"));
  }
}

}  // namespace
}  // namespace folio::query
