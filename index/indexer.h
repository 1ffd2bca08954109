// indexer.h: the ingest pipeline: parse in worker threads, one writer, batched commits.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "index/archive_writer.h"

namespace folio::index {

struct IndexerOptions {
  std::size_t threads = 0;               // prepare workers; 0 = one per core
  std::size_t batch_messages = 1000;     // commit after this many writes
  // Also commit pending writes once this long has passed since the last
  // commit, so a write after a quiet spell is committed at once and a steady
  // stream at most once per interval (0: by batch_messages only).
  std::uint64_t commit_interval_ms = 0;
  std::size_t queue_capacity = 512;      // messages waiting to be prepared or written
};

// Counts of what happened, for summaries.
struct IngestSummary {
  std::uint64_t seen = 0;
  std::uint64_t new_messages = 0;
  std::uint64_t duplicates = 0;
  std::uint64_t cross_posts = 0;
  std::uint64_t malformed = 0;  // stored and indexed with defects
  std::uint64_t variants = 0;   // same Message-ID as a stored message, other content
  std::uint64_t refused = 0;
  std::uint64_t tombstoned = 0;  // not stored again: taken down earlier
  std::uint64_t removed = 0;     // messages taken down by requests in the stream
  std::vector<std::string> refusals;  // "origin: reason", the first 20
};

// Called on the writer thread once a message's outcome is durable (committed).
using CommittedFn = std::function<void(const Outcome&)>;

// Runs ArchiveWriter::prepare on worker threads and ArchiveWriter::write on
// one writer thread, in the order messages were added. Errors in the writer
// are latched: later calls return the first one. Call finish() before
// destroying; a destroyed Indexer that was not finished drops queued work
// (nothing committed is lost).
class Indexer {
 public:
  static model::Result<std::unique_ptr<Indexer>> start(ArchiveWriter& writer, IndexerOptions options);
  ~Indexer();

  // Queues a message, blocking while the queue is full. `done` (optional) is
  // called after the commit that makes it durable.
  model::Status add(Incoming message, CommittedFn done = {});

  // Waits for everything queued, commits, stops the threads.
  model::Result<IngestSummary> finish();

  // Messages written so far (for progress displays). Thread-safe.
  std::uint64_t written() const;

 private:
  struct Impl;
  explicit Indexer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace folio::index
