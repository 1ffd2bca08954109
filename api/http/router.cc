// router.cc: the path table.
#include "api/http/router.h"

#include <string_view>

namespace folio::api::http {

namespace {

std::string bare_id(std::string id) {
  if (id.size() >= 2 && id.front() == '<' && id.back() == '>') id = id.substr(1, id.size() - 2);
  return id;
}

Route api_route(const std::vector<std::string>& s) {
  // s[0] == "api", s[1] == "v1"
  const std::size_t n = s.size();
  if (n == 3) {
    if (s[2] == "search") return {Endpoint::kSearch, {}};
    if (s[2] == "search.mbox") return {Endpoint::kMbox, {}};
    if (s[2] == "search.atom") return {Endpoint::kAtom, {}};
    if (s[2] == "lists") return {Endpoint::kLists, {}};
    if (s[2] == "openapi.json") return {Endpoint::kOpenApi, {}};
  }
  if (n == 4 && !s[3].empty()) {
    if (s[2] == "messages") return {Endpoint::kMessage, bare_id(s[3])};
    if (s[2] == "threads") return {Endpoint::kThread, bare_id(s[3])};
  }
  if (n == 5 && s[2] == "messages" && !s[3].empty() && s[4] == "raw") return {Endpoint::kRaw, bare_id(s[3])};
  return {};
}

}  // namespace

Route route(const std::vector<std::string>& s) {
  if (s.size() == 1) {
    if (s[0] == "healthz") return {Endpoint::kHealth, {}};
    if (s[0] == "readyz") return {Endpoint::kReady, {}};
    if (s[0] == "metrics") return {Endpoint::kMetrics, {}};
  }
  if (s.size() >= 3 && s[0] == "api" && s[1] == "v1") return api_route(s);
  return {};
}

bool allowed_method(const std::string& method) { return method == "GET" || method == "HEAD"; }

bool runs_inline(Endpoint e) {
  return e == Endpoint::kHealth || e == Endpoint::kReady || e == Endpoint::kMetrics ||
         e == Endpoint::kOpenApi || e == Endpoint::kOther;
}

}  // namespace folio::api::http
