// archive_fixture.h: builds real archives (store + index) in temp dirs for tests.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "index/archive_writer.h"
#include "index/config.h"
#include "index/home.h"
#include "index/indexer.h"
#include "tests/support/temp_dir.h"

namespace folio::testing {

// A fresh home in a temp dir with the given lists (name -> grants).
class ArchiveFixture {
 public:
  explicit ArchiveFixture(const std::vector<index::ListConfig>& lists = {{"test", "Test", "", {"public"}}});

  const index::Home& home() const { return home_; }
  const index::Config& config() const { return config_; }
  std::string root() const { return home_.root().string(); }

  // Writer options using the real MIME parser.
  index::ArchiveWriterOptions writer_options() const;
  // Opens the writer (closing it again when the returned pointer dies).
  std::unique_ptr<index::ArchiveWriter> open_writer() const;
  // Imports `raws` into `list` through the threaded pipeline, then commits.
  index::IngestSummary import(const std::vector<std::string>& raws, const std::string& list = "test",
                              bool pipermail = false) const;

 private:
  TempDir dir_;
  index::Home home_;
  index::Config config_;
};

// A small RFC 5322 message.
std::string make_message(const std::string& id, const std::string& subject,
                         const std::string& body, const std::vector<std::string>& refs = {},
                         const std::string& date = "Sun, 01 Mar 2015 17:17:33 +0000",
                         const std::string& from = "Alice Example <alice@example.org>");

}  // namespace folio::testing
