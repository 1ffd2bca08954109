// request_target.cc: request-target parsing with Boost.URL.
#include "api/http/request_target.h"

#include <boost/url.hpp>

namespace folio::api::http {

namespace urls = boost::urls;

model::Result<Target> parse_target(std::string_view target) {
  auto parsed = urls::parse_origin_form(target);
  if (!parsed) return model::Err(model::Code::kInvalidArgument, "bad request target");
  const urls::url_view& u = *parsed;
  Target out;
  for (auto seg : u.segments()) out.segments.push_back(seg);
  if (!out.segments.empty() && out.segments.back().empty()) out.segments.pop_back();
  urls::encoding_opts opts;
  opts.space_as_plus = true;
  for (auto p : u.params(opts)) out.params.emplace_back(p.key, p.has_value ? p.value : std::string());
  return out;
}

std::string encode_segment(std::string_view s) {
  return urls::encode(s, urls::pchars);
}

}  // namespace folio::api::http
