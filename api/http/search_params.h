// search_params.h: query-string parameters of the search endpoints -> a checked SearchRequest.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "index/config.h"
#include "index/model/result.h"
#include "query/search_types.h"

namespace folio::api::http {

using Params = std::vector<std::pair<std::string, std::string>>;

// Bounds of one endpoint's parameters.
struct ParamLimits {
  std::size_t max_query_bytes = 4096;
  std::size_t max_offset = 10000;
  std::size_t max_limit = 100;
  std::size_t default_limit = 20;
  query::SearchRequest::Sort default_sort = query::SearchRequest::Sort::kRelevance;
};

struct SearchParams {
  query::SearchRequest request;
  bool facets = true;  // facets=0|false turns them off
};

// Reads q, list, sort (relevance|date), offset, limit, collapse (thread),
// facets. Unknown parameters are ignored. kInvalidArgument, naming the
// parameter, for a repeated parameter, a non-number, a value over its
// bound or an unknown sort or collapse value.
model::Result<SearchParams> parse_search_params(const Params& params, const ParamLimits& limits);

// The ParamLimits of the config's search settings, with the page size
// capped at `max_limit`.
ParamLimits param_limits(const index::SearchSettings& settings, std::size_t max_limit,
                         std::size_t default_limit);

}  // namespace folio::api::http
