// live_mail_test.cc: deliver + indexd as real processes: exit codes, durability, threading.
#include <catch2/catch.hpp>

#include "tests/support/archive_fixture.h"
#include "tests/support/corpus.h"
#include "tests/support/run.h"
#include "tests/support/temp_dir.h"

using folio::testing::kDeliverPrograms;
using folio::testing::make_message;
using folio::testing::run_deliver;
using folio::testing::run_folio;
using folio::testing::TempDir;

namespace {

// An archive home with the list "dev"; deliveries go through `program`, one of
// kDeliverPrograms ("folio deliver" or "folio-deliver").
struct LiveHome {
  TempDir dir;
  std::string home = dir.sub("home");
  std::string program = "folio deliver";
  explicit LiveHome(std::string deliver_program = "folio deliver") : program(std::move(deliver_program)) {
    REQUIRE(run_folio({"init"}, home).exit_code == 0);
    REQUIRE(run_folio({"lists", "add", "dev", "--list-id", "dev.example.org"}, home).exit_code == 0);
  }
  int deliver(const std::string& msg, const std::vector<std::string>& args = {"--list", "dev"}) const {
    return run_deliver(program, args, home, msg).exit_code;
  }
  std::string count(const std::string& q) const { return run_folio({"search", "--count", q}, home).out; }
};

}  // namespace

TEST_CASE("live: delivered mail becomes searchable after indexd --once", "[api][live]") {
  const std::string program = GENERATE(from_range(kDeliverPrograms));
  CAPTURE(program);
  LiveHome h(program);
  REQUIRE(h.deliver(make_message("d1@x", "spooled hello", "zebra crossing")) == 0);
  REQUIRE(h.deliver("List-Id: <dev.example.org>\n" + make_message("d2@x", "routed", "zebra"), {}) == 0);
  REQUIRE(h.count("zebra") == "0\n");
  auto r = run_folio({"indexd", "--once"}, h.home);
  REQUIRE(r.exit_code == 0);
  REQUIRE(h.count("zebra") == "2\n");
  auto status = run_folio({"status", "--json"}, h.home);
  REQUIRE(status.out.find(R"("spool_depth":0)") != std::string::npos);
  REQUIRE(status.out.find(R"("messages_indexed":2)") != std::string::npos);
}

TEST_CASE("live: with fsync_index = false, indexd indexes the same and a restart sees it all", "[api][live]") {
  LiveHome h;
  const std::string config = h.home + "/folio.toml";
  std::string text = folio::testing::read_file(config);
  const std::string on = "fsync_index = true";
  REQUIRE(text.find(on) != std::string::npos);
  text.replace(text.find(on), on.size(), "fsync_index = false");
  folio::testing::write_file(config, text);
  for (int i = 0; i < 20; ++i) {
    REQUIRE(h.deliver(make_message("n" + std::to_string(i) + "@x", "unsynced", "quagga number " + std::to_string(i))) == 0);
  }
  REQUIRE(run_folio({"indexd", "--once"}, h.home).exit_code == 0);
  REQUIRE(h.count("quagga") == "20\n");
  REQUIRE(h.deliver(make_message("n20@x", "unsynced", "quagga again")) == 0);
  REQUIRE(run_folio({"indexd", "--once"}, h.home).exit_code == 0);
  REQUIRE(h.count("quagga") == "21\n");
  REQUIRE(run_folio({"check"}, h.home).exit_code == 0);
}

TEST_CASE("live: deliver exit codes follow sysexits", "[api][live]") {
  const std::string program = GENERATE(from_range(kDeliverPrograms));
  CAPTURE(program);
  LiveHome h(program);
  REQUIRE(h.deliver("") == 65);
  REQUIRE(h.deliver("not a mail at all\n") == 65);
  REQUIRE(h.deliver(make_message("u@x", "s", "b"), {"--list", "nosuch"}) == 75);
  REQUIRE(h.deliver(make_message("u@x", "s", "b"), {"stray-argument"}) == 64);
  auto no_config = run_deliver(program, {"--list", "dev"}, h.dir.sub("nohome"), make_message("u@x", "s", "b"));
  REQUIRE(no_config.exit_code == 75);
  REQUIRE_FALSE(no_config.err.empty());
}

TEST_CASE("live: a reply delivered before its parent joins its thread", "[api][live]") {
  LiveHome h;
  REQUIRE(h.deliver(make_message("child@x", "Re: parent", "reply first", {"parent@x"})) == 0);
  REQUIRE(run_folio({"indexd", "--once"}, h.home).exit_code == 0);
  REQUIRE(h.deliver(make_message("parent@x", "parent", "then the parent")) == 0);
  REQUIRE(run_folio({"indexd", "--once"}, h.home).exit_code == 0);
  auto tree = run_folio({"thread", "child@x"}, h.home);
  REQUIRE(tree.exit_code == 0);
  REQUIRE(tree.out.find("2 messages") != std::string::npos);
  REQUIRE(tree.out.find("\n  ") != std::string::npos);
}

TEST_CASE("live: import refuses to run beside indexd, naming its pid", "[api][live]") {
  LiveHome h;
  auto daemon = folio::testing::run_shell(
      "FOLIO_HOME=" + folio::testing::shell_quote(h.home) + " " +
      folio::testing::shell_quote(folio::testing::folio_binary().string()) +
      " indexd & pid=$!; sleep 1; " + "FOLIO_HOME=" + folio::testing::shell_quote(h.home) + " " +
      folio::testing::shell_quote(folio::testing::folio_binary().string()) +
      " import --list dev /dev/null; rc=$?; kill -TERM $pid; wait $pid; echo \"import=$rc indexd=$?\"");
  REQUIRE(daemon.out.find("import=1 indexd=0") != std::string::npos);
  REQUIRE(daemon.err.find("folio indexd") != std::string::npos);
  REQUIRE(daemon.err.find("pid") != std::string::npos);
}
