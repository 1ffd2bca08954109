// handlers.h: the endpoints that read the index, as functions of a request and a per-request context.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "api/http/http_types.h"
#include "api/http/raw_store.h"
#include "index/config.h"
#include "query/access_scope.h"
#include "query/query_parser.h"
#include "query/result_cache.h"
#include "query/searcher.h"

namespace folio::api::http {

// Bounds of the export endpoints.
struct ExportLimits {
  std::size_t mbox_max_messages = 10000;  // per /search.mbox response (its largest `limit`)
  std::size_t atom_max_entries = 100;
};

// What a handler may use. Built per request on a worker thread: the
// searcher and parser belong to that thread; the config snapshot, scope and
// version are this request's.
struct HandlerContext {
  const index::Config& config;
  const query::AccessScope& scope;
  query::Searcher& searcher;
  query::QueryParser& parser;
  query::IndexVersion version;
  query::ResultCache& cache;
  RawStore& raw;
  const ExportLimits& limits;
  const std::vector<std::string>& grants;  // the reader's, as authenticated
};

// A response body made piece by piece (Response::stream), so that a large
// export never sits in memory whole and never holds a worker while the
// client reads: the server asks for one piece at a time, each on whichever
// worker is free, and sends it before asking for the next.
class BodyStream {
 public:
  explicit BodyStream(std::vector<std::string> grants) : grants_(std::move(grants)) {}
  virtual ~BodyStream() = default;

  // The reader's grants. Each piece is made with the AccessScope they give
  // under the config current at that moment (ctx.scope), so a list hidden
  // while the body is being sent is hidden from then on.
  const std::vector<std::string>& grants() const { return grants_; }

  // Appends the next piece (possibly empty) to `out`; false when the body is
  // complete and nothing was appended. An error cuts the body short (the
  // connection is closed without ending it). Called on a worker thread, never
  // twice at once.
  virtual model::Result<bool> next(HandlerContext& ctx, std::string& out) = 0;

 private:
  std::vector<std::string> grants_;
};

// GET /api/v1/search: {"took_ms","cached", search_page_json fields}: "facets"
// is null with facets=0; "suggestion" is a corrected query or null.
Response handle_search(const Request& request, HandlerContext& ctx);
// GET /api/v1/messages/{id}: message_json. Missing or hidden: not_found_response().
Response handle_message(const std::string& id, HandlerContext& ctx);
// GET /api/v1/messages/{id}/raw: the original bytes, message/rfc822.
Response handle_raw(const std::string& id, HandlerContext& ctx);
// GET /api/v1/threads/{id}: thread_json; id is a thread id (16 hex digits) or a Message-ID.
Response handle_thread(const std::string& id, HandlerContext& ctx);
// GET /api/v1/lists: {"lists":[list_json...]} of the visible lists, in config order.
Response handle_lists(HandlerContext& ctx);
// GET /api/v1/search.mbox: mboxrd of the matches' raw messages (date order by
// default), at most limits.mbox_max_messages, as a BodyStream: parameters and
// the query are checked (and the first page found) before the answer starts.
Response handle_mbox(const Request& request, HandlerContext& ctx);
// GET /api/v1/search.atom: an Atom feed of the newest matches.
Response handle_atom(const Request& request, HandlerContext& ctx);

// The OpenAPI 3 document of the service.
const std::string& openapi_document();

// The canonical form of `query` for cache keys: Xapian's description of
// the parsed query. Errors as QueryParser::parse (kInvalidArgument).
model::Result<std::string> canonical_query(query::QueryParser& parser, const std::string& query,
                                           const query::AccessScope& scope);

}  // namespace folio::api::http
