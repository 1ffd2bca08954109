// export_handlers.cc: GET /api/v1/search.mbox and /api/v1/search.atom.
#include "api/http/export_format.h"
#include "api/http/handlers.h"
#include "api/http/request_target.h"
#include "api/http/search_params.h"

#include <algorithm>
#include <deque>
#include <unordered_set>

namespace folio::api::http {

using model::Result;

namespace {

constexpr std::size_t kPage = 100;            // hits fetched per search
constexpr std::size_t kPieceBytes = 64 << 10;  // a piece ends after the message that crosses this

// Parameters of an export: date order unless asked otherwise; no facets.
Result<SearchParams> export_params(const Request& request, const HandlerContext& ctx, std::size_t max,
                                   std::size_t fallback) {
  ParamLimits limits = param_limits(ctx.config.search, max, fallback);
  limits.max_limit = max;
  limits.default_limit = fallback;
  limits.default_sort = query::SearchRequest::Sort::kDate;
  return parse_search_params(request.params, limits);
}

// Hits to ask for when `wanted` messages are still to be sent.
std::size_t page_size(std::size_t wanted, const HandlerContext& ctx) {
  return std::min({kPage, std::max<std::size_t>(wanted, 1), ctx.config.search.max_page_size});
}

// Whether a message on `lists` may be shown to a reader with `scope`.
bool visible(const std::vector<std::string>& lists, const query::AccessScope& scope) {
  for (const auto& l : lists) {
    if (scope.visible(l)) return true;
  }
  return false;
}

// The mboxrd body of a search: pages of hits are fetched as they are needed,
// and each message's raw bytes are read from the store when its turn comes,
// so memory holds one page of docids and one piece of output. A hit is sent
// only when the store still holds it (not removed since) and one of its lists
// is visible both in the request's scope and in the scope the reader has now.
class MboxStream : public BodyStream {
 public:
  MboxStream(query::SearchRequest request, query::AccessScope scope, std::vector<std::string> grants)
      : BodyStream(std::move(grants)), request_(std::move(request)), scope_(std::move(scope)),
        remaining_(request_.limit) {}

  // Takes the first page (found while the request was checked).
  void start(const query::SearchPage& page, std::size_t asked) { take(page, asked); }

  Result<bool> next(HandlerContext& ctx, std::string& out) override {
    while (remaining_ > 0 && out.size() < kPieceBytes) {
      if (pending_.empty() && !exhausted_) FOLIO_TRY(fetch(ctx));
      if (pending_.empty()) break;
      index::DocId docid = pending_.front();
      pending_.pop_front();
      auto sent = append(ctx, docid, out);
      if (!sent.ok()) return sent.error();
      if (*sent) --remaining_;
    }
    return !out.empty();
  }

 private:
  // The next page of hits, from where the last one ended.
  model::Status fetch(HandlerContext& ctx) {
    query::SearchRequest r = request_;
    r.limit = page_size(remaining_, ctx);
    if (r.offset > ctx.config.search.max_offset) {
      exhausted_ = true;
      return model::Ok();
    }
    auto page = ctx.searcher.search(r, scope_);
    if (!page.ok()) return page.error();
    take(*page, r.limit);
    return model::Ok();
  }

  void take(const query::SearchPage& page, std::size_t asked) {
    // A commit between two pages may shift hits by a few places: none is sent twice.
    for (const auto& hit : page.hits) {
      if (seen_.insert(hit.docid).second) pending_.push_back(hit.docid);
    }
    request_.offset += page.hits.size();
    exhausted_ = page.hits.size() < asked;
  }

  // Appends the message if it may still be sent; whether it was.
  Result<bool> append(HandlerContext& ctx, index::DocId docid, std::string& out) {
    auto meta = ctx.raw.meta(docid);
    if (!meta.ok()) {
      if (meta.error().code == model::Code::kNotFound) return false;  // removed since the search
      return meta.error();
    }
    if (!visible(meta->lists, scope_) || !visible(meta->lists, ctx.scope)) return false;
    auto raw = ctx.raw.raw_uncached(docid);
    if (!raw.ok()) {
      if (raw.error().code == model::Code::kNotFound) return false;
      return raw.error();
    }
    append_mboxrd(out, *raw);
    return true;
  }

  query::SearchRequest request_;  // offset: where the next page starts
  query::AccessScope scope_;      // the request's
  std::size_t remaining_;         // messages still to send
  std::deque<index::DocId> pending_;
  std::unordered_set<index::DocId> seen_;  // at most mbox_max_messages + a page
  bool exhausted_ = false;
};

}  // namespace

Response handle_mbox(const Request& request, HandlerContext& ctx) {
  auto params = export_params(request, ctx, ctx.limits.mbox_max_messages, ctx.limits.mbox_max_messages);
  if (!params.ok()) return error_response(params.error());
  query::SearchRequest r = params->request;
  auto stream = std::make_shared<MboxStream>(r, ctx.scope, ctx.grants);
  r.limit = page_size(r.limit, ctx);
  auto first = ctx.searcher.search(r, ctx.scope);
  if (!first.ok()) return error_response(first.error());
  stream->start(*first, r.limit);
  Response resp;
  resp.content_type = "application/mbox";
  resp.headers.emplace_back("Content-Disposition", "attachment; filename=\"search.mbox\"");
  resp.stream = std::move(stream);
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
