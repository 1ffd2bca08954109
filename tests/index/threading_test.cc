// threading_test.cc: threads group the same messages whatever order they arrive in.
#include <algorithm>
#include <map>
#include <random>
#include <set>

#include <catch2/catch.hpp>

#include "index/message_store.h"
#include "ingest/source.h"
#include "tests/support/archive_fixture.h"
#include "tests/support/corpus.h"

using namespace folio::index;
using folio::testing::ArchiveFixture;
using folio::testing::make_message;

namespace {

using Partition = std::set<std::set<std::string>>;

// The threads of an archive as sets of Message-IDs (thread ids are opaque).
Partition partition(const ArchiveFixture& f) {
  std::map<ThreadId, std::set<std::string>> threads;
  auto writer = f.open_writer();
  REQUIRE(writer->store().for_each_meta([&](const StoredMeta& m) {
    threads[m.thread].insert(m.message_id);
    return true;
  }).ok());
  Partition p;
  for (auto& [t, ids] : threads) p.insert(ids);
  return p;
}

std::vector<std::string> a_thread() {
  return {make_message("root@x", "root", "r"),
          make_message("c1@x", "Re: root", "c1", {"root@x"}),
          make_message("c2@x", "Re: root", "c2", {"root@x", "c1@x"}),
          make_message("d1@x", "Re: root", "d1", {"root@x", "c1@x", "c2@x"}),
          make_message("other@x", "other", "o"),
          make_message("o1@x", "Re: other", "o1", {"other@x"})};
}

}  // namespace

TEST_CASE("threading: a reply that arrives before its parent is joined when the parent comes",
          "[index][threading]") {
  ArchiveFixture f;
  f.import({make_message("child@x", "Re: p", "c", {"parent@x"})});
  f.import({make_message("parent@x", "p", "p")});
  REQUIRE(partition(f) == Partition{{"child@x", "parent@x"}});
}

TEST_CASE("threading: two threads merge when a message links them", "[index][threading]") {
  ArchiveFixture f;
  f.import({make_message("a@x", "a", "a"), make_message("a1@x", "Re: a", "a", {"a@x"}),
            make_message("b@x", "b", "b")});
  REQUIRE(partition(f).size() == 2);
  f.import({make_message("link@x", "Re: both", "l", {"a1@x", "b@x"})});
  REQUIRE(partition(f) == Partition{{"a@x", "a1@x", "b@x", "link@x"}});
}

TEST_CASE("threading: siblings linked only through a missing (ghost) parent share a thread",
          "[index][threading]") {
  ArchiveFixture f;
  f.import({make_message("s1@x", "Re: g", "1", {"ghost@x"}), make_message("s2@x", "Re: g", "2", {"ghost@x"})});
  REQUIRE(partition(f) == Partition{{"s1@x", "s2@x"}});
}

TEST_CASE("threading: a reference cycle does not loop", "[index][threading]") {
  ArchiveFixture f;
  f.import({make_message("l1@x", "loop", "1", {"l2@x"}), make_message("l2@x", "loop", "2", {"l1@x"})});
  REQUIRE(partition(f) == Partition{{"l1@x", "l2@x"}});
}

TEST_CASE("threading: every arrival order of a small set gives the same threads", "[index][threading]") {
  auto msgs = a_thread();
  std::sort(msgs.begin(), msgs.end());
  Partition expected;
  {
    ArchiveFixture f;
    f.import(msgs);
    expected = partition(f);
  }
  REQUIRE(expected.size() == 2);
  int orders = 0;
  do {
    if (++orders % 37 != 0) continue;  // a spread sample of the 720 orders
    ArchiveFixture f;
    for (const auto& m : msgs) f.import({m});
    REQUIRE(partition(f) == expected);
  } while (std::next_permutation(msgs.begin(), msgs.end()));
}

TEST_CASE("threading: a real list threads the same in several random arrival orders",
          "[index][threading][corpus]") {
  SKIP_WITHOUT_CORPUS();
  auto path = *folio::testing::shared_corpus() / "lists" / "r-sig-finance.mbox.xz";
  std::vector<std::string> raws;
  REQUIRE(folio::ingest::read_messages(path, folio::ingest::Format::kAuto,
                                       [&](folio::ingest::RawMessage&& m) {
                                         raws.push_back(std::move(m.bytes));
                                         return raws.size() < 4000;
                                       }).ok());
  REQUIRE(raws.size() == 4000);
  Partition expected;
  {
    ArchiveFixture f;
    f.import(raws, "test", true);
    expected = partition(f);
  }
  REQUIRE(expected.size() > 100);
  REQUIRE(expected.size() < 3900);
  std::mt19937 rng(20261122);
  for (int round = 0; round < 3; ++round) {
    std::shuffle(raws.begin(), raws.end(), rng);
    ArchiveFixture f;
    f.import(raws, "test", true);
    REQUIRE(partition(f) == expected);
  }
}
