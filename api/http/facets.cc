// facets.cc: facet counts through Searcher::count.
#include "api/http/facets.h"

#include <algorithm>
#include <ctime>

namespace folio::api::http {

using model::Result;

namespace {

constexpr int kMaxYears = 60;
constexpr int kFirstYear = 1970;

bool blank(const std::string& q) {
  return std::all_of(q.begin(), q.end(), [](char c) { return c == ' ' || c == '\t'; }) || q == "*";
}

int year_of(std::int64_t epoch) {
  std::time_t t = static_cast<std::time_t>(epoch);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm.tm_year + 1900;
}

// The request that counts documents of `base` (no paging, no collapse).
query::SearchRequest counting(const query::SearchRequest& base) {
  query::SearchRequest r = base;
  r.offset = 0;
  r.limit = 0;
  r.collapse_thread = false;
  return r;
}

Result<std::vector<std::pair<std::string, std::uint64_t>>> list_counts(
    query::Searcher& searcher, const query::SearchRequest& base, const query::AccessScope& scope) {
  std::vector<std::pair<std::string, std::uint64_t>> out;
  query::SearchRequest r = counting(base);
  if (!base.list.empty()) r.query = with_filter(base.query, "list:" + base.list);
  for (const auto& list : scope.lists()) {
    r.list = list;
    auto n = searcher.count(r, scope);
    if (!n.ok()) return n.error();
    if (*n > 0) out.emplace_back(list, *n);
  }
  return out;
}

Result<std::vector<std::pair<int, std::uint64_t>>> year_counts(
    query::Searcher& searcher, const query::SearchRequest& base, const query::AccessScope& scope) {
  std::vector<std::pair<int, std::uint64_t>> out;
  query::SearchRequest newest = counting(base);
  newest.sort = query::SearchRequest::Sort::kDate;
  newest.limit = 1;
  auto page = searcher.search(newest, scope);
  if (!page.ok()) return page.error();
  if (page->hits.empty()) return out;
  auto total = searcher.count(counting(base), scope);
  if (!total.ok()) return total.error();
  std::uint64_t remaining = *total;
  query::SearchRequest r = counting(base);
  int year = year_of(page->hits.front().date);
  for (int i = 0; remaining > 0 && i < kMaxYears && year >= kFirstYear; ++i, --year) {
    r.query = with_filter(base.query, "date:" + std::to_string(year));
    auto n = searcher.count(r, scope);
    if (!n.ok()) return n.error();
    if (*n == 0) continue;
    out.emplace_back(year, *n);
    remaining -= std::min(remaining, *n);
  }
  return out;
}

}  // namespace

std::string with_filter(const std::string& query, const std::string& filter) {
  if (blank(query)) return filter;
  std::string inner = query;
  // An unclosed phrase would swallow the filter.
  if (std::count(inner.begin(), inner.end(), '"') % 2 == 1) inner += '"';
  return "(" + inner + ") AND " + filter;
}

Result<Facets> count_facets(query::Searcher& searcher, const query::SearchRequest& request,
                            const query::AccessScope& scope) {
  Facets f;
  if (!request.list.empty() && !scope.visible(request.list)) return f;
  auto lists = list_counts(searcher, request, scope);
  if (!lists.ok()) return lists.error();
  f.lists = std::move(*lists);
  auto years = year_counts(searcher, request, scope);
  if (!years.ok()) return years.error();
  f.years = std::move(*years);
  return f;
}

}  // namespace folio::api::http
