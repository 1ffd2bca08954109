// date_terms_test.cc: date: filters spelt with year, month and day terms match what the value range matches.
#include <catch2/catch.hpp>
#include <set>

#include "index/schema.h"
#include "query/internal/field_processors.h"
#include "query/query_parser.h"
#include "query/searcher.h"
#include "tests/query/test_archive.h"

namespace folio::query {
namespace {

using folio::testing::mail;
using folio::testing::TestArchive;
using folio::testing::utc;
using internal::DateBounds;

std::set<std::string> terms_of(const Xapian::Query& q) {
  return {q.get_terms_begin(), q.get_terms_end()};
}

TEST_CASE("date terms: each date has its year, month and day term, in UTC", "[query][date_terms]") {
  using V = std::vector<std::string>;
  CHECK(index::date_period_terms(0) == V{"XD1970", "XD197001", "XD19700101"});
  CHECK(index::date_period_terms(utc(2016, 2, 29, 23, 59, 59)) == V{"XD2016", "XD201602", "XD20160229"});
  CHECK(index::date_period_terms(-1) == V{"XD1969", "XD196912", "XD19691231"});
  CHECK(index::date_period_terms(utc(9999, 12, 31, 23, 59, 59)).size() == 3);
  CHECK(index::date_period_terms(utc(9999, 12, 31, 23, 59, 59) + 1).empty());  // year 10000
}

TEST_CASE("date terms: a range is spelt with whole years, then months, then days", "[query][date_terms]") {
  auto years = internal::date_terms_query(DateBounds{utc(2015, 1, 1), utc(2017, 1, 1) - 1});
  REQUIRE(years);
  CHECK(terms_of(*years) == std::set<std::string>{"XD2015", "XD2016"});
  auto mixed = internal::date_terms_query(DateBounds{utc(2015, 3, 30), utc(2015, 5, 3) - 1});
  REQUIRE(mixed);
  CHECK(terms_of(*mixed) ==
        std::set<std::string>{"XD20150330", "XD20150331", "XD201504", "XD20150501", "XD20150502"});
  auto leap = internal::date_terms_query(DateBounds{utc(2016, 2, 1), utc(2016, 3, 1) - 1});
  REQUIRE(leap);
  CHECK(terms_of(*leap) == std::set<std::string>{"XD201602"});
}

TEST_CASE("date terms: open, unaligned or too long ranges stay on the value slot", "[query][date_terms]") {
  CHECK_FALSE(internal::date_terms_query(DateBounds{utc(2015, 1, 1), std::nullopt}));
  CHECK_FALSE(internal::date_terms_query(DateBounds{std::nullopt, utc(2015, 1, 1) - 1}));
  CHECK_FALSE(internal::date_terms_query(DateBounds{utc(2015, 1, 1, 12), utc(2015, 1, 2) - 1}));
  // At the limit: 64 whole years are spelt with terms, 65 are not.
  auto at_limit = internal::date_terms_query(DateBounds{utc(2000, 1, 1), utc(2064, 1, 1) - 1});
  REQUIRE(at_limit);
  CHECK(terms_of(*at_limit).size() == internal::kMaxDateTerms);
  CHECK_FALSE(internal::date_terms_query(DateBounds{utc(2000, 1, 1), utc(2065, 1, 1) - 1}));
}

// Counts for `q` with the index's date terms used, and with the value slot.
std::pair<std::uint64_t, std::uint64_t> both_ways(TestArchive& a, const std::string& q) {
  const AccessScope scope = AccessScope::for_lists({"pub"});
  SearchRequest r;
  r.query = q;
  a.db().set_metadata(index::kDateTermsKey, "1");
  auto with_terms = a.searcher()->count(r, scope);
  a.db().set_metadata(index::kDateTermsKey, "");
  auto with_values = a.searcher()->count(r, scope);
  REQUIRE(with_terms.ok());
  REQUIRE(with_values.ok());
  return {*with_terms, *with_values};
}

TEST_CASE("date terms: date: filters match the same messages either way, at every edge",
          "[query][date_terms]") {
  TestArchive a;
  // Seconds on both sides of day, month and year edges, a leap day, 1970.
  const std::int64_t dates[] = {utc(2014, 12, 31, 23, 59, 59), utc(2015, 1, 1), utc(2015, 2, 28, 23, 59, 59),
                                utc(2015, 3, 1), utc(2015, 3, 31, 12), utc(2015, 4, 1), utc(2016, 2, 29, 6),
                                utc(2016, 12, 31, 23, 59, 59), utc(2017, 1, 1), utc(1970, 1, 1), utc(2020, 6, 15)};
  int i = 0;
  for (std::int64_t d : dates) {
    auto m = mail("d" + std::to_string(i++) + "@x", {"pub"}, "dated", "dated words");
    m.date = d;
    a.add(m);
  }
  a.commit();
  for (const char* q : {"date:2015", "date:2015..2016", "date:2015-03", "date:2015-02..2015-03",
                        "date:2015-03-01..2015-03-31", "date:2016-02-29", "date:2014-12-31..2015-01-01",
                        "date:1970", "dated date:2015-01..2016-02", "date:2016..2017", "date:2015..",
                        "date:..2015-02", "date:2000..2099"}) {
    INFO(q);
    auto [terms, values] = both_ways(a, q);
    CHECK(terms == values);
  }
  auto [terms, values] = both_ways(a, "date:2015..2016");
  CHECK(terms == 7);  // a test of the test: the filter does select
}

TEST_CASE("date terms: used only when the index says it has them", "[query][date_terms]") {
  TestArchive a;
  a.add(mail("x@x", {"pub"}, "s", "b"));
  a.commit();
  QueryParser parser(QueryLimits{});
  const AccessScope scope = AccessScope::for_lists({"pub"});
  auto without = parser.parse("date:2015", scope, a.db());
  REQUIRE(without.ok());
  CHECK(terms_of(*without).empty());
  a.db().set_metadata(index::kDateTermsKey, "1");
  a.commit();
  auto with = parser.parse("date:2015", scope, a.db());
  REQUIRE(with.ok());
  CHECK(terms_of(*with) == std::set<std::string>{"XD2015"});
}

}  // namespace
}  // namespace folio::query
