// message_store_test.cc: the RocksDB store keeps what it is given, atomically and durably.
#include "index/message_store.h"

#include <catch2/catch.hpp>

#include "tests/support/temp_dir.h"

using namespace folio::index;
using folio::testing::TempDir;

namespace {
std::unique_ptr<MessageStore> open_store(const TempDir& dir) {
  auto s = MessageStore::open(dir.path() / "store", StoreMode::kReadWrite);
  REQUIRE(s.ok());
  return std::move(s.value());
}
}  // namespace

TEST_CASE("store: raw bytes and metadata come back exactly after reopening", "[index][store]") {
  TempDir dir;
  std::string raw = std::string("From: a\r\n\r\nbody\0with nul\xff", 25);
  StoredMeta meta;
  meta.docid = 7;
  meta.message_id = "abc@example.org";
  meta.lists = {"a", "b"};
  meta.thread = 42;
  meta.date = 1425230253;
  meta.flags = kFlagMalformed;
  meta.parents = {"p1@x", "p2@x"};
  meta.content_key[3] = 9;
  {
    auto store = open_store(dir);
    StoreBatch b;
    b.put_raw(7, raw);
    b.put_meta(meta);
    b.map_message_id(meta.message_id, 7);
    REQUIRE(store->write(b).ok());
    REQUIRE(store->sync().ok());
  }
  auto store = open_store(dir);
  REQUIRE(store->raw(7).value() == raw);
  auto back = store->meta(7);
  REQUIRE(back.ok());
  REQUIRE(back->message_id == meta.message_id);
  REQUIRE(back->lists == meta.lists);
  REQUIRE(back->thread == 42);
  REQUIRE(back->date == meta.date);
  REQUIRE(back->parents == meta.parents);
  REQUIRE(back->content_key == meta.content_key);
  REQUIRE(store->docids_for_message_id("abc@example.org").value() == std::vector<DocId>{7});
  REQUIRE(store->docids_for_message_id("abc@example.or").value().empty());
}

TEST_CASE("store: a missing message is kNotFound", "[index][store]") {
  TempDir dir;
  auto store = open_store(dir);
  auto m = store->meta(99);
  REQUIRE_FALSE(m.ok());
  REQUIRE(m.error().code == folio::model::Code::kNotFound);
}

TEST_CASE("store: one Message-ID may map to several messages", "[index][store]") {
  TempDir dir;
  auto store = open_store(dir);
  StoreBatch b;
  b.map_message_id("same@x", 3);
  b.map_message_id("same@x", 1);
  b.map_message_id("same@xy", 2);
  REQUIRE(store->write(b).ok());
  REQUIRE(store->docids_for_message_id("same@x").value() == std::vector<DocId>{1, 3});
}

TEST_CASE("store: the change log replays in sequence order after a given point", "[index][store]") {
  TempDir dir;
  auto store = open_store(dir);
  StoreBatch b;
  for (std::uint64_t s = 1; s <= 5; ++s) b.log_change(s, static_cast<DocId>(10 + s));
  REQUIRE(store->write(b).ok());
  std::vector<DocId> seen;
  REQUIRE(store->for_each_change(3, [&](std::uint64_t, DocId d) {
    seen.push_back(d);
    return true;
  }).ok());
  REQUIRE(seen == std::vector<DocId>{14, 15});
}

TEST_CASE("store: a second writer process is refused while one holds it", "[index][store]") {
  TempDir dir;
  auto first = open_store(dir);
  auto second = MessageStore::open(dir.path() / "store", StoreMode::kReadWrite);
  REQUIRE_FALSE(second.ok());
}
