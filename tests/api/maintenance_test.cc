// maintenance_test.cc: reindex, compact, check, backup/restore and remove, with the real binary.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <thread>

#include <catch2/catch.hpp>

#include "tests/support/archive_fixture.h"
#include "tests/support/corpus.h"
#include "tests/support/run.h"
#include "tests/support/temp_dir.h"

using folio::testing::make_message;
using folio::testing::project_data;
using folio::testing::run_folio;
using folio::testing::TempDir;

namespace {

struct Archive {
  TempDir dir;
  std::string home = dir.sub("home");
  Archive() {
    REQUIRE(run_folio({"init"}, home).exit_code == 0);
    std::filesystem::copy_file(project_data() / "folio.example.toml", home + "/folio.toml",
                               std::filesystem::copy_options::overwrite_existing);
    for (const char* list : {"folio-users", "folio-dev", "folio-core"}) {
      auto path = (project_data() / "sample" / (std::string(list) + ".mbox")).string();
      REQUIRE(run_folio({"import", "--list", list, path}, home).exit_code == 0);
    }
  }
  folio::testing::RunResult folio(const std::vector<std::string>& args, const std::string& in = "") const {
    return run_folio(args, home, in);
  }
  std::string count(const std::string& q) const { return folio({"search", "--count", "--as", "group:core", q}).out; }
};

pid_t spawn_folio(const std::string& home, const std::vector<std::string>& args) {
  pid_t pid = ::fork();
  if (pid == 0) {
    ::setenv("FOLIO_HOME", home.c_str(), 1);
    std::string bin = folio::testing::folio_binary().string();
    std::vector<char*> argv{bin.data()};
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(bin.c_str(), argv.data());
    ::_exit(127);
  }
  return pid;
}

int stop(pid_t pid) {
  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

TEST_CASE("maintenance: check passes on a healthy archive and fails on a damaged one", "[api][maintenance]") {
  Archive a;
  auto ok = a.folio({"check"});
  REQUIRE(ok.exit_code == 0);
  REQUIRE(ok.out.find("0 problems") != std::string::npos);
  // Damage: a generation built from nothing but the live one's copy minus a document.
  auto gen = a.home + "/index/gen-000001";
  {
    Xapian::WritableDatabase shard(gen + "/shard0");
    shard.delete_document(1);
    shard.commit();
  }
  auto bad = a.folio({"check"});
  REQUIRE(bad.exit_code == 1);
  REQUIRE(bad.out.find("not in the index") != std::string::npos);
  auto fixed = a.folio({"check", "--repair"});
  REQUIRE(fixed.exit_code == 0);
  REQUIRE(a.folio({"check"}).exit_code == 0);
}

TEST_CASE("maintenance: reindex and compact swap generations and keep results", "[api][maintenance]") {
  Archive a;
  const std::string before = a.folio({"search", "--json", "--as", "group:core", "--limit", "100", "thread"}).out;
  auto r = a.folio({"reindex", "--grace", "0"});
  REQUIRE(r.exit_code == 0);
  REQUIRE(r.out.find("generation 2 is live: 320 messages re-indexed") != std::string::npos);
  REQUIRE(a.folio({"search", "--json", "--as", "group:core", "--limit", "100", "thread"}).out == before);
  auto c = a.folio({"compact", "--grace", "0"});
  REQUIRE(c.exit_code == 0);
  REQUIRE(c.out.find("generation 3 is live") != std::string::npos);
  REQUIRE(a.folio({"search", "--json", "--as", "group:core", "--limit", "100", "thread"}).out == before);
  REQUIRE_FALSE(std::filesystem::exists(a.home + "/index/gen-000001"));
  REQUIRE(a.folio({"reindex", "--list", "folio-core", "--grace", "0"}).out.find("40 messages re-indexed") != std::string::npos);
  REQUIRE(a.folio({"check"}).exit_code == 0);
}

TEST_CASE("maintenance: two maintenance jobs cannot run at once", "[api][maintenance]") {
  Archive a;
  pid_t slow = spawn_folio(a.home, {"reindex", "--grace", "3"});
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  auto second = a.folio({"compact"});
  REQUIRE(second.exit_code == 1);
  REQUIRE(second.err.find("folio reindex") != std::string::npos);
  int status = 0;
  ::waitpid(slow, &status, 0);
  REQUIRE(WEXITSTATUS(status) == 0);
}

TEST_CASE("maintenance: backup of a running archive restores to the same results", "[api][maintenance]") {
  Archive a;
  pid_t indexd = spawn_folio(a.home, {"indexd"});
  auto b = a.folio({"backup", a.dir.sub("backup")});
  REQUIRE(b.exit_code == 0);
  REQUIRE(a.folio({"backup", a.dir.sub("backup")}).exit_code == 2);  // never overwrites
  REQUIRE(stop(indexd) == 0);
  auto restored = a.dir.sub("restored");
  REQUIRE(run_folio({"restore", a.dir.sub("backup")}, restored).exit_code == 0);
  REQUIRE(run_folio({"check"}, restored).exit_code == 0);
  for (const char* q : {"indexes", "\"generation swap\"", "list:folio-core", "from:ada"}) {
    REQUIRE(run_folio({"search", "--json", "--as", "group:core", q}, restored).out ==
            a.folio({"search", "--json", "--as", "group:core", q}).out);
  }
  REQUIRE(run_folio({"restore", a.dir.sub("backup")}, restored).exit_code == 2);  // not into a full home
}

TEST_CASE("maintenance: a removed message is gone and stays gone when re-delivered", "[api][maintenance]") {
  Archive a;
  const std::string id = "folio-dev.0.1102@folio.example";
  REQUIRE(a.count("id:" + id) == "1\n");
  auto raw = a.folio({"show", "--raw", id}).out;
  auto r = a.folio({"remove", id, "--reason", "privacy request"});
  REQUIRE(r.exit_code == 0);
  REQUIRE(a.count("id:" + id) == "0\n");
  REQUIRE(a.folio({"show", "--raw", id}).exit_code == 1);
  auto log = folio::testing::read_file(a.home + "/audit.log");
  REQUIRE(log.find("remove <" + id + "> removed=1") != std::string::npos);
  REQUIRE(log.find("reason=privacy request") != std::string::npos);
  // Re-import and re-delivery do not bring it back, and say so.
  auto again = a.folio({"import", "--list", "folio-dev", (project_data() / "sample" / "folio-dev.mbox").string()});
  REQUIRE(again.out.find("1 taken down earlier") != std::string::npos);
  REQUIRE(a.folio({"deliver", "--list", "folio-dev"}, raw).exit_code == 0);
  REQUIRE(a.folio({"indexd", "--once"}).exit_code == 0);
  REQUIRE(a.count("id:" + id) == "0\n");
  REQUIRE(a.folio({"check"}).exit_code == 0);
}

TEST_CASE("maintenance: remove goes through a running indexd", "[api][maintenance]") {
  Archive a;
  pid_t indexd = spawn_folio(a.home, {"indexd", "--commit-ms", "50"});
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  auto r = a.folio({"remove", "folio-dev.1.6531@folio.example", "--reason", "spam"});
  REQUIRE(r.exit_code == 0);
  REQUIRE(r.out.find("removed-by=indexd") != std::string::npos);
  REQUIRE(a.count("id:folio-dev.1.6531@folio.example") == "0\n");
  REQUIRE(stop(indexd) == 0);
}

TEST_CASE("maintenance: reindex while mail is delivered and searched loses nothing", "[api][maintenance]") {
  Archive a;
  pid_t indexd = spawn_folio(a.home, {"indexd", "--commit-ms", "50"});
  std::atomic<bool> done{false};
  std::atomic<int> failed_searches{0};
  std::thread searcher([&] {
    while (!done) {
      if (a.folio({"search", "--count", "indexes"}).exit_code != 0) ++failed_searches;
    }
  });
  std::thread deliverer([&] {
    for (int i = 0; i < 60; ++i) {
      REQUIRE(a.folio({"deliver", "--list", "folio-dev"},
                      make_message("live" + std::to_string(i) + "@x", "live " + std::to_string(i), "zanzibar"))
                  .exit_code == 0);
    }
  });
  auto r1 = a.folio({"reindex", "--grace", "1"});
  auto r2 = a.folio({"compact", "--grace", "1"});
  deliverer.join();
  REQUIRE(r1.exit_code == 0);
  REQUIRE(r2.exit_code == 0);
  // Let indexd drain and follow the new generation.
  for (int i = 0; i < 100 && a.count("zanzibar") != "60\n"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  done = true;
  searcher.join();
  REQUIRE(a.count("zanzibar") == "60\n");
  REQUIRE(failed_searches == 0);
  REQUIRE(stop(indexd) == 0);
  REQUIRE(a.folio({"check"}).exit_code == 0);
}
