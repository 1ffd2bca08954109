// handlers.h: the endpoints that read the index, as functions of a request and a per-request context.
#pragma once

#include <cstddef>
#include <string>

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
  std::size_t mbox_max_messages = 1000;      // per /search.mbox response
  std::size_t mbox_max_bytes = 32u << 20;    // raw bytes per /search.mbox response
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
// GET /api/v1/search.mbox: mboxrd of the matches' raw messages (date order by default).
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
