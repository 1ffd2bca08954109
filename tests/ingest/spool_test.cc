// spool_test.cc: the spool never shows partial files and keeps entries until told.
#include "ingest/spool.h"

#include <catch2/catch.hpp>

#include "ingest/delivery.h"
#include "tests/support/temp_dir.h"

using namespace folio::ingest;
using folio::testing::TempDir;

namespace {
folio::index::Config one_list() {
  folio::index::Config c;
  c.lists.push_back({"dev", "Dev", "dev.example.org", {"public"}});
  return c;
}
const std::string kMessage = "From: a@example.org\nSubject: hi\nList-Id: Dev list <dev.example.org>\n\nbody\n";
}  // namespace

TEST_CASE("spool: a delivered message is in new/ whole and nothing is left in tmp/", "[ingest][spool]") {
  TempDir dir;
  Spool spool(dir.path());
  REQUIRE(spool.ensure_dirs().ok());
  auto e = spool.deliver(kMessage, "dev", 1700000000000000);
  REQUIRE(e.ok());
  REQUIRE(e->list == "dev");
  REQUIRE(std::filesystem::is_empty(spool.tmp_dir()));
  auto pending = spool.pending(10);
  REQUIRE(pending->size() == 1);
  REQUIRE(pending->front().arrival_us == 1700000000000000);
  REQUIRE(spool.read(pending->front()).value() == kMessage);
  REQUIRE(spool.remove(pending->front()).ok());
  REQUIRE(spool.pending(10)->empty());
}

TEST_CASE("spool: delivery makes missing directories, also new/ removed after tmp/ was made",
          "[ingest][spool]") {
  TempDir dir;
  Spool spool(dir.path() / "spool");
  REQUIRE(spool.deliver(kMessage, "dev", 1000000).ok());  // no ensure_dirs() first
  REQUIRE(spool.pending(10)->size() == 1);
  REQUIRE(std::filesystem::is_directory(spool.quarantine_dir()));
  std::filesystem::remove_all(spool.new_dir());
  REQUIRE(spool.deliver(kMessage, "dev", 2000000).ok());
  REQUIRE(spool.pending(10)->size() == 1);
  REQUIRE(std::filesystem::is_empty(spool.tmp_dir()));
}

TEST_CASE("spool: pending entries come oldest first and are bounded", "[ingest][spool]") {
  TempDir dir;
  Spool spool(dir.path());
  REQUIRE(spool.ensure_dirs().ok());
  for (std::int64_t t : {300, 100, 200}) REQUIRE(spool.deliver(kMessage, "dev", t * 1000000).ok());
  auto p = spool.pending(2);
  REQUIRE(p->size() == 2);
  REQUIRE(p->at(0).arrival_us == 100000000);
  REQUIRE(p->at(1).arrival_us == 200000000);
}

TEST_CASE("spool: quarantine keeps the message and writes the reason", "[ingest][spool]") {
  TempDir dir;
  Spool spool(dir.path());
  REQUIRE(spool.ensure_dirs().ok());
  auto e = spool.deliver(kMessage, "dev", 1000000);
  REQUIRE(spool.quarantine(e.value(), "it broke").ok());
  REQUIRE(spool.pending(10)->empty());
  REQUIRE(folio::testing::read_file(spool.quarantine_dir() / e->name) == kMessage);
  REQUIRE(folio::testing::read_file(spool.quarantine_dir() / (e->name + ".reason")) == "it broke\n");
  REQUIRE(spool.stats()->quarantined == 1);
}

TEST_CASE("delivery: routes by List-Id when no list is given", "[ingest][delivery]") {
  TempDir dir;
  Spool spool(dir.path());
  auto r = deliver_message(kMessage, "", one_list(), spool, 5000000);
  REQUIRE(r.exit_code == kExOk);
  REQUIRE(spool.pending(10)->front().list == "dev");
}

TEST_CASE("delivery: an unknown list or a missing List-Id is a temporary failure", "[ingest][delivery]") {
  TempDir dir;
  Spool spool(dir.path());
  REQUIRE(deliver_message(kMessage, "nosuch", one_list(), spool, 1).exit_code == kExTempFail);
  REQUIRE(deliver_message("From: a@b\n\nx\n", "", one_list(), spool, 1).exit_code == kExTempFail);
}

TEST_CASE("delivery: empty, non-mail and oversized input are data errors", "[ingest][delivery]") {
  TempDir dir;
  Spool spool(dir.path());
  auto config = one_list();
  REQUIRE(deliver_message("", "dev", config, spool, 1).exit_code == kExDataErr);
  REQUIRE(deliver_message("just some words\n", "dev", config, spool, 1).exit_code == kExDataErr);
  config.limits.max_message_bytes = kMessage.size();
  REQUIRE(deliver_message(kMessage, "dev", config, spool, 1).exit_code == kExOk);  // at the limit
  REQUIRE(deliver_message(kMessage + "x", "dev", config, spool, 1).exit_code == kExDataErr);
}

TEST_CASE("delivery: a leading mbox From_ line is dropped", "[ingest][delivery]") {
  TempDir dir;
  Spool spool(dir.path());
  REQUIRE(deliver_message("From a@b Mon Jan  1 00:00:00 2024\n" + kMessage, "dev", one_list(), spool, 1)
              .exit_code == kExOk);
  REQUIRE(spool.read(spool.pending(1)->front()).value() == kMessage);
}
