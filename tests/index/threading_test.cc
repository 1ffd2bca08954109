// threading_test.cc: threads group the same messages whatever order they arrive in.
#include <algorithm>
#include <map>
#include <random>
#include <set>

#include <catch2/catch.hpp>

#include "index/message_store.h"
#include "index/threader.h"
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

TEST_CASE("threading: the id of a thread that merged away leads to the thread it merged into",
          "[index][threading]") {
  ArchiveFixture f;
  f.import({make_message("a@x", "a", "a"), make_message("a1@x", "Re: a", "a", {"a@x"}),
            make_message("b@x", "b", "b")});
  auto thread_of = [&](const char* id) {
    auto t = f.open_writer()->store().thread_of(id);
    REQUIRE(t.ok());
    REQUIRE(t.value().has_value());
    return *t.value();
  };
  ThreadId a = thread_of("a@x");
  ThreadId b = thread_of("b@x");
  REQUIRE(a != b);
  {
    auto w = f.open_writer();
    CHECK(current_thread(w->store(), a).value() == a);  // nothing merged yet
    CHECK(current_thread(w->store(), b).value() == b);
  }
  f.import({make_message("link@x", "Re: both", "l", {"a1@x", "b@x"})});
  // The larger thread (a, two messages) absorbed b.
  REQUIRE(thread_of("b@x") == a);
  auto w = f.open_writer();
  CHECK(current_thread(w->store(), b).value() == a);
  CHECK(current_thread(w->store(), a).value() == a);
  CHECK(current_thread(w->store(), 987654).value() == 987654);  // never issued: itself
}

TEST_CASE("threading: merges in a row are followed to the thread that holds the messages now",
          "[index][threading]") {
  ArchiveFixture f;
  // c (one message) merges into b (two), then b (four by then) into a (five).
  f.import({make_message("a@x", "a", "a"), make_message("a1@x", "Re: a", "a", {"a@x"}),
            make_message("a2@x", "Re: a", "a", {"a@x"}), make_message("a3@x", "Re: a", "a", {"a@x"}),
            make_message("a4@x", "Re: a", "a", {"a@x"}), make_message("b@x", "b", "b"),
            make_message("b1@x", "Re: b", "b", {"b@x"}), make_message("c@x", "c", "c")});
  auto thread_of = [&](const char* id) { return *f.open_writer()->store().thread_of(id).value(); };
  ThreadId a = thread_of("a@x");
  ThreadId c = thread_of("c@x");
  f.import({make_message("bc@x", "Re: b c", "l", {"b1@x", "c@x"})});
  f.import({make_message("ab@x", "Re: a b", "l", {"a2@x", "bc@x"})});
  REQUIRE(thread_of("c@x") == a);
  REQUIRE(thread_of("b@x") == a);
  auto w = f.open_writer();
  CHECK(w->store().thread_alias(c).value() != std::optional<ThreadId>(a));  // c went to b first
  CHECK(current_thread(w->store(), c).value() == a);
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
