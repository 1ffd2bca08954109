// auth.cc: HS256 JWT verification with libjwt; the only file that sees jwt.h.
#include "api/http/auth.h"

#include <jwt.h>

#include <boost/json.hpp>
#include <fstream>
#include <memory>
#include <sstream>

namespace folio::api::http {

using model::Code;
using model::Err;
using model::Result;

namespace {

constexpr std::size_t kMaxTokenBytes = 8192;

struct JwtFree {
  void operator()(jwt_t* j) const { jwt_free(j); }
};
using JwtPtr = std::unique_ptr<jwt_t, JwtFree>;

model::Error refused(const std::string& why) { return Err(Code::kInvalidArgument, why); }

// The token of "Bearer <token>" (scheme case-insensitive).
Result<std::string> bearer_token(std::string_view header) {
  constexpr std::string_view kScheme = "bearer ";
  if (header.size() <= kScheme.size()) return refused("expected a Bearer token");
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(header[i])) != kScheme[i]) {
      return refused("expected a Bearer token");
    }
  }
  std::string token(header.substr(kScheme.size()));
  while (!token.empty() && token.back() == ' ') token.pop_back();
  if (token.empty() || token.size() > kMaxTokenBytes) return refused("malformed token");
  return token;
}

// exp must exist and lie ahead; nbf, when present, must not.
model::Status check_times(jwt_t* jwt, std::int64_t now) {
  errno = 0;
  long exp = jwt_get_grant_int(jwt, "exp");
  if (errno != 0) return refused("token has no valid exp claim");
  if (now >= exp) return refused("token expired");
  errno = 0;
  long nbf = jwt_get_grant_int(jwt, "nbf");
  if (errno == 0 && now < nbf) return refused("token not yet valid");
  return model::Ok();
}

// The "grants" claim: absent -> none; else an array of strings.
Result<std::vector<std::string>> grants_claim(jwt_t* jwt) {
  std::unique_ptr<char, void (*)(void*)> text(jwt_get_grants_json(jwt, "grants"), ::free);
  if (!text) return std::vector<std::string>{};
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text.get(), ec);
  if (ec || !v.is_array()) return refused("grants claim is not an array of strings");
  std::vector<std::string> out;
  for (const auto& g : v.as_array()) {
    if (!g.is_string()) return refused("grants claim is not an array of strings");
    out.emplace_back(g.as_string());
  }
  return out;
}

}  // namespace

Result<std::string> read_jwt_secret(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Err(Code::kIOError, "cannot read the JWT secret file " + path.string());
  std::stringstream ss;
  ss << in.rdbuf();
  std::string secret = ss.str();
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
  if (secret.empty()) return Err(Code::kInvalidArgument, "the JWT secret file " + path.string() + " is empty");
  return secret;
}

Result<std::vector<std::string>> Authenticator::grants(std::string_view authorization,
                                                       std::int64_t now) const {
  if (authorization.empty()) return std::vector<std::string>{};
  auto token = bearer_token(authorization);
  if (!token.ok()) return token.error();
  if (secret_.empty()) return refused("tokens are not accepted by this server");
  jwt_t* raw = nullptr;
  int rc = jwt_decode(&raw, token->c_str(), reinterpret_cast<const unsigned char*>(secret_.data()),
                      static_cast<int>(secret_.size()));
  JwtPtr jwt(raw);
  if (rc != 0 || !jwt) return refused("invalid token");
  // Checked after decoding as well: only HS256 is ever accepted.
  if (jwt_get_alg(jwt.get()) != JWT_ALG_HS256) return refused("invalid token");
  FOLIO_TRY(check_times(jwt.get(), now));
  return grants_claim(jwt.get());
}

}  // namespace folio::api::http
