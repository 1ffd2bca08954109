// serve_binary_test.cc: the real `folio serve` binary: prints its URL, answers, reloads on SIGHUP, drains and exits 0 on SIGTERM.
#include <signal.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <iterator>
#include <thread>

#include "index/config.h"
#include "tests/api/http/serve_child.h"
#include "tests/api/http/served_archive.h"
#include "tests/support/corpus.h"
#include "tests/support/run.h"
#include "tests/support/temp_dir.h"

namespace folio::testing {
namespace {

TEST_CASE("serve: the binary prints its URL, serves, reloads on SIGHUP and exits 0 on SIGTERM", "[http][serve]") {
  ArchiveFixture archive;
  archive.import({make_message("b1@x", "binary test", "servedword")});
  ServeChild c;
  spawn_serve(c, archive.root());
  auto port = listening_port(first_line(c.out, 20));
  REQUIRE(port != 0);
  CHECK(http_get(port, "/healthz").status == 200);
  CHECK(http_get(port, "/api/v1/search?q=servedword").body.find("b1@x") != std::string::npos);
  ::kill(c.pid, SIGHUP);
  CHECK(http_get(port, "/readyz").status == 200);
  ::kill(c.pid, SIGTERM);
  int code = wait_exit(c.pid, 30);
  CHECK(code == 0);
  if (code >= 0) c.pid = -1;
}

TEST_CASE("serve: [serve] in folio.toml sets bounds and the secret file, flags override it", "[http][serve]") {
  ArchiveFixture archive;
  archive.import({make_message("c1@x", "one", "cfgword"), make_message("c2@x", "two", "cfgword"),
                  make_message("c3@x", "three", "cfgword")});
  auto config = index::load_config(archive.home().config_file());
  REQUIRE(config.ok());
  config->serve.threads = 3;  // the child's --threads 2 wins
  config->serve.queue = 5;
  config->serve.max_export_messages = 2;
  config->serve.jwt_secret_file = "jwt.secret";  // relative to the home
  REQUIRE(index::save_config(archive.home().config_file(), *config).ok());
  {
    std::ofstream secret(archive.home().root() / "jwt.secret");
    secret << kJwtSecret << "\n";
  }
  ServeChild c;
  spawn_serve(c, archive.root());
  auto port = listening_port(first_line(c.out, 20));
  REQUIRE(port != 0);
  auto metrics = http_get(port, "/metrics").body;
  CHECK(metrics.find("\nfolio_workers 2\n") != std::string::npos);
  CHECK(metrics.find("\nfolio_worker_queue_capacity 5\n") != std::string::npos);
  CHECK(http_get(port, "/api/v1/search.mbox?q=cfgword&limit=2").status == 200);
  CHECK(http_get(port, "/api/v1/search.mbox?q=cfgword&limit=3").status == 400);
  CHECK(http_get_as(port, "/api/v1/search?q=cfgword", make_token({"tier:x"})).status == 200);
  CHECK(http_get_as(port, "/api/v1/search?q=cfgword", make_token({"tier:x"}, 3600, {}, "other")).status == 401);
}

TEST_CASE("serve: a bad [serve] value stops the start with the file and line", "[http][serve]") {
  ArchiveFixture archive;
  std::string text;
  {
    std::ifstream in(archive.home().config_file());
    text.assign(std::istreambuf_iterator<char>(in), {});
  }
  auto at = text.find("max_export_messages = 10000");
  REQUIRE(at != std::string::npos);
  text.replace(at, 27, "max_export_messages = 0");
  std::ofstream(archive.home().config_file()) << text;
  auto r = run_folio({"serve", "--home", archive.root(), "--bind", "127.0.0.1:0"});
  CHECK(r.exit_code != 0);
  CHECK(r.err.find("folio.toml:") != std::string::npos);
  CHECK(r.err.find("max_export_messages") != std::string::npos);
}

TEST_CASE("serve: an uninitialised home fails at start with a message", "[http][serve]") {
  TempDir dir;
  auto r = run_folio({"serve", "--home", dir.sub("none"), "--bind", "127.0.0.1:0"});
  CHECK(r.exit_code != 0);
  CHECK_FALSE(r.err.empty());
}

}  // namespace
}  // namespace folio::testing
