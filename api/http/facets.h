// facets.h: counts of a search's matches per list and per year, within the reader's scope.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "index/model/result.h"
#include "query/access_scope.h"
#include "query/search_types.h"
#include "query/searcher.h"

namespace folio::api::http {

struct Facets {
  std::vector<std::pair<std::string, std::uint64_t>> lists;  // visible lists with matches, by name
  std::vector<std::pair<int, std::uint64_t>> years;          // years with matches, newest first
};

// The facets of `request` (its query and list; paging, sort and collapse
// ignored: documents are counted) within `scope`. Only lists in the scope
// appear, and each count is of documents the reader may see, so a hidden
// list shows neither its name nor its share. Errors as Searcher::count.
//
// Computed with exact counts through Searcher (one per visible list, one
// per year from the newest match back until every match is counted, at
// most 60 years): correct, but slower than a match spy would be.
model::Result<Facets> count_facets(query::Searcher& searcher, const query::SearchRequest& request,
                                   const query::AccessScope& scope);

// `query` restricted by the filter `filter` ("list:x", "date:2015"), in the
// query language. Exposed for tests.
std::string with_filter(const std::string& query, const std::string& filter);

}  // namespace folio::api::http
