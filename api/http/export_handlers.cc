// export_handlers.cc: GET /api/v1/search.mbox and /api/v1/search.atom.
#include "api/http/export_format.h"
#include "api/http/handlers.h"
#include "api/http/request_target.h"
#include "api/http/search_params.h"

namespace folio::api::http {

using model::Result;

namespace {

constexpr std::size_t kPage = 100;

// Parameters of an export: date order unless asked otherwise; no facets.
Result<SearchParams> export_params(const Request& request, const HandlerContext& ctx, std::size_t max,
                                   std::size_t fallback) {
  ParamLimits limits = param_limits(ctx.config.search, max, fallback);
  limits.max_limit = max;
  limits.default_limit = fallback;
  limits.default_sort = query::SearchRequest::Sort::kDate;
  return parse_search_params(request.params, limits);
}

// Appends the raw messages of one page; false when the byte bound is reached.
Result<bool> append_page(std::string& out, const query::SearchPage& page, HandlerContext& ctx) {
  for (const auto& hit : page.hits) {
    auto raw = ctx.raw.raw(hit.docid);
    if (!raw.ok()) {
      if (raw.error().code == model::Code::kNotFound) continue;  // removed since the search
      return raw.error();
    }
    if (out.size() + raw->size() > ctx.limits.mbox_max_bytes) return false;
    append_mboxrd(out, *raw);
  }
  return true;
}

}  // namespace

Response handle_mbox(const Request& request, HandlerContext& ctx) {
  auto params = export_params(request, ctx, ctx.limits.mbox_max_messages, ctx.limits.mbox_max_messages);
  if (!params.ok()) return error_response(params.error());
  query::SearchRequest r = params->request;
  std::size_t wanted = r.limit;
  std::string out;
  bool truncated = false;
  while (wanted > 0 && !truncated) {
    r.limit = std::min(kPage, wanted);
    if (r.offset > ctx.config.search.max_offset) break;
    auto page = ctx.searcher.search(r, ctx.scope);
    if (!page.ok()) return error_response(page.error());
    auto more = append_page(out, *page, ctx);
    if (!more.ok()) return error_response(more.error());
    truncated = !*more;
    if (page->hits.size() < r.limit) break;
    wanted -= page->hits.size();
    r.offset += page->hits.size();
  }
  Response resp;
  resp.content_type = "application/mbox";
  resp.body = std::move(out);
  resp.headers.emplace_back("Content-Disposition", "attachment; filename=\"search.mbox\"");
  if (truncated) resp.headers.emplace_back("X-Folio-Truncated", "bytes");
  return resp;
}

Response handle_atom(const Request& request, HandlerContext& ctx) {
  auto params = export_params(request, ctx, ctx.limits.atom_max_entries, 20);
  if (!params.ok()) return error_response(params.error());
  auto page = ctx.searcher.search(params->request, ctx.scope);
  if (!page.ok()) return error_response(page.error());
  const std::string& q = params->request.query;
  std::string title = "folio: " + (q.empty() ? std::string("newest messages") : q);
  std::string id = "tag:folio.invalid,2024:search/" + encode_segment(q) + "/" + encode_segment(params->request.list);
  Response resp;
  resp.content_type = "application/atom+xml";
  resp.body = atom_feed(title, id, page->hits);
  return resp;
}

}  // namespace folio::api::http
