// archive_fixture.cc: real archives for tests.
#include "tests/support/archive_fixture.h"

#include <stdexcept>

#include "index/init_home.h"
#include "ingest/mime_parser.h"

namespace folio::testing {

ArchiveFixture::ArchiveFixture(const std::vector<index::ListConfig>& lists)
    : home_(dir_.path() / "home") {
  config_.lists = lists;
  if (!index::init_home(home_).ok()) throw std::runtime_error("init_home failed");
  if (!index::save_config(home_.config_file(), config_).ok()) throw std::runtime_error("save_config failed");
}

index::ArchiveWriterOptions ArchiveFixture::writer_options() const {
  index::ArchiveWriterOptions o;
  o.limits = config_.limits;
  o.parse = [](std::string_view raw, bool pipermail, const folio::model::ParseLimits& limits) {
    ingest::ParseOptions po;
    po.limits = limits;
    po.pipermail_addresses = pipermail;
    return ingest::parse_message(raw, po);
  };
  return o;
}

std::unique_ptr<index::ArchiveWriter> ArchiveFixture::open_writer() const {
  auto w = index::ArchiveWriter::open(home_, writer_options());
  if (!w.ok()) throw std::runtime_error(w.error().to_string());
  return std::move(w.value());
}

index::IngestSummary ArchiveFixture::import(const std::vector<std::string>& raws,
                                            const std::string& list, bool pipermail) const {
  auto writer = open_writer();
  index::IndexerOptions options;
  options.threads = 2;
  options.batch_messages = 1000;
  auto indexer = index::Indexer::start(*writer, options);
  if (!indexer.ok()) throw std::runtime_error(indexer.error().to_string());
  int n = 0;
  for (const auto& raw : raws) {
    index::Incoming in;
    in.raw = raw;
    in.list = list;
    in.origin = "test:#" + std::to_string(++n);
    in.pipermail = pipermail;
    auto s = indexer.value()->add(std::move(in));
    if (!s.ok()) throw std::runtime_error(s.error().to_string());
  }
  auto summary = indexer.value()->finish();
  if (!summary.ok()) throw std::runtime_error(summary.error().to_string());
  return summary.value();
}

std::string make_message(const std::string& id, const std::string& subject, const std::string& body,
                         const std::vector<std::string>& refs, const std::string& date,
                         const std::string& from) {
  std::string m = "From: " + from + "\nTo: list@example.org\nSubject: " + subject + "\nDate: " + date + "\n";
  if (!id.empty()) m += "Message-ID: <" + id + ">\n";
  if (!refs.empty()) {
    m += "In-Reply-To: <" + refs.back() + ">\nReferences:";
    for (const auto& r : refs) m += " <" + r + ">";
    m += "\n";
  }
  return m + "\n" + body + "\n";
}

}  // namespace folio::testing
