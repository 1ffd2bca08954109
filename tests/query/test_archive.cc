// test_archive.cc: building small archives for query tests.
#include "tests/query/test_archive.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <ctime>
#include <stdexcept>

#include "index/init_home.h"

namespace folio::testing {

namespace {

index::Config test_config() {
  index::Config config;
  config.lists = {
      {"pub", "Public list", "", {"public"}},
      {"pro", "Subscribers", "", {"tier:pro"}},
      {"core", "Core team", "", {"group:core", "tier:staff"}},
      {"closed", "Nobody", "", {}},
  };
  return config;
}

index::Home initialised(const std::filesystem::path& root) {
  index::Home home(root);
  if (!index::init_home(home).ok()) throw std::runtime_error("init_home failed");
  return home;
}

model::ParsedMessage parsed(const TestMessage& m) {
  model::ParsedMessage p;
  p.message_id = m.id;
  p.subject = m.subject;
  p.from = m.from;
  p.to = m.to;
  p.cc = m.cc;
  p.date = m.date;
  p.date_present = true;
  p.in_reply_to = m.in_reply_to;
  p.references = m.references;
  p.body = m.body;
  for (const auto& name : m.attachments)
    p.attachments.push_back({name, "application/pdf", 10, false});
  return p;
}

}  // namespace

TestMessage mail(std::string id, std::vector<std::string> lists, std::string subject,
                 std::string body) {
  TestMessage m;
  m.id = std::move(id);
  m.lists = std::move(lists);
  m.subject = std::move(subject);
  m.body = std::move(body);
  return m;
}

std::int64_t utc(int year, int month, int day, int hour, int minute, int second) {
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  return static_cast<std::int64_t>(timegm(&tm));
}

TestArchive::TestArchive()
    : home_(initialised(dir_.path() / "home")),
      config_(test_config()),
      db_(home_.generation_dir(1).string(), Xapian::DB_CREATE_OR_OPEN),
      builder_(index::DocumentOptions{}) {}

TestArchive::~TestArchive() = default;

index::DocId TestArchive::add(const TestMessage& m, index::DocId docid) {
  if (docid == 0) docid = next_;
  next_ = std::max(next_, docid + 1);
  Xapian::Document doc = builder_.build(parsed(m));
  index::StoredMeta meta;
  meta.docid = docid;
  meta.message_id = m.id;
  meta.lists = m.lists;
  meta.thread = m.thread ? m.thread : docid;
  meta.date = m.date;
  meta.arrival = m.date;
  index::apply_meta(doc, meta, index::MetaMode::kFresh);
  db_.replace_document(docid, doc);
  return docid;
}

void TestArchive::commit() { db_.commit(); }

std::unique_ptr<query::Searcher> TestArchive::searcher(const index::SearchSettings& settings,
                                                       const query::SearcherOptions& options) {
  commit();
  auto s = query::Searcher::open(home_, settings, options);
  if (!s.ok()) FAIL("Searcher::open: " << s.error().to_string());
  return std::move(s.value());
}

}  // namespace folio::testing
