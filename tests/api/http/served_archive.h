// served_archive.h: a real imported archive with public and hidden lists, served by the real Server on 127.0.0.1.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/http/server.h"
#include "tests/api/http/http_client.h"
#include "tests/support/archive_fixture.h"

namespace folio::testing {

namespace http = folio::api::http;

inline constexpr const char* kJwtSecret = "test-secret-of-the-portal";

// Lists: pub (public), pro (tier:pro), core (group:core), closed (no grants).
// Messages (the word "alpha" is in all of them):
//   pub1@x  pub   2015  "Public release notes"          thread root
//   pub2@x  pub   2016  reply to pub1@x
//   core2@x core  2016  reply to pub1@x (a hidden message in a public thread)
//   core1@x core  2014  "Core secret plan", the word zanzibarword
//   cross1@x pub+core 2017 (cross-posted: visible through pub)
//   pro1@x  pro   2013  the word tierword
//   closed1@x closed 2012 the word closedword
// Nothing public mentions "core", "zanzibar", "tierword" or "closedword".
class ServedArchive {
 public:
  // Imports the messages and starts a server on an ephemeral port.
  ServedArchive();
  ~ServedArchive();

  // Starts another server over the same home with `options` (port, home
  // and secret filled in), replacing the first.
  void restart(http::ServerOptions options);

  std::uint16_t port() const { return server_->port(); }
  http::Server& server() { return *server_; }
  const ArchiveFixture& archive() const { return archive_; }

  HttpReply get(const std::string& target, const std::string& token = "") const {
    return http_get_as(port(), target, token);
  }

  // Server options as the fixture uses them.
  http::ServerOptions options() const;

 private:
  ArchiveFixture archive_;
  std::unique_ptr<http::Server> server_;
};

// An HS256 token with `grants`, expiring `exp_in` seconds from now (negative:
// already expired; 0: no exp claim), with nbf `nbf_in` seconds from now when given, signed
// with `secret`.
std::string make_token(const std::vector<std::string>& grants, long exp_in = 3600,
                       std::optional<long> nbf_in = std::nullopt, const std::string& secret = kJwtSecret);

// An unsigned token (alg "none") with `grants`, built by hand.
std::string alg_none_token(const std::vector<std::string>& grants);

// The body with its "took_ms" and "cached" members removed (to compare answers).
std::string without_timing(const std::string& body);

}  // namespace folio::testing
