// suggester.h: a corrected query for a query with few visible matches (see query/spelling.h).
#pragma once

#ifndef XAPIAN_MOVE_SEMANTICS
#define XAPIAN_MOVE_SEMANTICS
#endif
#include <xapian.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "index/model/result.h"
#include "query/access_scope.h"
#include "query/query_parser.h"

namespace folio::query::internal {

// Matches of a query within the reader's scope (and the request's list),
// counted exactly up to `cap` and at least `cap` beyond it.
using VisibleCount = std::function<Xapian::doccount(const Xapian::Query& query, Xapian::doccount cap)>;

// Bounds of one suggestion.
struct SuggestLimits {
  std::uint64_t few_matches = 5;  // a query with fewer visible matches may get a suggestion
  std::uint64_t rare_word = 100;  // a word of it with fewer visible matches may be corrected
  std::size_t max_words = 8;      // queries with more correctable words get no suggestion
  std::size_t max_scanned = 50000;  // index terms looked at per word
  std::size_t max_candidates = 6;   // candidates per word whose visible matches are counted
  std::chrono::microseconds budget{15000};  // for the first-letter walks of one suggestion
};

// The suggestion for `query`, which has `total` visible matches, or nullopt
// (none needed, none found, or `total` is not few). Uses `db` for term
// walks and `visible` for every count that decides; parses the corrected
// query with `parser` as a reader with `scope`. Throws Xapian errors.
std::optional<std::string> suggest_query(const Xapian::Database& db, QueryParser& parser,
                                         std::string_view query, const AccessScope& scope,
                                         std::uint64_t total, const VisibleCount& visible,
                                         const SuggestLimits& limits = {});

}  // namespace folio::query::internal
