// serve.cc: `folio serve`: run the HTTP service until SIGTERM; SIGHUP reloads the config.
#include <csignal>
#include <iostream>

#include "api/cli/commands.h"
#include "api/cli/home_access.h"
#include "api/http/auth.h"
#include "api/http/server.h"

namespace folio::api::cli {

namespace {

using model::Code;
using model::Err;
using model::Result;

// "127.0.0.1:8080", "[::1]:8080" -> host and port.
model::Status parse_bind(const std::string& bind, http::ServerOptions& o) {
  std::size_t colon = bind.rfind(':');
  if (colon == std::string::npos || colon == 0) return Err(Code::kInvalidArgument, "--bind must be HOST:PORT");
  std::string host = bind.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  auto port = parse_count("bind", bind.substr(colon + 1));
  FOLIO_TRY(port);
  if (*port > 65535) return Err(Code::kInvalidArgument, "--bind port must be at most 65535");
  o.host = host;
  o.port = static_cast<std::uint16_t>(*port);
  return model::Ok();
}

// Reads an optional count option into `out`.
model::Status count_option(const Args& args, const std::string& name, std::size_t& out) {
  if (!args.values.count(name)) return model::Ok();
  auto n = parse_count(name, args.get(name));
  FOLIO_TRY(n);
  out = static_cast<std::size_t>(*n);
  return model::Ok();
}

Result<http::ServerOptions> server_options(const Args& args) {
  http::ServerOptions o;
  auto home = existing_home(args);
  FOLIO_TRY(home);
  o.service.home = home->root();
  FOLIO_TRY(parse_bind(args.get("bind", "127.0.0.1:8080"), o));
  FOLIO_TRY(count_option(args, "threads", o.service.workers));
  FOLIO_TRY(count_option(args, "io-threads", o.io_threads));
  FOLIO_TRY(count_option(args, "queue", o.service.queue_capacity));
  FOLIO_TRY(count_option(args, "max-connections", o.max_connections));
  std::size_t cache_mb = 64;
  FOLIO_TRY(count_option(args, "cache-mb", cache_mb));
  o.service.cache_bytes = cache_mb << 20;
  if (args.values.count("jwt-secret-file")) {
    auto secret = http::read_jwt_secret(args.get("jwt-secret-file"));
    FOLIO_TRY(secret);
    o.service.jwt_secret = std::move(secret.value());
  }
  return o;
}

// Waits for signals (blocked in every thread, taken here): SIGHUP reloads,
// SIGTERM and SIGINT return.
void wait_for_stop(const sigset_t& set, http::Server& server) {
  for (;;) {
    int sig = 0;
    if (sigwait(&set, &sig) != 0) continue;
    if (sig != SIGHUP) return;
    auto s = server.reload_config();
    std::cerr << "folio serve: " << (s.ok() ? "config reloaded" : "config reload failed, old config kept") << "\n";
  }
}

}  // namespace

int cmd_serve(const std::vector<std::string>& words) {
  auto args = parse_args(words, {{"home", "bind", "threads", "io-threads", "queue", "max-connections",
                                  "cache-mb", "jwt-secret-file"},
                                 {}});
  if (!args.ok()) return report(args.error());
  auto options = server_options(args.value());
  if (!options.ok()) return report(options.error());
  // Block before any thread starts, so every thread inherits the mask.
  sigset_t set;
  sigemptyset(&set);
  for (int sig : {SIGTERM, SIGINT, SIGHUP}) sigaddset(&set, sig);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
  auto server = http::Server::start(options.value());
  if (!server.ok()) return report(server.error());
  std::cout << "folio serve: listening on " << server.value()->url() << std::endl;
  wait_for_stop(set, *server.value());
  std::cerr << "folio serve: stopping (finishing requests in flight)\n";
  server.value()->stop();
  return kExitOk;
}

}  // namespace folio::api::cli
