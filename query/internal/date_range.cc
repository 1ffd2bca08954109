// date_range.cc: civil dates to epoch-second bounds for date: queries.
#include "query/internal/date_range.h"

#include <string>

namespace folio::query::internal {

using model::Code;
using model::Err;
using model::Error;
using model::Result;

namespace {

constexpr std::int64_t kSecondsPerDay = 86400;

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool is_leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned days_in_month(std::int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

// Parses 1 to `max_digits` decimal digits; false otherwise.
bool parse_number(std::string_view s, std::size_t max_digits, unsigned& out) {
  if (s.empty() || s.size() > max_digits) return false;
  out = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + static_cast<unsigned>(c - '0');
  }
  return true;
}

// A date with the precision it was written in.
struct Civil {
  unsigned year = 0;
  unsigned month = 0;  // 0: the whole year
  unsigned day = 0;    // 0: the whole month
};

Error bad_date(std::string_view value) {
  return Err(Code::kInvalidArgument,
             "date: expects YYYY, YYYY-MM or YYYY-MM-DD (UTC), not \"" + std::string(value) + "\"");
}

Result<Civil> parse_civil(std::string_view value) {
  Civil c;
  std::string_view rest = value;
  std::size_t dash = rest.find('-');
  if (rest.substr(0, dash).size() != 4 || !parse_number(rest.substr(0, dash), 4, c.year)) {
    return bad_date(value);
  }
  if (dash == std::string_view::npos) return c;
  rest = rest.substr(dash + 1);
  dash = rest.find('-');
  if (!parse_number(rest.substr(0, dash), 2, c.month) || c.month < 1 || c.month > 12) {
    return bad_date(value);
  }
  if (dash == std::string_view::npos) return c;
  if (!parse_number(rest.substr(dash + 1), 2, c.day) || c.day < 1 ||
      c.day > days_in_month(c.year, c.month)) {
    return bad_date(value);
  }
  return c;
}

std::int64_t start_of(const Civil& c) {
  return days_from_civil(c.year, c.month ? c.month : 1, c.day ? c.day : 1) * kSecondsPerDay;
}

// The first second after the period `c`.
std::int64_t end_of(const Civil& c) {
  if (c.month == 0) return days_from_civil(c.year + 1, 1, 1) * kSecondsPerDay;
  if (c.day == 0) {
    return (c.month == 12 ? days_from_civil(c.year + 1, 1, 1)
                          : days_from_civil(c.year, c.month + 1, 1)) *
           kSecondsPerDay;
  }
  return start_of(c) + kSecondsPerDay;
}

}  // namespace

Result<DateBounds> parse_date_period(std::string_view value) {
  auto c = parse_civil(value);
  if (!c.ok()) return c.error();
  return DateBounds{start_of(*c), end_of(*c) - 1};
}

Result<DateBounds> parse_date_range(std::string_view begin, std::string_view end) {
  if (begin.empty() && end.empty()) {
    return Err(Code::kInvalidArgument, "date: a range needs at least one end, as in date:2015..");
  }
  DateBounds bounds;
  if (!begin.empty()) {
    auto c = parse_civil(begin);
    if (!c.ok()) return c.error();
    bounds.first = start_of(*c);
  }
  if (!end.empty()) {
    auto c = parse_civil(end);
    if (!c.ok()) return c.error();
    bounds.last = end_of(*c) - 1;
  }
  if (bounds.first && bounds.last && *bounds.last < *bounds.first) {
    return Err(Code::kInvalidArgument, "date: the range " + std::string(begin) + ".." +
                                           std::string(end) + " ends before it begins");
  }
  return bounds;
}

}  // namespace folio::query::internal
