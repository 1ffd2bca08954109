// date_range.h: date: values (YYYY, YYYY-MM, YYYY-MM-DD, ranges, open ends) -> UTC epoch bounds.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "index/model/result.h"

namespace folio::query::internal {

// Inclusive bounds in seconds since the epoch (UTC); an absent bound is open.
struct DateBounds {
  std::optional<std::int64_t> first;
  std::optional<std::int64_t> last;

  bool operator==(const DateBounds&) const = default;
};

// One date written as YYYY, YYYY-MM or YYYY-MM-DD (UTC) means that whole
// year, month or day: "2015" is [2015-01-01 00:00:00, 2015-12-31 23:59:59].
// kInvalidArgument for anything else, or for a month or day that does not exist.
model::Result<DateBounds> parse_date_period(std::string_view value);

// The range `begin`..`end`: from the start of begin's period to the end of
// end's period, so "2015..2016" covers both whole years. Either end may be
// empty (open), not both. kInvalidArgument for a bad date or a range that
// ends before it begins.
model::Result<DateBounds> parse_date_range(std::string_view begin, std::string_view end);

}  // namespace folio::query::internal
