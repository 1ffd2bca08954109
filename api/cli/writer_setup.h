// writer_setup.h: wiring ingest's MIME parser into the index's single writer.
#pragma once

#include <memory>

#include "index/archive_writer.h"
#include "index/config.h"
#include "index/home.h"
#include "index/indexer.h"

namespace folio::api::cli {

// The writer of an archive with its lock held for `role`. Runs the crash
// repair pass before returning.
struct OpenWriter {
  std::unique_ptr<index::HomeLock> lock;
  std::unique_ptr<index::ArchiveWriter> writer;
  std::uint64_t repaired = 0;
};

// How the writer will be used: kLive commits as [index] fsync_index says;
// kBulk (folio import) never fsyncs its commits and must end with
// writer->sync_index(): a bulk job interrupted by a power failure may leave
// the index for `folio reindex` to rebuild, as a reindex does.
enum class WriterUse { kLive, kBulk };

model::Result<OpenWriter> open_writer(const index::Home& home, const index::Config& config,
                                      const std::string& role, WriterUse use = WriterUse::kLive);

// Indexer options from the config.
index::IndexerOptions indexer_options(const index::Config& config);

}  // namespace folio::api::cli
