// search_handler.cc: GET /api/v1/search: parameters -> cached (page + facets + suggestion) JSON.
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>

#include "api/http/handlers.h"
#include "api/http/search_params.h"
#include "api/json.h"

namespace folio::api::http {

namespace json = boost::json;
using model::Result;

namespace {

std::string sort_name(query::SearchRequest::Sort s) {
  return s == query::SearchRequest::Sort::kDate ? "date" : "relevance";
}

// The canonical request: endpoint and normalised parameters, unambiguous.
std::string canonical_request(const std::string& query, const SearchParams& p) {
  const auto& r = p.request;
  json::array a{"search", query, r.list, sort_name(r.sort), r.offset, r.limit, r.collapse_thread, p.facets};
  return json::serialize(a);
}

// The page, facets and suggestion as JSON text, without the per-response fields.
Result<std::string> compute(const SearchParams& p, HandlerContext& ctx) {
  query::SearchRequest request = p.request;
  request.facets = p.facets;
  request.suggest = true;
  auto page = ctx.searcher.search(request, ctx.scope);
  if (!page.ok()) return page.error();
  return json::serialize(search_page_json(*page));
}

// {"took_ms":..,"cached":..,<cached object's members>}; took_ms to the microsecond.
std::string with_timing(const std::string& cached_json, double took_ms, bool cached) {
  char head[64];
  std::snprintf(head, sizeof head, "{\"took_ms\":%.3f,\"cached\":%s", took_ms, cached ? "true" : "false");
  std::string h = head;
  if (cached_json.size() > 2) h += ',';
  h.append(cached_json, 1, std::string::npos);
  return h;
}

}  // namespace

Result<std::string> canonical_query(query::QueryParser& parser, const std::string& q,
                                    const query::AccessScope&) {
  // Equal descriptions mean equal parses; the scope is a separate part of
  // every cache key, so it need not enter the description.
  return parser.explain(q);
}

Response handle_search(const Request& request, HandlerContext& ctx) {
  auto start = std::chrono::steady_clock::now();
  auto params = parse_search_params(request.params, param_limits(ctx.config.search, 100, 20));
  if (!params.ok()) return error_response(params.error());
  auto canon = canonical_query(ctx.parser, params->request.query, ctx.scope);
  if (!canon.ok()) return error_response(canon.error());
  query::CacheKey key{canonical_request(*canon, *params), ctx.scope.key(), ctx.version};
  auto answer = ctx.cache.get_or_compute(key.str(), [&] { return compute(*params, ctx); });
  if (!answer.ok()) return error_response(answer.error());
  double took = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  Response r;
  r.body = with_timing(*answer->value, took, answer->cached);
  return r;
}

}  // namespace folio::api::http
