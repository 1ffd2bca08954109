// auth.h: Authenticator, request credentials (a Bearer JWT, HS256) -> the reader's grants.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "index/model/result.h"

namespace folio::api::http {

// Verifies the portal's tokens. A request without an Authorization header
// reads as anonymous (no grants beyond "public", which AccessScope adds).
// With `Authorization: Bearer <JWT>`, the token must be HS256-signed with
// the shared secret, carry an "exp" in the future and no "nbf" in the
// future; its "grants" claim (an array of strings, may be absent) are the
// reader's grants. Anything else is refused: another scheme, a malformed
// token, alg "none" or any other algorithm, a bad signature, a missing or
// past exp, a future nbf, a grants claim that is not an array of strings,
// or any token at all when no secret is configured.
//
// Immutable after construction; safe to share between threads. The JWT
// library (libjwt) is used only in auth.cc.
class Authenticator {
 public:
  // Tokens are refused when `secret` is empty.
  explicit Authenticator(std::string secret) : secret_(std::move(secret)) {}

  // The grants of the request whose Authorization header is
  // `authorization` ("" when absent), at time `now` (seconds since the
  // epoch). Every refusal is kInvalidArgument with a short reason (the
  // caller answers 401).
  model::Result<std::vector<std::string>> grants(std::string_view authorization, std::int64_t now) const;

  bool has_secret() const { return !secret_.empty(); }

 private:
  std::string secret_;
};

// Reads a shared secret from `path` (trailing newlines dropped). kIOError
// when unreadable; kInvalidArgument when empty.
model::Result<std::string> read_jwt_secret(const std::filesystem::path& path);

}  // namespace folio::api::http
