// query_parser.h: user query string -> Xapian::Query, configured from the schema table.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "index/config.h"
#include "index/model/result.h"
#include "query/access_scope.h"

// Declared, not included: only query/*.cc and query/internal/ see <xapian.h>.
namespace Xapian {
class Database;
class Query;
}

namespace folio::query {

// Bounds on one query. Every bound is checked, and a query over one is a
// kInvalidArgument error, never a truncated query.
struct QueryLimits {
  std::size_t max_bytes = 4096;  // length of the query string
  std::size_t max_terms = 1000;  // terms in the parsed query (before wildcard expansion)
  std::size_t max_depth = 32;    // nesting of parentheses
  std::size_t max_wildcard_expansion = 1000;  // terms one trailing * may expand to

  // max_bytes and max_wildcard_expansion from the config; the others keep
  // their defaults (SearchSettings has no field for them yet).
  static QueryLimits from(const index::SearchSettings& settings);
};

// Parses the folio query language:
//   free text, "phrases", AND OR NOT XOR (upper case), ( ), +term, -term,
//   trailing-* wildcards (expansion bounded to the most frequent terms),
//   the text fields from: to: cc: subject: s: attachment: body:,
//   the filters list: id: thread: has:attachment,
//   date: periods and ranges: date:2015, date:2015-03, date:2015-03-01,
//   date:2015..2016 (whole years), date:2015-03..2015-04, date:2015.., date:..2016.
// Text is normalised as indexed text is (index::normalize_text), with
// English stemming (STEM_SOME: free lower-case words, not phrases) and CJK
// n-grams, so "CAFÉ" finds "café". The index holds words unstemmed; given
// the index as `vocabulary`, each stemmed word also matches the indexed
// words with its stem (internal/stem_forms.h), so "packages" finds
// "packaging".
// The empty query and "*" match every document (for date-sorted browsing).
// Queries that only exclude ("-foo", "NOT foo") are refused.
//
// One parser per thread: not thread-safe. Cheap to keep, not to build.
// Construction cannot fail: it reads only the constant schema table.
class QueryParser {
 public:
  explicit QueryParser(const QueryLimits& limits);
  ~QueryParser();
  QueryParser(const QueryParser&) = delete;
  QueryParser& operator=(const QueryParser&) = delete;

  // The Xapian query for `text`, for a reader who sees `scope`: a list:
  // value outside the scope matches nothing, exactly as a list that does
  // not exist, so list:hidden and -list:hidden reveal nothing. (The caller
  // still filters the result by the scope's lists.) Every bad query
  // (syntax, unknown has: value, bad date or thread id, pure NOT, over a
  // limit) is kInvalidArgument with a message saying what is wrong; never
  // throws. The caller includes <xapian.h> to use the result.
  model::Result<Xapian::Query> parse(std::string_view text, const AccessScope& scope);

  // As above, stemmed words joined by their forms found in `vocabulary` (the
  // index that will run the query). Also kBusy when Xapian reports the
  // vocabulary modified during the scan: refresh it and parse again.
  model::Result<Xapian::Query> parse(std::string_view text, const AccessScope& scope,
                                     const Xapian::Database& vocabulary);

  // As above without a reader: list: values are taken as they are.
  model::Result<Xapian::Query> parse(std::string_view text);

  // describe(parse(text)), for tests, logs and `folio search --explain`.
  model::Result<std::string> explain(std::string_view text);

  const QueryLimits& limits() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A canonical, printable form of `query` (Xapian's get_description()),
// e.g. "Query((Zcafe@1 AND_NOT Zbar@2))". The string oracle in tests.
std::string describe(const Xapian::Query& query);

}  // namespace folio::query
