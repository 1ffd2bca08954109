// archive_writer_test.cc: identity, de-duplication, cross-posts, dates, limits and crash repair.
#include "index/archive_writer.h"

#include <set>

#include <catch2/catch.hpp>

#include "index/archive_stats.h"
#include "index/schema.h"
#include "index/xapian_writer.h"
#include "tests/support/archive_fixture.h"

using namespace folio::index;
using folio::testing::ArchiveFixture;
using folio::testing::make_message;

namespace {

std::vector<ListConfig> two_lists() {
  return {{"a", "A", "", {"public"}}, {"b", "B", "", {"public"}}};
}

Xapian::doccount term_freq(const ArchiveFixture& f, const std::string& term) {
  Xapian::Database db(f.home().generation_dir(1).string());
  return db.get_termfreq(term);
}

}  // namespace

TEST_CASE("writer: importing the same messages twice changes nothing", "[index][writer]") {
  ArchiveFixture f(two_lists());
  std::vector<std::string> msgs = {make_message("1@x", "one", "first"), make_message("2@x", "two", "second")};
  auto first = f.import(msgs, "a");
  REQUIRE(first.new_messages == 2);
  auto second = f.import(msgs, "a");
  REQUIRE(second.new_messages == 0);
  REQUIRE(second.duplicates == 2);
  REQUIRE(archive_stats(f.home()).value().messages == 2);
}

TEST_CASE("writer: the same message on another list is one message on both lists", "[index][writer]") {
  ArchiveFixture f(two_lists());
  auto m = make_message("x@y", "cross", "posted to both");
  f.import({m}, "a");
  // A list server's copy differs in its headers and footer but not in content.
  std::string copy = "X-Mailman-Version: 2.1\n" + m +
                     "_______________________________________________\nb mailing list\n";
  auto s = f.import({copy}, "b");
  REQUIRE(s.cross_posts == 1);
  REQUIRE(s.new_messages == 0);
  REQUIRE(term_freq(f, list_term("a")) == 1);
  REQUIRE(term_freq(f, list_term("b")) == 1);
  REQUIRE(archive_stats(f.home()).value().messages == 1);
}

TEST_CASE("writer: the same Message-ID with other content keeps both", "[index][writer]") {
  ArchiveFixture f;
  auto s = f.import({make_message("dup@x", "first subject", "text one"),
                     make_message("dup@x", "second subject", "text two")});
  REQUIRE(s.new_messages == 2);
  REQUIRE(s.variants == 1);
  REQUIRE(term_freq(f, message_id_term("dup@x")) == 2);
}

TEST_CASE("writer: a message without Message-ID gets the same derived id every time", "[index][writer]") {
  ArchiveFixture f;
  auto m = make_message("", "no id", "nothing to identify me");
  REQUIRE(f.import({m}).new_messages == 1);
  REQUIRE(f.import({m}).duplicates == 1);
  auto writer = f.open_writer();
  bool found = false;
  REQUIRE(writer->store().for_each_meta([&](const StoredMeta& meta) {
    found = meta.message_id.ends_with("@folio.invalid") && (meta.flags & kFlagSyntheticId);
    return true;
  }).ok());
  REQUIRE(found);
}

TEST_CASE("writer: implausible dates are flagged and sort by arrival", "[index][writer]") {
  ArchiveFixture f;
  f.import({make_message("future@x", "future", "b", {}, "Mon, 01 Jan 2200 00:00:00 +0000"),
            make_message("old@x", "old", "b", {}, "Thu, 01 Jan 1960 00:00:00 +0000"),
            make_message("fine@x", "fine", "b", {}, "Sun, 01 Mar 2015 00:00:00 +0000")});
  REQUIRE(term_freq(f, std::string(prefix::kFlag) + std::string(kFlagTermBadDate)) == 2);
  auto writer = f.open_writer();
  REQUIRE(writer->store().for_each_meta([&](const StoredMeta& m) {
    if (m.message_id == "future@x") REQUIRE(m.effective_date() == 0);
    if (m.message_id == "fine@x") REQUIRE(m.effective_date() == 1425168000);
    return true;
  }).ok());
}

TEST_CASE("writer: a message over max_message_bytes is refused with the reason", "[index][writer]") {
  ArchiveFixture f;
  auto writer = f.open_writer();
  auto opts = f.writer_options();
  DocumentBuilder builder({});
  std::string at_limit = make_message("big@x", "big", "");
  Incoming in;
  in.list = "test";
  in.raw = at_limit + std::string(1000, 'a');
  // Exactly at the limit is accepted; one byte more is refused.
  auto limits = opts.limits;
  (void)limits;
  auto prepared = writer->prepare(in, builder);
  REQUIRE(prepared.refused.empty());
  writer.reset();

  folio::model::ParseLimits small;
  small.max_message_bytes = in.raw.size();
  auto o = f.writer_options();
  o.limits = small;
  auto w2 = ArchiveWriter::open(f.home(), o);
  REQUIRE(w2.ok());
  REQUIRE(w2.value()->prepare(in, builder).refused.empty());
  in.raw += "b";
  auto over = w2.value()->prepare(in, builder);
  REQUIRE(over.refused.find("over the limit") != std::string::npos);
  auto outcome = w2.value()->write(std::move(over));
  REQUIRE(outcome.ok());
  REQUIRE(outcome->kind == OutcomeKind::kRefused);
}

TEST_CASE("writer: writes the index never committed are replayed by repair", "[index][writer]") {
  ArchiveFixture f;
  {
    auto writer = f.open_writer();
    DocumentBuilder builder({});
    for (int i = 0; i < 5; ++i) {
      Incoming in;
      in.list = "test";
      in.raw = make_message(std::to_string(i) + "@crash", "crash " + std::to_string(i), "lost?");
      REQUIRE(writer->write(writer->prepare(in, builder)).ok());
    }
    // Store written, index never committed: as if killed here.
  }
  REQUIRE(archive_stats(f.home()).value().messages == 0);
  auto writer = f.open_writer();
  auto repaired = writer->repair();
  REQUIRE(repaired.ok());
  REQUIRE(repaired.value() == 5);
  writer.reset();
  REQUIRE(archive_stats(f.home()).value().messages == 5);
  REQUIRE(f.open_writer()->repair().value() == 0);
}

TEST_CASE("writer: quoted lines are indexed as words, with positions, or not at all", "[index][writer]") {
  for (auto mode : {QuotedText::kWords, QuotedText::kPositions, QuotedText::kSkip}) {
    ArchiveFixture f;
    auto o = f.writer_options();
    o.document.quoted = mode;
    auto writer = ArchiveWriter::open(f.home(), o);
    REQUIRE(writer.ok());
    DocumentBuilder builder(o.document);
    Incoming in;
    in.list = "test";
    in.raw = make_message("q@x", "quotes", "> quoted zeppelin airship\nown words here");
    REQUIRE(writer.value()->write(writer.value()->prepare(in, builder)).ok());
    REQUIRE(writer.value()->commit().ok());
    writer.value().reset();
    Xapian::Database db(f.home().generation_dir(1).string());
    bool found = db.get_termfreq("zeppelin") > 0;
    bool phrase = db.has_positions() && db.positionlist_begin(1, "zeppelin") != db.positionlist_end(1, "zeppelin");
    REQUIRE(db.get_termfreq("own") == 1);
    REQUIRE(found == (mode != QuotedText::kSkip));
    REQUIRE(phrase == (mode == QuotedText::kPositions));
  }
}

TEST_CASE("writer: a generation begun empty says it has date period terms, and has them",
          "[index][writer]") {
  ArchiveFixture f(two_lists());
  f.import({make_message("d@x", "dated", "text")}, "a");
  Xapian::Database db(f.home().generation_dir(1).string());
  CHECK(db.get_metadata(kDateTermsKey) == "1");
  CHECK(db.get_termfreq(date_period_term(2015, 3, 1)) == 1);
  CHECK(db.get_termfreq(date_period_term(2015)) == 1);
}

TEST_CASE("writer: a generation that held documents before date terms existed is not marked",
          "[index][writer]") {
  ArchiveFixture f(two_lists());
  f.import({make_message("old@x", "old", "text")}, "a");
  for (const auto& shard : {"shard0", "shard1"}) {
    Xapian::WritableDatabase w((f.home().generation_dir(1) / shard).string());
    w.set_metadata(kDateTermsKey, "");  // as written before the key existed
    w.commit();
  }
  f.import({make_message("new@x", "new", "text")}, "a");
  Xapian::Database db(f.home().generation_dir(1).string());
  CHECK(db.get_metadata(kDateTermsKey).empty());
}

TEST_CASE("writer: every document's hit meta agrees with its thread, date and lists slots after merges and cross-posts",
          "[index][writer]") {
  ArchiveFixture f(two_lists());
  f.import({make_message("a@x", "a", "a"), make_message("a1@x", "Re: a", "a", {"a@x"}),
            make_message("b@x", "b", "b")},
           "a");
  auto cross = make_message("b@x", "b", "b");
  REQUIRE(f.import({"X-Mailman-Version: 2.1\n" + cross}, "b").cross_posts == 1);
  f.import({make_message("link@x", "Re: both", "l", {"a1@x", "b@x"})}, "b");  // merges the two threads

  Xapian::Database db(f.home().generation_dir(1).string());
  REQUIRE(db.get_doccount() == 4);
  std::set<std::string> threads;
  for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
    Xapian::Document doc = db.get_document(*it);
    HitMeta meta;
    REQUIRE(decode_hit_meta(doc.get_value(slot::kHitMeta), meta));
    CHECK(meta.thread == doc.get_value(slot::kThread));
    CHECK(meta.lists == doc.get_value(slot::kLists));
    CHECK(meta.date == static_cast<std::int64_t>(Xapian::sortable_unserialise(doc.get_value(slot::kDate))));
    threads.insert(meta.thread);
  }
  CHECK(threads.size() == 1);
  // The cross-posted message shows both lists.
  Xapian::PostingIterator b = db.postlist_begin(message_id_term("b@x"));
  REQUIRE(b != db.postlist_end(message_id_term("b@x")));
  HitMeta meta;
  REQUIRE(decode_hit_meta(db.get_document(*b).get_value(slot::kHitMeta), meta));
  CHECK(meta.lists == "a\nb");
}

TEST_CASE("writer: hit meta round-trips and anything else is refused", "[index][writer]") {
  HitMeta in{thread_label(0xabcdef0123456789ULL), -86400, "r-devel\nr-help"};
  HitMeta out;
  REQUIRE(decode_hit_meta(encode_hit_meta(in), out));
  CHECK(out.thread == in.thread);
  CHECK(out.date == -86400);
  CHECK(out.lists == "r-devel\nr-help");
  REQUIRE(decode_hit_meta(encode_hit_meta({thread_label(1), 0, ""}), out));
  CHECK(out.lists.empty());
  CHECK(out.date == 0);
  const std::string label = thread_label(7);
  CHECK_FALSE(decode_hit_meta("", out));
  CHECK_FALSE(decode_hit_meta(label, out));                      // no date, no newline
  CHECK_FALSE(decode_hit_meta(label + "12", out));               // no newline
  CHECK_FALSE(decode_hit_meta(label + "\nlist", out));           // no date
  CHECK_FALSE(decode_hit_meta(label + "1x2\nlist", out));        // not a number
  CHECK_FALSE(decode_hit_meta("zz" + label.substr(2) + "1\nl", out));  // not a thread label
}
