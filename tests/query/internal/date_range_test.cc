// date_range_test.cc: date: periods and ranges -> inclusive UTC epoch bounds.
#include "query/internal/date_range.h"

#include <catch2/catch.hpp>

#include "tests/query/test_archive.h"

namespace folio::query::internal {
namespace {

using folio::testing::utc;

DateBounds period(std::string_view v) {
  auto b = parse_date_period(v);
  REQUIRE(b.ok());
  return b.value();
}

DateBounds range(std::string_view a, std::string_view b) {
  auto r = parse_date_range(a, b);
  REQUIRE(r.ok());
  return r.value();
}

TEST_CASE("query dates: a year, a month or a day is the whole period", "[query][date]") {
  CHECK(period("2015") == DateBounds{utc(2015, 1, 1), utc(2016, 1, 1) - 1});
  CHECK(period("2015-12") == DateBounds{utc(2015, 12, 1), utc(2016, 1, 1) - 1});
  CHECK(period("2016-02") == DateBounds{utc(2016, 2, 1), utc(2016, 3, 1) - 1});
  CHECK(period("2015-3") == DateBounds{utc(2015, 3, 1), utc(2015, 4, 1) - 1});
  CHECK(period("2015-03-01") == DateBounds{utc(2015, 3, 1), utc(2015, 3, 2) - 1});
  CHECK(period("1969-12-31") == DateBounds{utc(1969, 12, 31), -1});
}

TEST_CASE("query dates: date:2015..2016 covers both whole years", "[query][date]") {
  CHECK(range("2015", "2016") == DateBounds{utc(2015, 1, 1), utc(2017, 1, 1) - 1});
  CHECK(range("2015-03", "2015-04") == DateBounds{utc(2015, 3, 1), utc(2015, 5, 1) - 1});
  CHECK(range("2015-03-01", "2015-06-30") == DateBounds{utc(2015, 3, 1), utc(2015, 7, 1) - 1});
  CHECK(range("2015", "2015") == period("2015"));
}

TEST_CASE("query dates: open ends leave a bound out", "[query][date]") {
  CHECK(range("2015", "") == DateBounds{utc(2015, 1, 1), std::nullopt});
  CHECK(range("", "2016") == DateBounds{std::nullopt, utc(2017, 1, 1) - 1});
}

TEST_CASE("query dates: impossible and malformed dates are refused", "[query][date]") {
  for (const char* bad : {"15", "20150", "2015-00", "2015-13", "2015-02-29", "2016-02-30",
                          "2015-04-31", "2015-1-1-1", "2015/03", "x", "2015-", "-2015"}) {
    INFO(bad);
    auto r = parse_date_period(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == model::Code::kInvalidArgument);
  }
  CHECK(parse_date_period("2016-02-29").ok());
  CHECK_FALSE(parse_date_range("", "").ok());
  CHECK_FALSE(parse_date_range("2016", "2015-12").ok());
}

}  // namespace
}  // namespace folio::query::internal
