// access_filter_test.cc: the list filter is left out exactly when it would keep every document.
#include "query/internal/access_filter.h"

#include <catch2/catch.hpp>

#include "query/searcher.h"
#include "tests/query/test_archive.h"

namespace folio::query::internal {
namespace {

using folio::testing::mail;
using folio::testing::TestArchive;
using Lists = std::vector<std::string>;

TEST_CASE("access filter: left out only when the lists cover every document", "[query][access]") {
  TestArchive a;
  a.add(mail("p@x", {"pub"}, "one", "alpha"));
  a.add(mail("x@x", {"pro", "pub"}, "two", "alpha"));
  a.commit();
  AccessFilter f;
  f.survey(a.db());
  CHECK(f.keeps_everything(Lists{"pro", "pub"}));
  CHECK(f.keeps_everything(Lists{"core", "pro", "pub"}));
  CHECK_FALSE(f.keeps_everything(Lists{"pub"}));  // x@x is visible, but pro must stay out of counts
  CHECK_FALSE(f.keeps_everything(Lists{"pro"}));
  CHECK_FALSE(f.keeps_everything(Lists{}));
  Xapian::Query q("alpha");
  CHECK(f.apply(q, Lists{"pro", "pub"}).get_description() == q.get_description());
  CHECK(f.apply(q, Lists{"pub"}).get_description() != q.get_description());
  // A document on no list (none of its list terms): the filter must stay.
  a.add(mail("n@x", {}, "three", "alpha"));
  a.commit();
  f.survey(a.db());
  CHECK_FALSE(f.keeps_everything(Lists{"core", "pro", "pub"}));
}

TEST_CASE("access filter: a reader who sees everything gets the same answers without it",
          "[query][access]") {
  TestArchive a;
  a.add(mail("p@x", {"pub"}, "one", "alpha beta"));
  a.add(mail("x@x", {"pro", "pub"}, "two", "alpha"));
  a.add(mail("c@x", {"core"}, "three", "beta"));
  auto s = a.searcher();
  auto all = AccessScope::for_lists({"core", "pro", "pub"});
  auto some = AccessScope::for_lists({"pro", "pub"});
  for (const char* q : {"alpha", "beta", "alpha OR beta", ""}) {
    INFO(q);
    SearchRequest r;
    r.query = q;
    auto everything = s->search(r, all);
    REQUIRE(everything.ok());
    CHECK(everything->exact);
    CHECK(everything->total == s->count(r, all).value());
    auto part = s->search(r, some);
    REQUIRE(part.ok());
    CHECK(part->total == s->count(r, some).value());
    CHECK(part->total <= everything->total);
  }
  SearchRequest beta;
  beta.query = "beta";
  CHECK(s->search(beta, all)->total == 2);
  CHECK(s->search(beta, some)->total == 1);
}

}  // namespace
}  // namespace folio::query::internal
