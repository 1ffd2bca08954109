// http_types.h: Request and Response as the handlers see them (no Beast), and the JSON error body.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "index/model/result.h"

namespace folio::api::http {

// A parsed request. Path segments and parameters are percent-decoded
// ('+' in the query string is a space).
struct Request {
  std::string method;                                        // "GET", "HEAD", ...
  std::string target;                                        // as received
  std::vector<std::string> segments;                         // "/api/v1/search" -> {"api","v1","search"}
  std::vector<std::pair<std::string, std::string>> params;   // in order, repeats kept
  std::string authorization;                                 // the Authorization header, "" if absent
};

class BodyStream;  // handlers.h

// A response: complete in `body`, or, when `stream` is set, with the body
// sent in pieces (chunked) as the stream makes them, `body` unused.
struct Response {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers (Retry-After, ...)
  std::shared_ptr<BodyStream> stream;
};

// {"error":{"code":<code>,"message":<message>}} with `status`. `code` is a
// stable machine-readable word ("bad_request", "not_found", ...).
Response error_response(unsigned status, std::string_view code, std::string_view message);

// The response for an Error from below: kInvalidArgument -> 400,
// kNotFound -> 404, kTooLarge -> 413, kBusy -> 503 with Retry-After,
// anything else -> 500 (the message is kept: it names no hidden data, as
// the layers below never put hidden content in error messages).
Response error_response(const model::Error& error);

// The 404 for a message or thread that is missing or hidden: one body for both.
Response not_found_response();

// 503 or 429 with Retry-After: 1.
Response overloaded_response(unsigned status, std::string_view message);

}  // namespace folio::api::http
