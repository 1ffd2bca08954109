// access_filter.h: a query restricted to the reader's lists, and left alone when that keeps everything.
#pragma once

#ifndef XAPIAN_MOVE_SEMANTICS
#define XAPIAN_MOVE_SEMANTICS
#endif
#include <xapian.h>

#include <string>
#include <vector>

namespace folio::query::internal {

// The access filter of one database revision. A reader's query is
// filtered by an OR of its lists' terms. When every document of the index
// is on one of those lists (a public archive read by anyone), the filter
// keeps everything and only costs time (and turns exact term frequencies
// into estimates), so it is left out.
//
// Not thread-safe; one per Searcher, surveyed again whenever its database
// is opened or reopened.
class AccessFilter {
 public:
  // Reads the lists the index names (list terms) and whether every document
  // has a lists value (the indexer writes a document's list terms and its
  // lists value together). Throws Xapian errors.
  void survey(const Xapian::Database& db);

  // `query` restricted to documents on one of `lists` (sorted, as
  // AccessScope::lists() is), or `query` itself when that restriction
  // keeps every document of the surveyed revision.
  Xapian::Query apply(const Xapian::Query& query, const std::vector<std::string>& lists) const;

  // Whether apply() would leave a query over `lists` alone (for tests).
  bool keeps_everything(const std::vector<std::string>& lists) const;

 private:
  std::vector<std::string> index_lists_;  // sorted
  bool every_document_listed_ = false;
};

}  // namespace folio::query::internal
