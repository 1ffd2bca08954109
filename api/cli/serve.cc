// serve.cc: `folio serve`: run the HTTP service until SIGTERM; SIGHUP reloads the config.
#include <chrono>
#include <csignal>
#include <filesystem>
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

// Reads an optional count option into `out`.
model::Status count_option(const Args& args, const std::string& name, std::size_t& out) {
  if (!args.values.count(name)) return model::Ok();
  auto n = parse_count(name, args.get(name));
  FOLIO_TRY(n);
  out = static_cast<std::size_t>(*n);
  return model::Ok();
}

// The [serve] section as server options (the secret file is read later).
http::ServerOptions options_of(const index::ServeSettings& s) {
  using std::chrono::seconds;
  http::ServerOptions o;
  o.service.workers = s.threads;
  o.service.queue_capacity = s.queue;
  o.service.cache_bytes = s.cache_bytes;
  o.service.max_queue_wait = std::chrono::milliseconds(s.max_queue_wait_ms);
  o.service.cache_fresh = std::chrono::milliseconds(s.cache_fresh_ms);
  o.service.export_time_limit = seconds(s.export_time_limit_s);
  o.service.exports.mbox_max_messages = s.max_export_messages;
  o.service.exports.atom_max_entries = s.max_atom_entries;
  o.io_threads = s.io_threads;
  o.max_connections = s.max_connections;
  o.max_header_bytes = s.max_header_bytes;
  o.max_body_bytes = s.max_body_bytes;
  o.read_timeout = seconds(s.read_timeout_s);
  o.write_timeout = seconds(s.write_timeout_s);
  o.drain_timeout = seconds(s.drain_timeout_s);
  return o;
}

// The flags, over what the config set.
model::Status apply_flags(const Args& args, index::ServeSettings& s) {
  if (args.values.count("bind")) s.bind = args.get("bind");
  FOLIO_TRY(count_option(args, "threads", s.threads));
  FOLIO_TRY(count_option(args, "io-threads", s.io_threads));
  FOLIO_TRY(count_option(args, "queue", s.queue));
  FOLIO_TRY(count_option(args, "max-connections", s.max_connections));
  if (args.values.count("cache-mb")) {
    std::size_t mb = 0;
    FOLIO_TRY(count_option(args, "cache-mb", mb));
    s.cache_bytes = mb << 20;
  }
  // A file named on the command line is relative to the working directory.
  if (args.values.count("jwt-secret-file")) {
    s.jwt_secret_file = std::filesystem::absolute(args.get("jwt-secret-file")).string();
  }
  return model::Ok();
}

Result<http::ServerOptions> server_options(const Args& args) {
  auto home = existing_home(args);
  FOLIO_TRY(home);
  auto config = load_home_config(*home);
  FOLIO_TRY(config);
  index::ServeSettings s = config->serve;
  FOLIO_TRY(apply_flags(args, s));
  http::ServerOptions o = options_of(s);
  o.service.home = home->root();
  if (auto st = index::split_bind(s.bind, o.host, o.port); !st.ok()) {
    return Err(Code::kInvalidArgument, "--bind: " + st.error().message);
  }
  if (!s.jwt_secret_file.empty()) {
    auto secret = http::read_jwt_secret(home->root() / s.jwt_secret_file);  // absolute stays absolute
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
