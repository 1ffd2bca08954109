// crash_test.cc: indexd killed with SIGKILL again and again loses nothing and stores nothing twice.
#include <signal.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <random>
#include <set>
#include <thread>

#include <catch2/catch.hpp>

#include "index/message_store.h"
#include "ingest/source.h"
#include "tests/support/archive_fixture.h"
#include "tests/support/corpus.h"
#include "tests/support/run.h"

using namespace folio;
using folio::testing::run_folio;

namespace {

using Partition = std::set<std::set<std::string>>;

struct Snapshot {
  Partition threads;
  std::multiset<std::string> ids;  // one entry per stored message
};

Snapshot snapshot(const index::Home& home) {
  auto store = index::MessageStore::open(home.store_dir(), index::StoreMode::kReadOnly);
  REQUIRE(store.ok());
  std::map<index::ThreadId, std::set<std::string>> threads;
  Snapshot s;
  REQUIRE(store.value()->for_each_meta([&](const index::StoredMeta& m) {
    threads[m.thread].insert(m.message_id);
    s.ids.insert(m.message_id);
    return true;
  }).ok());
  for (auto& [t, ids] : threads) s.threads.insert(ids);
  return s;
}

pid_t start_indexd(const std::string& home) {
  pid_t pid = ::fork();
  if (pid == 0) {
    ::setenv("FOLIO_HOME", home.c_str(), 1);
    int devnull = ::open("/dev/null", O_WRONLY);
    ::dup2(devnull, STDERR_FILENO);
    std::string bin = folio::testing::folio_binary().string();
    ::execl(bin.c_str(), bin.c_str(), "indexd", "--commit-ms", "50", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  return pid;
}

std::vector<std::string> corpus_messages(std::size_t n) {
  std::vector<std::string> raws;
  auto path = *folio::testing::shared_corpus() / "lists" / "r-sig-finance.mbox.xz";
  REQUIRE(ingest::read_messages(path, ingest::Format::kMbox, [&](ingest::RawMessage&& m) {
    raws.push_back(std::move(m.bytes));
    return raws.size() < n;
  }).ok());
  return raws;
}

}  // namespace

TEST_CASE("crash: 50+ SIGKILLs of indexd during delivery lose nothing and duplicate nothing",
          "[api][crash][corpus]") {
  SKIP_WITHOUT_CORPUS();
  // 2,000 deliveries take minutes in a Release build; fewer under ASan, where
  // each process is several times slower, keep the test within its timeout.
  const auto raws = corpus_messages(2000 / folio::testing::test_slowdown());
  folio::testing::ArchiveFixture live;
  // Deliver from a background thread while indexd is killed at random moments.
  std::atomic<bool> delivered{false};
  std::atomic<int> failures{0};
  std::thread deliverer([&] {
    for (const auto& raw : raws) {
      if (run_folio({"deliver", "--list", "test"}, live.root(), raw).exit_code != 0) ++failures;
    }
    delivered = true;
  });
  std::mt19937 rng(42);
  int kills = 0;
  while (!delivered || kills < 50) {
    pid_t pid = start_indexd(live.root());
    std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(30, 400)(rng)));
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    ++kills;
  }
  deliverer.join();
  REQUIRE(failures == 0);
  REQUIRE(kills >= 50);
  auto drained = run_folio({"indexd", "--once"}, live.root());
  REQUIRE(drained.exit_code == 0);
  REQUIRE(run_folio({"status", "--json"}, live.root()).out.find(R"("spool_depth":0)") != std::string::npos);

  folio::testing::ArchiveFixture clean;
  clean.import(raws);
  auto got = snapshot(live.home());
  auto want = snapshot(clean.home());
  REQUIRE(got.ids == want.ids);          // every message once, none twice
  REQUIRE(got.threads == want.threads);  // the same threads as a clean bulk import
  // And the index agrees with the store.
  auto stats = run_folio({"stats", "--json"}, live.root());
  REQUIRE(stats.out.find("\"messages\":" + std::to_string(want.ids.size()) + ",") != std::string::npos);
}
