// request_target.h: splitting an HTTP request-target into decoded path segments and parameters.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "index/model/result.h"

namespace folio::api::http {

struct Target {
  std::vector<std::string> segments;
  std::vector<std::pair<std::string, std::string>> params;
};

// Parses an origin-form target ("/api/v1/search?q=a+b"). kInvalidArgument
// when it is not one (absolute form, bad percent escapes, ...). An empty
// trailing segment ("/api/v1/lists/") is dropped.
model::Result<Target> parse_target(std::string_view target);

// Percent-encodes `s` for use as one path segment.
std::string encode_segment(std::string_view s);

}  // namespace folio::api::http
