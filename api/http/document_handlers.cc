// document_handlers.cc: GET messages/{id}, messages/{id}/raw, threads/{id} and lists.
#include <boost/json.hpp>

#include "api/http/handlers.h"
#include "api/json.h"
#include "index/schema.h"

namespace folio::api::http {

namespace json = boost::json;
using model::Code;

namespace {

// Not found and hidden answer the same bytes; other errors keep their status.
Response lookup_error(const model::Error& e) {
  if (e.code == Code::kNotFound) return not_found_response();
  return error_response(e);
}

Response json_response(const json::object& o) {
  Response r;
  r.body = json::serialize(o);
  return r;
}

}  // namespace

Response handle_message(const std::string& id, HandlerContext& ctx) {
  auto view = ctx.searcher.message(id, ctx.scope);
  if (!view.ok()) return lookup_error(view.error());
  return json_response(message_json(*view));
}

Response handle_raw(const std::string& id, HandlerContext& ctx) {
  auto view = ctx.searcher.message(id, ctx.scope);
  if (!view.ok()) return lookup_error(view.error());
  auto bytes = ctx.raw.raw(view->docid);
  if (!bytes.ok()) return lookup_error(bytes.error());
  Response r;
  r.content_type = "message/rfc822";
  r.body = std::move(bytes.value());
  return r;
}

// A thread id handed out before its thread merged into another finds the
// merged thread (its "id" is the new one). Nothing is revealed: the merged
// thread answers only with what the reader may see, else the same 404.
Response handle_thread(const std::string& id, HandlerContext& ctx) {
  std::uint64_t label = 0;
  bool by_label = index::parse_thread_label(id, label);
  auto view = by_label ? ctx.searcher.thread_by_label(id, ctx.scope) : ctx.searcher.thread(id, ctx.scope);
  if (by_label && !view.ok() && view.error().code == Code::kNotFound && !ctx.scope.empty()) {
    auto merged = ctx.raw.current_thread(label, ctx.version);
    if (merged.ok() && merged.value() != label) {
      view = ctx.searcher.thread_by_label(index::thread_label(merged.value()), ctx.scope);
    }
  }
  if (!view.ok()) return lookup_error(view.error());
  return json_response(thread_json(*view));
}

Response handle_lists(HandlerContext& ctx) {
  // Titles come from the config, so they are part of the key.
  json::array titles{"lists"};
  for (const auto& list : ctx.config.lists) {
    if (ctx.scope.visible(list.name)) titles.push_back(json::array{list.name, list.title});
  }
  query::CacheKey key{json::serialize(titles), ctx.scope.key(), ctx.version};
  auto answer = ctx.cache.get_or_compute(key.str(), [&]() -> model::Result<std::string> {
    json::array lists;
    for (const auto& list : ctx.config.lists) {
      if (!ctx.scope.visible(list.name)) continue;
      query::SearchRequest r;
      r.list = list.name;
      r.limit = 0;
      auto n = ctx.searcher.count(r, ctx.scope);
      if (!n.ok()) return n.error();
      lists.push_back(list_json(list, *n));
    }
    return json::serialize(json::object{{"lists", lists}});
  });
  if (!answer.ok()) return error_response(answer.error());
  Response r;
  r.body = *answer->value;
  return r;
}

}  // namespace folio::api::http
