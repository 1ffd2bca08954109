// writer_setup.cc: the parse function and writer options from the config.
#include "api/cli/writer_setup.h"

#include "ingest/mime_parser.h"

namespace folio::api::cli {

model::Result<OpenWriter> open_writer(const index::Home& home, const index::Config& config,
                                      const std::string& role, WriterUse use) {
  OpenWriter out;
  auto lock = index::HomeLock::acquire(home, "writer", role);
  FOLIO_TRY(lock);
  out.lock = std::move(lock.value());
  index::ArchiveWriterOptions options;
  options.limits = config.limits;
  options.document.quoted = quoted_text_mode(config.index);
  options.reader_wait = std::chrono::milliseconds(config.index.reader_wait_ms);
  options.durability = config.index.fsync_index && use == WriterUse::kLive ? index::Durability::kSync
                                                                           : index::Durability::kNoSync;
  options.parse = [](std::string_view raw, bool pipermail, const model::ParseLimits& limits) {
    ingest::ParseOptions po;
    po.limits = limits;
    po.pipermail_addresses = pipermail;
    return ingest::parse_message(raw, po);
  };
  auto writer = index::ArchiveWriter::open(home, std::move(options));
  FOLIO_TRY(writer);
  out.writer = std::move(writer.value());
  auto repaired = out.writer->repair();
  FOLIO_TRY(repaired);
  out.repaired = repaired.value();
  return out;
}

index::IndexerOptions indexer_options(const index::Config& config) {
  index::IndexerOptions o;
  o.threads = config.index.threads;
  o.batch_messages = config.index.batch_messages;
  return o;
}

}  // namespace folio::api::cli
