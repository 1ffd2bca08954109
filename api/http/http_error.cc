// http_error.cc: error bodies and the one table from Error::Code to HTTP status.
#include <boost/json.hpp>

#include "api/http/http_types.h"

namespace folio::api::http {

using model::Code;

Response error_response(unsigned status, std::string_view code, std::string_view message) {
  boost::json::object error{{"code", code}, {"message", message}};
  Response r;
  r.status = status;
  r.body = boost::json::serialize(boost::json::object{{"error", std::move(error)}});
  return r;
}

Response error_response(const model::Error& error) {
  switch (error.code) {
    case Code::kInvalidArgument:
      return error_response(400, "bad_request", error.message);
    case Code::kNotFound:
      return error_response(404, "not_found", error.message);
    case Code::kTooLarge:
      return error_response(413, "too_large", error.message);
    case Code::kBusy:
      return overloaded_response(503, error.message);
    default:
      return error_response(500, "internal", error.message);
  }
}

Response not_found_response() { return error_response(404, "not_found", "not found"); }

Response overloaded_response(unsigned status, std::string_view message) {
  Response r = error_response(status, status == 429 ? "too_many_requests" : "unavailable", message);
  r.headers.emplace_back("Retry-After", "1");
  return r;
}

}  // namespace folio::api::http
