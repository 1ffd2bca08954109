// openapi.cc: the OpenAPI 3 document served at /api/v1/openapi.json.
#include <boost/json.hpp>

#include "api/http/handlers.h"

namespace folio::api::http {

namespace {

constexpr const char* kDocument = R"json({
 "openapi": "3.0.3",
 "info": {"title": "folio", "version": "1",
   "description": "Full-text search of mailing-list archives. Every answer is limited to the lists the reader may see: anonymous readers hold the grant 'public'; a Bearer JWT (HS256) adds the grants of its 'grants' claim. Hidden and missing things answer the same 404."},
 "components": {
   "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
   "parameters": {
     "q": {"name": "q", "in": "query", "schema": {"type": "string"}, "description": "folio query language; empty = every message"},
     "list": {"name": "list", "in": "query", "schema": {"type": "string"}},
     "sort": {"name": "sort", "in": "query", "schema": {"type": "string", "enum": ["relevance", "date"]}},
     "offset": {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": 10000}},
     "id": {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}, "description": "Message-ID without <>, percent-encoded"}
   },
   "schemas": {
     "Error": {"type": "object", "properties": {"error": {"type": "object", "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}}},
     "Address": {"type": "object", "properties": {"name": {"type": "string"}, "addr": {"type": "string"}}},
     "Hit": {"type": "object", "properties": {"id": {"type": "string"}, "lists": {"type": "array", "items": {"type": "string"}}, "subject": {"type": "string"}, "from": {"$ref": "#/components/schemas/Address"}, "date": {"type": "string"}, "thread": {"type": "string"}, "snippet": {"type": "string", "description": "safe HTML with <mark>"}}},
     "SearchPage": {"type": "object", "properties": {"took_ms": {"type": "number"}, "cached": {"type": "boolean"}, "total": {"type": "integer"}, "exact": {"type": "boolean"}, "offset": {"type": "integer"}, "limit": {"type": "integer"}, "hits": {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}}, "facets": {"nullable": true, "type": "object", "description": "matching messages per visible list (a cross-post counts once for each visible list it is on) and per year (newest first), counted in the same match as the page; null with facets=0", "properties": {"lists": {"type": "array", "items": {"type": "object", "properties": {"list": {"type": "string"}, "count": {"type": "integer"}}}}, "years": {"type": "array", "items": {"type": "object", "properties": {"year": {"type": "integer"}, "count": {"type": "integer"}}}}, "exact": {"type": "boolean", "description": "true: every match was counted; false: there were more matches than search.max_facet_matches, and each count covers only the matches examined (a lower bound)"}}}, "suggestion": {"nullable": true, "type": "string", "description": "when the query has few visible matches: the query with misspelt words corrected, which has more visible matches; built only from words found in lists the reader may see"}}}
   },
   "responses": {
     "Error": {"description": "error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
   }
 },
 "security": [{}, {"bearer": []}],
 "paths": {
   "/api/v1/search": {"get": {"summary": "Search", "parameters": [{"$ref": "#/components/parameters/q"}, {"$ref": "#/components/parameters/list"}, {"$ref": "#/components/parameters/sort"}, {"$ref": "#/components/parameters/offset"},
       {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": 100}},
       {"name": "collapse", "in": "query", "schema": {"type": "string", "enum": ["thread"]}},
       {"name": "facets", "in": "query", "schema": {"type": "string", "enum": ["0", "1", "true", "false"]}}],
     "responses": {"200": {"description": "a page of results", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SearchPage"}}}}, "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "503": {"$ref": "#/components/responses/Error"}}}},
   "/api/v1/search.mbox": {"get": {"summary": "Matching messages as mboxrd, newest first, streamed (Transfer-Encoding: chunked); at most max_export_messages ([serve], default 10000). A body cut short (timeout, time limit) lacks its final chunk.", "parameters": [{"$ref": "#/components/parameters/q"}, {"$ref": "#/components/parameters/list"}, {"$ref": "#/components/parameters/sort"}, {"$ref": "#/components/parameters/offset"}, {"name": "limit", "in": "query", "description": "messages; default and maximum: max_export_messages", "schema": {"type": "integer", "minimum": 0, "maximum": 10000}}],
     "responses": {"200": {"description": "mboxrd", "content": {"application/mbox": {}}}, "400": {"$ref": "#/components/responses/Error"}}}},
   "/api/v1/search.atom": {"get": {"summary": "Newest matching messages as an Atom feed", "parameters": [{"$ref": "#/components/parameters/q"}, {"$ref": "#/components/parameters/list"}, {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": 100}}],
     "responses": {"200": {"description": "Atom", "content": {"application/atom+xml": {}}}, "400": {"$ref": "#/components/responses/Error"}}}},
   "/api/v1/messages/{id}": {"get": {"summary": "One message: headers, text, attachment names", "parameters": [{"$ref": "#/components/parameters/id"}], "responses": {"200": {"description": "the message"}, "404": {"$ref": "#/components/responses/Error"}}}},
   "/api/v1/messages/{id}/raw": {"get": {"summary": "The original bytes", "parameters": [{"$ref": "#/components/parameters/id"}], "responses": {"200": {"description": "the message", "content": {"message/rfc822": {}}}, "404": {"$ref": "#/components/responses/Error"}}}},
   "/api/v1/threads/{id}": {"get": {"summary": "A thread tree, by thread id (16 hex digits; an id whose thread merged into another answers that thread) or by a member's Message-ID", "parameters": [{"$ref": "#/components/parameters/id"}], "responses": {"200": {"description": "the visible messages of the thread"}, "404": {"$ref": "#/components/responses/Error"}}}},
   "/api/v1/lists": {"get": {"summary": "The lists the reader may see, with message counts", "responses": {"200": {"description": "lists"}}}},
   "/api/v1/openapi.json": {"get": {"summary": "This document", "responses": {"200": {"description": "OpenAPI 3"}}}},
   "/healthz": {"get": {"summary": "The process answers", "responses": {"200": {"description": "ok"}}}},
   "/readyz": {"get": {"summary": "The index is open", "responses": {"200": {"description": "ready"}, "503": {"$ref": "#/components/responses/Error"}}}},
   "/metrics": {"get": {"summary": "Prometheus metrics", "responses": {"200": {"description": "text/plain; version=0.0.4"}}}}
 }
})json";

}  // namespace

const std::string& openapi_document() {
  // Parsed once so that a typo in the text above fails loudly in the tests.
  static const std::string doc = boost::json::serialize(boost::json::parse(kDocument));
  return doc;
}

}  // namespace folio::api::http
