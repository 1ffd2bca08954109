// search_params.cc: parameter checking for /search, /search.mbox and /search.atom.
#include "api/http/search_params.h"

#include <algorithm>
#include <charconv>
#include <map>

namespace folio::api::http {

using model::Code;
using model::Err;
using model::Result;

namespace {

Result<std::size_t> number(const std::string& name, const std::string& value, std::size_t max) {
  std::size_t n = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (ec != std::errc() || end != value.data() + value.size() || value.empty()) {
    return Err(Code::kInvalidArgument, name + " must be a non-negative integer");
  }
  if (n > max) return Err(Code::kInvalidArgument, name + " must be at most " + std::to_string(max));
  return n;
}

Result<std::map<std::string, std::string>> known_params(const Params& params) {
  static const char* const kKnown[] = {"q", "list", "sort", "offset", "limit", "collapse", "facets"};
  std::map<std::string, std::string> out;
  for (const auto& [k, v] : params) {
    if (std::find(std::begin(kKnown), std::end(kKnown), k) == std::end(kKnown)) continue;
    if (!out.emplace(k, v).second) return Err(Code::kInvalidArgument, "parameter " + k + " is repeated");
  }
  return out;
}

model::Status apply_choices(const std::map<std::string, std::string>& p, SearchParams& out) {
  if (auto it = p.find("sort"); it != p.end()) {
    if (it->second == "date") {
      out.request.sort = query::SearchRequest::Sort::kDate;
    } else if (it->second == "relevance") {
      out.request.sort = query::SearchRequest::Sort::kRelevance;
    } else {
      return Err(Code::kInvalidArgument, "sort must be relevance or date");
    }
  }
  if (auto it = p.find("collapse"); it != p.end()) {
    if (it->second != "thread" && !it->second.empty()) return Err(Code::kInvalidArgument, "collapse must be thread");
    out.request.collapse_thread = it->second == "thread";
  }
  if (auto it = p.find("facets"); it != p.end()) {
    const std::string& v = it->second;
    if (v != "0" && v != "1" && v != "true" && v != "false") {
      return Err(Code::kInvalidArgument, "facets must be 0, 1, true or false");
    }
    out.facets = v == "1" || v == "true";
  }
  return model::Ok();
}

}  // namespace

Result<SearchParams> parse_search_params(const Params& params, const ParamLimits& limits) {
  auto p = known_params(params);
  if (!p.ok()) return p.error();
  SearchParams out;
  out.request.sort = limits.default_sort;
  out.request.limit = limits.default_limit;
  if (auto it = p->find("q"); it != p->end()) {
    if (it->second.size() > limits.max_query_bytes) {
      return Err(Code::kInvalidArgument, "q is longer than " + std::to_string(limits.max_query_bytes) + " bytes");
    }
    out.request.query = it->second;
  }
  if (auto it = p->find("list"); it != p->end()) out.request.list = it->second;
  if (auto it = p->find("offset"); it != p->end()) {
    auto n = number("offset", it->second, limits.max_offset);
    if (!n.ok()) return n.error();
    out.request.offset = *n;
  }
  if (auto it = p->find("limit"); it != p->end()) {
    auto n = number("limit", it->second, limits.max_limit);
    if (!n.ok()) return n.error();
    out.request.limit = *n;
  }
  FOLIO_TRY(apply_choices(*p, out));
  return out;
}

ParamLimits param_limits(const index::SearchSettings& settings, std::size_t max_limit,
                         std::size_t default_limit) {
  ParamLimits l;
  l.max_query_bytes = settings.max_query_bytes;
  l.max_offset = settings.max_offset;
  l.max_limit = std::min(max_limit, settings.max_page_size);
  l.default_limit = std::min(default_limit, l.max_limit);
  return l;
}

}  // namespace folio::api::http
