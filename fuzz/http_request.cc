// http_request.cc: libFuzzer harness for the HTTP request path without sockets: Beast's request
// parser over raw bytes, then what Service::dispatch and the search handler do with the request
// (method check, target, route, JWT, search parameters, the query with its facet filters).
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http.hpp>
#include <cstddef>
#include <cstdint>
#include <string>

#ifndef XAPIAN_MOVE_SEMANTICS
#define XAPIAN_MOVE_SEMANTICS
#endif
#include <xapian.h>

#include "api/http/auth.h"
#include "api/http/http_types.h"
#include "api/http/request_target.h"
#include "api/http/router.h"
#include "api/http/search_params.h"
#include "fuzz/fuzz_util.h"
#include "query/access_scope.h"
#include "query/query_parser.h"

namespace {

namespace bhttp = boost::beast::http;
using folio::fuzz::check;
namespace fh = folio::api::http;

constexpr std::int64_t kNow = 1'800'000'000;
constexpr std::string_view kSecret = "fuzz-secret-0123456789abcdef";

std::string base64url(std::string_view in) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (unsigned char c : in) {
    acc = (acc << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kAlphabet[(acc >> bits) & 0x3F]);
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(acc << (6 - bits)) & 0x3F]);
  return out;
}

// "Bearer <header>.<claims>.<HS256 signature>", correctly signed, so that
// the fuzzer reaches the claim checks behind the signature check.
std::string signed_bearer(std::string_view header_json, std::string_view claims_json) {
  std::string signing_input = base64url(header_json) + "." + base64url(claims_json);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  HMAC(EVP_sha256(), kSecret.data(), static_cast<int>(kSecret.size()),
       reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size(), mac, &mac_len);
  return "Bearer " + signing_input + "." +
         base64url(std::string_view(reinterpret_cast<const char*>(mac), mac_len));
}

// The request as Session::to_request builds it, or nothing when Beast refuses the bytes.
bool parse_http(std::string_view bytes, fh::Request& out) {
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(8 * 1024);
  parser.body_limit(64 * 1024);
  parser.eager(true);
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(bytes.data(), bytes.size()), ec);
  if (!ec && !parser.is_done()) parser.put_eof(ec);
  if (ec || !parser.is_header_done()) return false;
  const auto& req = parser.get();
  out.method = std::string(req.method_string());
  out.target = std::string(req.target());
  if (auto it = req.find(bhttp::field::authorization); it != req.end()) out.authorization = std::string(it->value());
  return true;
}

// What Service::dispatch and handle_search do before touching the index.
void serve(fh::Request request) {
  static const fh::Authenticator auth{std::string(kSecret)};
  static folio::query::QueryParser parser(folio::query::QueryLimits{});
  static const auto scope = folio::query::AccessScope::for_lists({"r-devel", "public-list"});
  (void)fh::allowed_method(request.method);
  auto target = fh::parse_target(request.target);
  if (!target.ok()) {
    check(target.error().code == folio::model::Code::kInvalidArgument, "a bad target is kInvalidArgument");
    return;
  }
  for (const auto& s : target->segments) (void)fh::encode_segment(s);
  auto route = fh::route(target->segments);
  (void)fh::runs_inline(route.endpoint);
  auto grants = auth.grants(request.authorization, kNow);
  if (!grants.ok()) check(grants.error().code == folio::model::Code::kInvalidArgument, "a refused token is kInvalidArgument");
  auto params = fh::parse_search_params(target->params, fh::param_limits(folio::index::SearchSettings{}, 100, 20));
  if (!params.ok()) return;
  const auto& req = params->request;
  check(req.offset <= 10000 && req.limit <= 100, "paging within its bounds");
  auto q = parser.explain(req.query);
  if (!q.ok()) return;
  (void)parser.parse(req.query, scope);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  auto input = folio::fuzz::as_view(data + 1, size - 1);
  fh::Request request;
  switch (data[0] % 3) {
    case 0:  // a whole HTTP/1.1 request, as read from the socket
      if (!parse_http(input, request)) return 0;
      break;
    case 1: {  // target NUL authorization
      auto f = folio::fuzz::split_fields(input, 2);
      request.method = "GET";
      request.target = std::string(f[0]);
      if (f.size() > 1) request.authorization = std::string(f[1]);
      break;
    }
    default: {  // target NUL jwt-header NUL claims: a token signed with the right key
      auto f = folio::fuzz::split_fields(input, 3);
      request.method = "GET";
      request.target = std::string(f[0]);
      std::string_view header = f.size() > 2 ? f[1] : R"({"alg":"HS256","typ":"JWT"})";
      request.authorization = signed_bearer(header, f.back());
      break;
    }
  }
  serve(std::move(request));
  return 0;
}
