// reader_board_test.cc: readers post their revision's age; a gated writer waits for them.
#include "index/reader_board.h"

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <fstream>
#include <thread>

#include "index/generation.h"
#include "index/init_home.h"
#include "index/xapian_writer.h"
#include "tests/support/temp_dir.h"

namespace folio::index {
namespace {

using namespace std::chrono_literals;

struct BoardHome {
  folio::testing::TempDir dir;
  Home home{dir.path() / "home"};
  BoardHome() { REQUIRE(init_home(home).ok()); }
  std::filesystem::path boards() const { return home.root() / "run" / "readers"; }

  // A slot posted as reading a revision opened now.
  std::unique_ptr<ReaderSlot> reader() const {
    auto slot = claim_reader_slot(home);
    REQUIRE(slot);
    slot->reading(reader_clock_ns());
    return slot;
  }
};

TEST_CASE("reader board: a writer waits for a reader that opened before its commit, until it is idle",
          "[index][reader_board]") {
  BoardHome h;
  auto slot = h.reader();
  std::int64_t committed = reader_clock_ns();
  std::thread reader([&] {
    std::this_thread::sleep_for(150ms);
    slot->idle();
  });
  ReaderWait w = wait_for_readers(h.home, committed, 10s);
  reader.join();
  CHECK(w.readers == 1);
  CHECK_FALSE(w.timed_out);
  CHECK(w.waited >= 100ms);
  CHECK(w.waited < 5s);
}

TEST_CASE("reader board: the wait for a reader that never finishes ends at max_wait",
          "[index][reader_board]") {
  BoardHome h;
  auto slot = h.reader();
  ReaderWait w = wait_for_readers(h.home, reader_clock_ns(), 80ms);
  CHECK(w.readers == 1);
  CHECK(w.timed_out);
  CHECK(w.waited >= 80ms);
  // max_wait 0 only looks.
  ReaderWait look = wait_for_readers(h.home, reader_clock_ns(), 0ms);
  CHECK(look.readers == 1);
  CHECK(look.waited < 50ms);
}

TEST_CASE("reader board: readers that opened after the commit, and idle ones, are not waited for",
          "[index][reader_board]") {
  BoardHome h;
  auto idle = claim_reader_slot(h.home);
  auto newer = claim_reader_slot(h.home);
  REQUIRE(idle);
  REQUIRE(newer);
  std::int64_t committed = reader_clock_ns();
  newer->reading(reader_clock_ns());
  CHECK(wait_for_readers(h.home, committed, 1s).readers == 0);
}

TEST_CASE("reader board: one file per process, removed with its last slot", "[index][reader_board]") {
  BoardHome h;
  std::filesystem::path mine = h.boards() / std::to_string(getpid());
  {
    auto a = claim_reader_slot(h.home);
    auto b = claim_reader_slot(h.home);
    REQUIRE(a);
    REQUIRE(b);
    CHECK(std::filesystem::exists(mine));
    a.reset();
    CHECK(std::filesystem::exists(mine));
  }
  CHECK_FALSE(std::filesystem::exists(mine));
}

TEST_CASE("reader board: a process has at most kReaderSlots slots", "[index][reader_board]") {
  BoardHome h;
  std::vector<std::unique_ptr<ReaderSlot>> slots;
  for (std::size_t i = 0; i < kReaderSlots; ++i) {
    slots.push_back(claim_reader_slot(h.home));
    REQUIRE(slots.back());
  }
  CHECK_FALSE(claim_reader_slot(h.home));  // unannounced, not an error
  slots.pop_back();
  CHECK(claim_reader_slot(h.home));
}

TEST_CASE("reader board: the board of a process that is gone is removed, not waited for",
          "[index][reader_board]") {
  BoardHome h;
  pid_t child = fork();
  if (child == 0) _exit(0);
  REQUIRE(child > 0);
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  std::filesystem::create_directories(h.boards());
  std::filesystem::path stale = h.boards() / std::to_string(child);
  {
    std::ofstream out(stale, std::ios::binary);
    std::int64_t busy = 1;  // reading since the clock's start
    for (std::size_t i = 0; i < kReaderSlots; ++i) out.write(reinterpret_cast<const char*>(&busy), sizeof busy);
  }
  ReaderWait w = wait_for_readers(h.home, reader_clock_ns(), 1s);
  CHECK(w.readers == 0);
  CHECK_FALSE(std::filesystem::exists(stale));
}

// Documents whose terms and data fill many blocks, rewritten by each round.
void write_round(XapianWriter& w, int round, int docs) {
  for (int i = 1; i <= docs; ++i) {
    Xapian::Document d;
    for (int t = 0; t < 40; ++t) d.add_term("w" + std::to_string((i * 7 + t) % 400) + "r" + std::to_string(round));
    d.add_term("all");
    d.set_data(std::string(300, static_cast<char>('a' + round)));
    REQUIRE(w.put(static_cast<DocId>(i), std::move(d)).ok());
  }
  REQUIRE(w.commit(static_cast<std::uint64_t>(round + 1)).ok());
}

// The generation's shards as one database, at their latest revision.
Xapian::Database open_reader(const std::filesystem::path& gen) {
  auto shards = generation_shards(gen);
  REQUIRE(shards.ok());
  std::vector<std::filesystem::path> paths = std::move(shards.value());
  Xapian::Database db;
  for (const auto& shard : paths) db.add_database(Xapian::Database(shard.string()));
  return db;
}

// Reads every document and posting of the revision `db` holds.
std::size_t read_everything(const Xapian::Database& db) {
  std::size_t n = 0;
  for (auto t = db.allterms_begin(); t != db.allterms_end(); ++t) {
    for (auto p = db.postlist_begin(*t); p != db.postlist_end(*t); ++p) ++n;
  }
  for (auto p = db.postlist_begin(""); p != db.postlist_end(""); ++p) n += db.get_document(*p).get_data().size();
  return n;
}

TEST_CASE("reader board: a gated writer lets a posted reader read its revision to the end",
          "[index][reader_board]") {
  BoardHome h;
  std::filesystem::path gen = h.home.generation_dir(h.home.current_generation().value());
  constexpr int kDocs = 3000;
  auto opened = XapianWriter::open(gen, Durability::kNoSync, ReaderGate{h.home, 20s});
  REQUIRE(opened.ok());
  XapianWriter& w = *opened.value();
  write_round(w, 0, kDocs);

  auto slot = claim_reader_slot(h.home);
  REQUIRE(slot);
  slot->reading(reader_clock_ns());
  Xapian::Database reader = open_reader(gen);
  std::size_t before = read_everything(reader);

  std::atomic<int> rounds_done{0};
  std::thread writer([&] {
    for (int round = 1; round <= 3; ++round) {
      write_round(w, round, kDocs);
      ++rounds_done;
    }
  });
  // Round 1 goes ahead (its writes reuse only older revisions' blocks); round 2 waits.
  for (int i = 0; i < 2000 && rounds_done.load() == 0; ++i) std::this_thread::sleep_for(10ms);
  std::this_thread::sleep_for(300ms);
  CHECK(rounds_done.load() == 1);
  std::size_t after = 0;
  CHECK_NOTHROW(after = read_everything(reader));
  CHECK(after == before);
  slot->idle();
  writer.join();
  CHECK(rounds_done.load() == 3);
}

TEST_CASE("reader board: without the gate the same reader loses its revision", "[index][reader_board]") {
  // The control for the test above: it shows the rewriting is enough to
  // discard a revision, so that test's reader was really protected.
  BoardHome h;
  std::filesystem::path gen = h.home.generation_dir(h.home.current_generation().value());
  constexpr int kDocs = 3000;
  auto opened = XapianWriter::open(gen, Durability::kNoSync);
  REQUIRE(opened.ok());
  XapianWriter& w = *opened.value();
  write_round(w, 0, kDocs);
  Xapian::Database reader = open_reader(gen);
  for (int round = 1; round <= 3; ++round) write_round(w, round, kDocs);
  CHECK_THROWS_AS(read_everything(reader), Xapian::DatabaseModifiedError);
}

}  // namespace
}  // namespace folio::index
