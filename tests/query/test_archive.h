// test_archive.h: a small real archive (home + Xapian generation 1) built inside a query test.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "index/config.h"
#include "index/home.h"
#include "index/schema.h"
#include "index/model/message.h"
#include "index/xapian_document.h"
#include "query/searcher.h"
#include "tests/support/temp_dir.h"

namespace folio::testing {

// One message to index; the defaults make a public, dated, threadless mail.
struct TestMessage {
  std::string id;
  std::vector<std::string> lists{"pub"};
  std::string subject;
  model::Address from{"Ann Example", "ann@example.org"};
  std::vector<model::Address> to;
  std::vector<model::Address> cc;
  std::string body;
  std::int64_t date = 1420070400;  // 2015-01-01 00:00:00 UTC
  std::string in_reply_to;
  std::vector<std::string> references;
  std::uint64_t thread = 0;              // 0: a thread of its own (docid)
  std::vector<std::string> attachments;  // file names
};

// A message with the given id, lists, subject and body; the rest as defaulted above.
TestMessage mail(std::string id, std::vector<std::string> lists, std::string subject,
                 std::string body = "");

// Seconds since the epoch of a UTC civil time.
std::int64_t utc(int year, int month, int day, int hour = 0, int minute = 0, int second = 0);

// An initialised home whose generation 1 is written directly with the
// index's DocumentBuilder and apply_meta, as the indexer does.
// Lists: pub (public), pro (tier:pro), core (group:core), closed (no grants).
class TestArchive {
 public:
  TestArchive();
  ~TestArchive();

  // Indexes `m` under the next docid (or `docid` when given) and returns it.
  index::DocId add(const TestMessage& m, index::DocId docid = 0);
  void commit();

  const index::Home& home() const { return home_; }
  const index::Config& config() const { return config_; }
  Xapian::WritableDatabase& db() { return db_; }

  // Commits, then opens a Searcher; fails the test when it cannot.
  std::unique_ptr<query::Searcher> searcher(const index::SearchSettings& settings = {},
                                            const query::SearcherOptions& options = {});

 private:
  TempDir dir_;
  index::Home home_;
  index::Config config_;
  Xapian::WritableDatabase db_;
  index::DocumentBuilder builder_;
  index::DocId next_ = 1;
};

}  // namespace folio::testing
